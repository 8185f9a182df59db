#include "crawler/options.h"

#include "core/config_section.h"
#include "crawler/fetcher.h"

namespace dragnet::crawler {

Status ParseCrawlOptions(const toml::table* root, CrawlOptions& o) {
  ConfigSection s(root, "crawl");
  DRAGNET_RETURN_IF_ERROR(s.Get("depth", o.depth));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_pages", o.max_pages));
  DRAGNET_RETURN_IF_ERROR(s.Get("follow_iframes", o.follow_iframes));
  DRAGNET_RETURN_IF_ERROR(s.Get("allow_private", o.allow_private));
  DRAGNET_RETURN_IF_ERROR(s.Get("resolve", o.resolve));
  DRAGNET_RETURN_IF_ERROR(s.Get("user_agent", o.user_agent));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_body_bytes", o.max_body_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_decoded_bytes", o.max_decoded_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("total_timeout", o.total_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("connect_timeout", o.connect_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("low_speed_bytes", o.low_speed_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("low_speed_time", o.low_speed_time_ms));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_redirects", o.max_redirects));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_header_bytes", o.max_header_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("global_concurrency", o.global_concurrency));
  DRAGNET_RETURN_IF_ERROR(s.Get("per_host_concurrency", o.per_host_concurrency));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("per_host_delay", o.per_host_delay_ms));
  DRAGNET_RETURN_IF_ERROR(s.Get("verify_tls", o.verify_tls));
  DRAGNET_RETURN_IF_ERROR(s.Get("workers", o.workers));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_held_bytes", o.max_held_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("page_cache_bytes", o.page_cache_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("fetch_scripts", o.fetch_scripts));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_scripts", o.max_scripts));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_script_bytes", o.max_script_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_scripts_total_bytes", o.max_scripts_total_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("evidence_dir", o.evidence_dir));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("recrawl_after", o.recrawl_after_ms));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("visibility_timeout", o.visibility_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_attempts", o.max_attempts));
  return s.Finish();
}

Status ValidateCrawlOptions(const CrawlOptions& o) {
  if (o.depth < 0 || o.depth > 20) return InvalidArgument("crawl.depth must be 0..20");
  if (o.max_pages < 1) return InvalidArgument("crawl.max_pages must be at least 1");
  if (o.max_redirects < 0 || o.max_redirects > 50) {
    return InvalidArgument("crawl.max_redirects must be 0..50");
  }
  if (o.global_concurrency < 1 || o.per_host_concurrency < 1) {
    return InvalidArgument("crawl concurrency caps must be at least 1");
  }
  if (o.global_concurrency > 65536) return InvalidArgument("crawl.global_concurrency must be at most 65536");
  if (o.workers < 0 || o.workers > 256) return InvalidArgument("crawl.workers must be 0..256");
  if (o.max_held_bytes < 1) return InvalidArgument("crawl.max_held_bytes must be positive");
  if (o.page_cache_bytes < 0) return InvalidArgument("crawl.page_cache_bytes must not be negative");
  if (o.max_scripts < 0 || o.max_scripts > 1000) return InvalidArgument("crawl.max_scripts must be 0..1000");
  if (o.max_script_bytes < 0 || o.max_scripts_total_bytes < 0) {
    return InvalidArgument("crawl.max_script_bytes and max_scripts_total_bytes must not be negative");
  }
  return CheckResolvePins(o.resolve);
}

}  // namespace dragnet::crawler
