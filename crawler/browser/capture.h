#pragma once
// CapturePage: one page, one profile, in a real browser whose every request
// is made by Dragnet's own fetcher.
//
// Flow, on one Browser (crawler/browser/chromium.h): a fresh browser context
// (an off-the-record profile: no cookies, cache or storage shared with any
// other capture; downloads denied), one page target with the profile's
// viewport, touch, user agent and Accept-Language, then navigation to the
// URL (with the profile's Referer). The DevTools Fetch domain is enabled on
// the browser target with the pattern "*" at the request stage, so every
// request of every page, frame, worker and popup pauses before Chromium's
// network stack sees it; each is made by a crawler::Fetcher (the SSRF guard
// at connect time, the size and time limits, the --resolve pins of the
// crawl) without following redirects, and handed back with
// Fetch.fulfillRequest (a 3xx goes back as it is, and Chromium's next
// request for the Location pauses in turn), or refused with
// Fetch.failRequest. Refused: an address the guard refuses, a scheme other
// than http(s), a service worker script, and everything past max_requests
// or max_bytes. Every fetch is recorded in the seed's evidence manifest like
// the static crawl's (via "browser:<profile>"), and listed in the capture's
// requests with its status and whether it was blocked.
//
// The snapshot is taken once the load event has fired and the page has been
// quiet (no request in flight) for `settle`, or at page_timeout: the page's
// URL and title from the navigation history, a full-page PNG (height capped)
// and the rendered DOM (DOM.getOuterHTML: no page script runs to produce it),
// both stored as evidence blobs and chained into the manifest. JavaScript
// dialogs are dismissed as they open, popups are closed, a renderer that
// does not answer within kSnapshotGraceMs after the timeout, a crash, a
// closed pipe or a process tree above memory_bytes end the capture with
// `error` set and the browser marked broken (the pool kills it).
//
// Threads: CapturePage runs on the calling thread, which runs the capture's
// Fetcher loop (Fetcher::Run); DevTools messages and ticks arrive from the
// Browser's I/O thread and are posted into that loop (Fetcher::Resume), so
// every bit of capture state is touched by the calling thread only. The
// manifest writer is used on the calling thread only, during the call.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "crawler/browser/chromium.h"
#include "crawler/browser/options.h"
#include "crawler/evidence.h"
#include "crawler/fetcher.h"
#include "crawler/options.h"

namespace dragnet::crawler::browser {

// Time allowed after page_timeout for the snapshot and the context's
// disposal; a renderer that is still busy then is hung.
// (A 10,000 px screenshot under load takes a few seconds.)
inline constexpr int64_t kSnapshotGraceMs = 10'000;
// Widest screenshot, CSS pixels (a page wider than its viewport is shown
// whole up to this; wider still is cut).
inline constexpr double kMaxScreenshotWidth = 4'000;
// Blocked requests listed in a capture's `requests` (all are counted in
// blocked_requests); the others are listed all, being at most max_requests.
inline constexpr size_t kMaxBlockedRecords = 1'000;
// Popups a page may open; each is closed, and past this many the capture
// stops listening for more (they are still intercepted and capped).
inline constexpr int kMaxPopupsClosed = 100;

struct CaptureRequest {
  std::string url;
  BrowserProfile profile;
};

struct CaptureOutcome {
  BrowserCapture capture;          // what goes into SeedResult.captures
  std::string dom;                 // rendered HTML (also the dom blob), empty when none
  std::string screenshot_path;     // blob path of the PNG, empty when none
  std::vector<std::string> ips;    // remote addresses the fetcher connected to
  std::vector<Hop> hops;           // every hop fetched for the page
  bool browser_broken = false;     // hung, crashed or over its memory cap: recycle it
};

// `evidence` and `manifest` may be null (nothing stored; the hashes are
// still computed). `test` carries the fetcher's test seams.
CaptureOutcome CapturePage(Browser& browser, const CaptureRequest& req, const BrowserOptions& o,
                           const CrawlOptions& crawl, EvidenceStore* evidence, ManifestWriter* manifest,
                           const FetcherTestOptions& test = {});

}  // namespace dragnet::crawler::browser
