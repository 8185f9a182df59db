#include "crawler/options.h"

#include "core/config_section.h"
#include "core/options_table.h"
#include "crawler/fetcher.h"

namespace dragnet::crawler {
namespace {

constexpr int64_t kKiB = 1LL << 10, kMiB = 1LL << 20, kGiB = 1LL << 30;
constexpr int64_t kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute, kDay = 24 * kHour;

using O = CrawlOptions;

// Every [crawl] key, its member and its range. The ranges are sanity
// bounds: below them a crawl cannot work (a 0-byte body cap, a 1 ms
// timeout), above them a typo would let one site take the machine.
const OptionTable<O>& Table() {
  static const OptionTable<O> t = {
      Int("depth", &O::depth, 0, 20),
      Int("max_pages", &O::max_pages, 1, 100'000),
      Flag("follow_iframes", &O::follow_iframes),
      Flag("fetch_favicon", &O::fetch_favicon),
      Bytes("max_favicon_bytes", &O::max_favicon_bytes, 1, 16 * kMiB),
      Flag("allow_private", &O::allow_private),
      List("resolve", &O::resolve),
      Text("user_agent", &O::user_agent),
      Bytes("max_body_bytes", &O::max_body_bytes, 1 * kKiB, 1 * kGiB),
      Bytes("max_decoded_bytes", &O::max_decoded_bytes, 1 * kKiB, 4 * kGiB),
      Duration("total_timeout", &O::total_timeout_ms, 100, 1 * kHour),
      Duration("connect_timeout", &O::connect_timeout_ms, 100, 10 * kMinute),
      Bytes("low_speed_bytes", &O::low_speed_bytes, 0, 1 * kGiB),
      Duration("low_speed_time", &O::low_speed_time_ms, 0, 1 * kHour),
      Duration("site_timeout", &O::site_timeout_ms, 0, 1 * kDay),
      Int("max_redirects", &O::max_redirects, 0, 50),
      Bytes("max_header_bytes", &O::max_header_bytes, 1 * kKiB, 16 * kMiB),
      Int("global_concurrency", &O::global_concurrency, 1, 65536),
      Int("per_host_concurrency", &O::per_host_concurrency, 1, 65536),
      Duration("per_host_delay", &O::per_host_delay_ms, 0, 1 * kHour),
      Flag("verify_tls", &O::verify_tls),
      Int("workers", &O::workers, 0, 256),
      Bytes("max_held_bytes", &O::max_held_bytes, 1 * kMiB, 1024 * kGiB),
      Bytes("page_cache_bytes", &O::page_cache_bytes, 0, 1024 * kGiB),
      Flag("fetch_scripts", &O::fetch_scripts),
      Int("max_scripts", &O::max_scripts, 0, 1000),
      Bytes("max_script_bytes", &O::max_script_bytes, 0, 64 * kMiB),
      Bytes("max_scripts_total_bytes", &O::max_scripts_total_bytes, 0, 1 * kGiB),
      Text("evidence_dir", &O::evidence_dir),
      Duration("recrawl_after", &O::recrawl_after_ms, 0, 3650 * kDay),
      Duration("visibility_timeout", &O::visibility_timeout_ms, 1 * kSecond, 7 * kDay),
      Int("max_attempts", &O::max_attempts, 1, 1000),
  };
  return t;
}

}  // namespace

Status ParseCrawlOptions(const toml::table* root, CrawlOptions& o) {
  ConfigSection s(root, "crawl");
  DRAGNET_RETURN_IF_ERROR(BindOptions(s, Table(), o));
  return s.Finish();
}

Status ValidateCrawlOptions(const CrawlOptions& o) {
  DRAGNET_RETURN_IF_ERROR(CheckOptions("crawl", Table(), o));
  return CheckResolvePins(o.resolve);
}

}  // namespace dragnet::crawler
