#include "crawler/browser/options.h"

#include <thread>

#include "core/config_section.h"

namespace dragnet::crawler::browser {

std::map<std::string, BrowserProfile> BuiltinProfiles() {
  BrowserProfile desktop;
  desktop.name = "desktop";
  desktop.user_agent =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/124.0.0.0 Safari/537.36";
  desktop.width = 1366;
  desktop.height = 768;
  BrowserProfile mobile;
  mobile.name = "mobile";
  mobile.user_agent =
      "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/124.0.0.0 Mobile Safari/537.36";
  mobile.width = 412;
  mobile.height = 915;
  mobile.device_scale_factor = 2.625;
  mobile.mobile = true;
  mobile.touch = true;
  return {{"desktop", desktop}, {"mobile", mobile}};
}

namespace {

Status ParseProfile(const toml::table* root, const std::string& name, BrowserProfile& p) {
  ConfigSection s(root, "browser.profile." + name);
  p.name = name;
  DRAGNET_RETURN_IF_ERROR(s.Get("user_agent", p.user_agent));
  DRAGNET_RETURN_IF_ERROR(s.Get("width", p.width));
  DRAGNET_RETURN_IF_ERROR(s.Get("height", p.height));
  DRAGNET_RETURN_IF_ERROR(s.Get("device_scale_factor", p.device_scale_factor));
  DRAGNET_RETURN_IF_ERROR(s.Get("mobile", p.mobile));
  DRAGNET_RETURN_IF_ERROR(s.Get("touch", p.touch));
  DRAGNET_RETURN_IF_ERROR(s.Get("accept_language", p.accept_language));
  DRAGNET_RETURN_IF_ERROR(s.Get("referer", p.referer));
  return s.Finish();
}

bool ValidName(const std::string& n) {
  if (n.empty() || n.size() > 32) return false;
  for (char c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

// A value that goes into an HTTP header must be one line of printable text.
bool HeaderSafe(const std::string& v) {
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Status ParseBrowserOptions(const toml::table* root, BrowserOptions& o) {
  ConfigSection s(root, "browser");
  // enabled takes "auto", true or false (a bool or the same words as strings).
  s.Allow("enabled");
  if (s.table()) {
    if (const toml::node* n = s.table()->get("enabled")) {
      if (n->is_boolean()) {
        o.enabled = *n->value<bool>() ? "true" : "false";
      } else if (n->is_string()) {
        o.enabled = *n->value<std::string>();
      } else {
        return InvalidArgument("config key 'browser.enabled' must be \"auto\", true or false");
      }
    }
  }
  DRAGNET_RETURN_IF_ERROR(s.Get("executable", o.executable));
  DRAGNET_RETURN_IF_ERROR(s.Get("pool_size", o.pool_size));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("page_timeout", o.page_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("settle", o.settle_ms));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_requests", o.max_requests));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_bytes", o.max_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("memory_bytes", o.memory_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("recycle_after", o.recycle_after));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_screenshot_height", o.max_screenshot_height));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_dom_bytes", o.max_dom_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("profiles", o.profiles));
  s.Allow("profile");
  DRAGNET_RETURN_IF_ERROR(s.Finish());
  if (s.table()) {
    if (const toml::table* defs = s.table()->get_as<toml::table>("profile")) {
      for (const auto& [key, node] : *defs) {
        std::string name(key.str());
        if (!node.is_table()) return InvalidArgument("config key 'browser.profile." + name + "' must be a table");
        if (!ValidName(name)) return InvalidArgument("browser profile name '" + name + "' must be [a-z0-9_-], at most 32");
        BrowserProfile p = o.profile_defs.count(name) ? o.profile_defs[name] : BrowserProfile{};
        DRAGNET_RETURN_IF_ERROR(ParseProfile(root, name, p));
        o.profile_defs[name] = p;
      }
    }
  }
  return ValidateBrowserOptions(o);
}

Status ValidateBrowserOptions(const BrowserOptions& o) {
  if (o.enabled != "auto" && o.enabled != "true" && o.enabled != "false") {
    return InvalidArgument("browser.enabled must be \"auto\", true or false, not '" + o.enabled + "'");
  }
  if (o.pool_size < 0 || o.pool_size > 64) return InvalidArgument("browser.pool_size must be 0..64");
  if (o.page_timeout_ms < 1000 || o.page_timeout_ms > 600'000) {
    return InvalidArgument("browser.page_timeout must be 1s..10m");
  }
  if (o.settle_ms < 0 || o.settle_ms >= o.page_timeout_ms) {
    return InvalidArgument("browser.settle must be 0 or more and below browser.page_timeout");
  }
  if (o.max_requests < 1 || o.max_requests > 100'000) return InvalidArgument("browser.max_requests must be 1..100000");
  if (o.max_bytes < 1) return InvalidArgument("browser.max_bytes must be positive");
  if (o.memory_bytes < (64LL << 20)) return InvalidArgument("browser.memory_bytes must be at least 64MiB");
  if (o.recycle_after < 1) return InvalidArgument("browser.recycle_after must be at least 1");
  if (o.max_screenshot_height < 100 || o.max_screenshot_height > 100'000) {
    return InvalidArgument("browser.max_screenshot_height must be 100..100000");
  }
  if (o.max_dom_bytes < 1024) return InvalidArgument("browser.max_dom_bytes must be at least 1KiB");
  if (o.enabled != "false" && o.profiles.empty()) return InvalidArgument("browser.profiles must name at least one profile");
  for (const auto& name : o.profiles) {
    auto it = o.profile_defs.find(name);
    if (it == o.profile_defs.end()) {
      return InvalidArgument("browser.profiles names '" + name + "', which is neither built in nor a [browser.profile." + name + "] table");
    }
    const BrowserProfile& p = it->second;
    if (p.user_agent.empty()) return InvalidArgument("browser profile '" + name + "' has no user_agent");
    if (!HeaderSafe(p.user_agent) || !HeaderSafe(p.accept_language) || !HeaderSafe(p.referer)) {
      return InvalidArgument("browser profile '" + name + "': user_agent, accept_language and referer must be one line of text");
    }
    if (p.width < 200 || p.width > 4000 || p.height < 200 || p.height > 4000) {
      return InvalidArgument("browser profile '" + name + "': width and height must be 200..4000");
    }
    if (p.device_scale_factor < 0.5 || p.device_scale_factor > 4) {
      return InvalidArgument("browser profile '" + name + "': device_scale_factor must be 0.5..4");
    }
  }
  return Status::Ok();
}

int ResolvePoolSize(int configured) {
  if (configured > 0) return configured;
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores / 2);
}

}  // namespace dragnet::crawler::browser
