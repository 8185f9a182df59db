#pragma once
// BrowserOptions: the browser stage's knobs ([browser] in the config) and
// the capture profiles ([browser.profile.NAME]), with their defaults.
//
// A profile is how one kind of victim sees a site: its user agent,
// viewport, touch support, Accept-Language and, optionally, the Referer of
// the click that brought them (a search engine, a social network). Two
// profiles are built in (desktop, mobile); a [browser.profile.NAME] table
// overrides a built-in one key by key or defines a new one, and
// `profiles` names those captured for each seed, in order.
//
// Plain value types; parsed once at startup.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::crawler::browser {

struct BrowserProfile {
  std::string name;
  std::string user_agent;
  int width = 1366;                  // CSS pixels of the viewport
  int height = 768;
  double device_scale_factor = 1.0;
  bool mobile = false;               // mobile layout (meta viewport honoured)
  bool touch = false;                // touch events and maxTouchPoints
  // Language tags, most wanted first ("sv-SE,sv,en"); Chromium adds the
  // q-values to the Accept-Language header and sets navigator.languages.
  std::string accept_language = "en-US,en";
  std::string referer;               // sent with the first request; empty: none
};

// The built-in profiles: a desktop Chrome on Windows and a phone (Chrome on
// Android: 412x915 at 2.625, the viewport of a Pixel 7).
std::map<std::string, BrowserProfile> BuiltinProfiles();

struct BrowserOptions {
  // "auto": on when a Chromium executable is found (a notice once when it
  // is not); "true": on, and a missing Chromium is an error; "false": off.
  std::string enabled = "auto";
  // Chromium binary. Empty: /usr/lib/chromium/chromium (Debian's real
  // binary, not the /usr/bin shell wrapper that sources /etc/chromium.d),
  // then chromium and chromium-browser on PATH.
  std::string executable;
  // Browsers running at once (each one capture at a time). 0: one per two
  // cores, at least one. A headless Chromium with one page takes ~150-300
  // MB and most of a core while it renders.
  int pool_size = 0;
  // Wall-clock budget of one capture, navigation to snapshot. A page still
  // loading then is snapshotted as it is ("page_timeout" in limits_hit);
  // one whose renderer does not answer within a few seconds more is killed.
  int64_t page_timeout_ms = 20'000;
  // After the load event, how long to wait for quiet (no request in
  // flight) before the snapshot, for kits that build the page later in
  // JavaScript. Longer catches slower kits and costs every capture.
  int64_t settle_ms = 1'500;
  // Requests one capture may make; the rest are refused ("max_requests")
  // and counted in blocked_requests. Real scam pages make 10-100.
  int max_requests = 300;
  // Response body bytes (decoded) handed to one capture's page, summed; a
  // response that would pass it is withheld and later requests are refused
  // ("max_bytes").
  int64_t max_bytes = 32LL << 20;
  // Resident memory of one browser's whole process tree; above it the
  // capture ends ("renderer_memory") and the browser is killed. V8's heap
  // is capped at half of it too (--max-old-space-size).
  int64_t memory_bytes = 1LL << 30;
  // A browser is restarted (fresh process and temporary profile folder)
  // after this many captures; every capture already runs in its own
  // throw-away browser context.
  int recycle_after = 20;
  // Screenshot height cap in CSS pixels: a full-page PNG of an endless
  // page is cut here ("screenshot_height"). The PNG is in CSS pixels
  // (profile width x this at most).
  int max_screenshot_height = 10'000;
  // Rendered DOM kept (serialised HTML); longer is cut ("max_dom_bytes").
  int64_t max_dom_bytes = 4LL << 20;
  // Profiles captured per seed, in order.
  std::vector<std::string> profiles = {"desktop", "mobile"};
  // Every known profile (built-ins, overridden or extended by the config).
  std::map<std::string, BrowserProfile> profile_defs = BuiltinProfiles();

  bool off() const { return enabled == "false"; }
};

// Reads [browser] and [browser.profile.*] of `root` (may be null) over the
// defaults in `out`, and checks ranges and profile names.
Status ParseBrowserOptions(const toml::table* root, BrowserOptions& out);
Status ValidateBrowserOptions(const BrowserOptions& o);
// pool_size resolved: itself when > 0, else max(1, cores / 2).
int ResolvePoolSize(int configured);

}  // namespace dragnet::crawler::browser
