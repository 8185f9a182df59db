#include "crawler/browser/capture.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>

#include "core/clock.h"
#include "core/hash.h"
#include "core/strings.h"
#include "core/url.h"

namespace dragnet::crawler::browser {
namespace {

using nlohmann::json;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void AddUnique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Request headers Chromium hands us that the fetcher sets itself, or that
// describe a connection rather than the request.
bool DroppedRequestHeader(const std::string& lower) {
  static const char* kDrop[] = {"host", "connection", "content-length", "accept-encoding", "transfer-encoding",
                                "te", "upgrade", "keep-alive", "expect", "proxy-connection",
                                "proxy-authorization", "user-agent"};
  for (const char* d : kDrop) {
    if (lower == d) return true;
  }
  return false;
}

// Response headers that no longer describe the body we hand back (decoded,
// complete) or the connection it came on.
bool DroppedResponseHeader(const std::string& lower) {
  return lower == "content-encoding" || lower == "content-length" || lower == "transfer-encoding" ||
         lower == "connection" || lower == "keep-alive";
}

bool Token(const std::string& s) {
  if (s.empty() || s.size() > 256) return false;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f || c == ':') return false;
  }
  return true;
}

bool OneLine(const std::string& s) {
  if (s.size() > 8192) return false;
  for (unsigned char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// The DevTools Network.ErrorReason for a failed fetch.
const char* ErrorReason(const std::string& kind) {
  if (kind == "refused" || kind == "scheme") return "BlockedByClient";
  if (kind == "timeout" || kind == "low_speed") return "TimedOut";
  if (kind == "dns") return "NameNotResolved";
  if (kind == "connect") return "ConnectionRefused";
  if (kind == "cancelled") return "Aborted";
  return "Failed";
}

std::string HeaderBlock(const Hop& h) {
  std::string out = "HTTP/" + h.http_version + " " + std::to_string(h.status) + "\r\n";
  for (const auto& [k, v] : h.headers) out += k + ": " + v + "\r\n";
  return out;
}

class Session {
 public:
  Session(Browser& b, const CaptureRequest& req, const BrowserOptions& o, const CrawlOptions& crawl,
          EvidenceStore* ev, ManifestWriter* m, const FetcherTestOptions& test)
      : browser_(b), req_(req), o_(o), crawl_(crawl), evidence_(ev), manifest_(m), fetcher_(crawl, test) {
    out_.capture.profile = req.profile.name;
    out_.capture.user_agent = req.profile.user_agent;
    out_.capture.url = req.url;
    via_ = "browser:" + req.profile.name;
  }

  CaptureOutcome Run() {
    start_ = NowMs();
    deadline_ = start_ + o_.page_timeout_ms;
    if (browser_.closed()) {
      Fail("browser: the DevTools pipe is closed", true);
      return std::move(out_);
    }
    // One Hold for the event channel: Drain() hands it back each time the
    // browser has something for us, until Finish().
    fetcher_.Hold();
    token_ = true;
    browser_.SetSink([this](Browser::EventKind k, std::string m) { OnEvent(k, std::move(m)); });
    Start();
    fetcher_.Run();
    browser_.SetSink(nullptr);
    out_.capture.duration_ms = NowMs() - start_;
    if (out_.capture.final_url.empty()) out_.capture.final_url = out_.capture.url;
    return std::move(out_);
  }

 private:
  enum class Phase { kSetup, kLoading, kSnapshot, kDispose, kDone };
  using Reply = std::function<void(const json& result, const std::string& error)>;
  struct Event {
    Browser::EventKind kind;
    std::string text;
  };

  // ---------------------------------------------------------- plumbing ---

  // I/O thread: queue the event; post one Drain() per token.
  void OnEvent(Browser::EventKind kind, std::string text) {
    bool post = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (finished_) return;
      if (kind == Browser::EventKind::kTick) {
        if (tick_queued_) return;  // one pending tick is enough
        tick_queued_ = true;
      }
      queue_.push_back({kind, std::move(text)});
      if (token_) {
        token_ = false;
        post = true;
      }
    }
    if (post) fetcher_.Resume([this] { Drain(); });
  }

  // Loop thread.
  void Drain() {
    std::deque<Event> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (finished_) return;
      token_ = true;
      batch.swap(queue_);
      tick_queued_ = false;
    }
    fetcher_.Hold();
    for (auto& e : batch) {
      if (phase_ == Phase::kDone) break;
      if (e.kind == Browser::EventKind::kClosed) {
        Fail("browser: the DevTools pipe closed (Chromium exited or crashed)", true);
      } else if (e.kind == Browser::EventKind::kTick) {
        Tick();
      } else {
        Dispatch(e.text);
      }
    }
  }

  void Finish() {
    if (phase_ == Phase::kDone) return;
    phase_ = Phase::kDone;
    bool had_token = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      finished_ = true;
      had_token = token_;
      token_ = false;
      queue_.clear();
    }
    if (had_token) fetcher_.Resume([] {});  // gives the channel's Hold back
    fetcher_.Cancel();                      // fetches still in flight end now
  }

  void Fail(const std::string& error, bool broken) {
    if (out_.capture.error.empty()) out_.capture.error = error;
    if (broken) out_.browser_broken = true;
    if (broken || ctx_.empty()) {
      Finish();
    } else {
      Dispose();
    }
  }

  void Command(const std::string& method, json params, const std::string& session, Reply reply) {
    int id = browser_.Send(method, std::move(params), session);
    if (reply) replies_[id] = std::move(reply);
  }

  void Dispatch(const std::string& text) {
    json m = json::parse(text, nullptr, false);
    if (m.is_discarded() || !m.is_object()) return;
    if (m.contains("id") && m["id"].is_number_integer()) {
      auto it = replies_.find(m["id"].get<int>());
      if (it == replies_.end()) return;
      Reply r = std::move(it->second);
      replies_.erase(it);
      std::string error;
      if (m.contains("error") && m["error"].is_object()) {
        error = m["error"].value("message", std::string("error"));
        if (error.empty()) error = "error";
      }
      static const json kEmpty = json::object();
      r(m.contains("result") ? m["result"] : kEmpty, error);
      return;
    }
    if (!m.contains("method") || !m["method"].is_string()) return;
    const std::string method = m["method"];
    const std::string session = m.value("sessionId", std::string());
    static const json kNone = json::object();
    const json& p = m.contains("params") && m["params"].is_object() ? m["params"] : kNone;
    if (method == "Fetch.requestPaused") {
      OnRequest(p);
    } else if (session == session_ && !session_.empty()) {
      OnPageEvent(method, p);
    } else if (method == "Target.targetCreated") {
      OnTargetCreated(p);
    } else if (method == "Target.detachedFromTarget" && !session_.empty() &&
               p.value("sessionId", std::string()) == session_ && phase_ != Phase::kDispose) {
      Fail("browser: the page closed itself", false);
    }
  }

  // ------------------------------------------------------------ setup ---

  void Start() {
    Command("Target.setDiscoverTargets", {{"discover", true}}, "", nullptr);
    // Every request of every target pauses here before Chromium's network
    // stack sees it: the browser target's Fetch domain covers pages,
    // frames, workers and popups alike.
    Command("Fetch.enable", {{"patterns", json::array({{{"urlPattern", "*"}, {"requestStage", "Request"}}})}}, "",
            [this](const json&, const std::string& e) {
              if (!e.empty()) Fail("browser: Fetch.enable failed: " + e, true);
            });
    Command("Target.createBrowserContext", json::object(), "", [this](const json& r, const std::string& e) {
      if (!e.empty()) return Fail("browser: createBrowserContext failed: " + e, true);
      ctx_ = r.value("browserContextId", std::string());
      Command("Browser.setDownloadBehavior", {{"behavior", "deny"}, {"browserContextId", ctx_}}, "", nullptr);
      Command("Target.createTarget",
              {{"url", "about:blank"}, {"browserContextId", ctx_}, {"width", req_.profile.width},
               {"height", req_.profile.height}},
              "", [this](const json& r2, const std::string& e2) {
                if (!e2.empty()) return Fail("browser: createTarget failed: " + e2, true);
                target_ = r2.value("targetId", std::string());
                Command("Target.attachToTarget", {{"targetId", target_}, {"flatten", true}}, "",
                        [this](const json& r3, const std::string& e3) {
                          if (!e3.empty()) return Fail("browser: attachToTarget failed: " + e3, true);
                          session_ = r3.value("sessionId", std::string());
                          SetUpPage();
                        });
              });
    });
  }

  void SetUpPage() {
    const BrowserProfile& p = req_.profile;
    // Navigation waits for every reply: Chromium handles each domain on its
    // own, and a navigation sent along with Page.enable can load before the
    // page's events are on (no load event ever arrives).
    auto step = [this](const json&, const std::string& e) {
      if (!e.empty()) AddUnique(errors_, "browser: page set-up: " + e);
      if (--setup_pending_ == 0 && phase_ == Phase::kSetup) Navigate();
    };
    setup_pending_ = 4;
    Command("Page.enable", json::object(), session_, step);
    Command("Emulation.setDeviceMetricsOverride",
            {{"width", p.width}, {"height", p.height}, {"deviceScaleFactor", p.device_scale_factor},
             {"mobile", p.mobile}},
            session_, step);
    Command("Emulation.setTouchEmulationEnabled", {{"enabled", p.touch}, {"maxTouchPoints", p.touch ? 5 : 1}},
            session_, step);
    Command("Emulation.setUserAgentOverride", {{"userAgent", p.user_agent}, {"acceptLanguage", p.accept_language}},
            session_, step);
  }

  void Navigate() {
    const BrowserProfile& p = req_.profile;
    json nav = {{"url", req_.url}};
    if (!p.referer.empty()) nav["referrer"] = p.referer;
    phase_ = Phase::kLoading;
    Command("Page.navigate", nav, session_, [this](const json& r, const std::string& e) {
      std::string err = !e.empty() ? e : r.value("errorText", std::string());
      if (!err.empty() && phase_ == Phase::kLoading) {
        Fail("navigation: " + err, false);
      }
    });
  }

  // ------------------------------------------------------------ events ---

  void OnPageEvent(const std::string& method, const json& p) {
    if (phase_ == Phase::kLoading &&
        (method == "Page.loadEventFired" ||
         (method == "Page.frameStoppedLoading" && p.value("frameId", std::string()) == target_))) {
      load_fired_ = true;
      load_at_ = NowMs();
    } else if (method == "Page.javascriptDialogOpening") {
      // alert/confirm/prompt/beforeunload: answered at once, so a storm of
      // them cannot hold the page (each one is one round trip).
      ++dialogs_;
      Command("Page.handleJavaScriptDialog", {{"accept", true}}, session_, nullptr);
    } else if (method == "Page.frameNavigated") {
      const json& f = p.contains("frame") && p["frame"].is_object() ? p["frame"] : json::object();
      if (!f.contains("parentId")) out_.capture.final_url = f.value("url", out_.capture.final_url);
    } else if (method == "Inspector.targetCrashed" && phase_ != Phase::kDispose) {
      Fail("browser: the renderer crashed", true);
    } else if (method == "Page.downloadWillBegin") {
      AddRecord({p.value("url", std::string()), "GET", "Download", 0, true, "download"});
      ++out_.capture.blocked_requests;
    }
  }

  void OnTargetCreated(const json& p) {
    if (!p.contains("targetInfo") || !p["targetInfo"].is_object()) return;
    const json& t = p["targetInfo"];
    if (t.value("type", std::string()) != "page" || ctx_.empty()) return;
    if (t.value("browserContextId", std::string()) != ctx_) return;
    // Our own page's targetCreated may come before createTarget's reply: a
    // popup is a page with an opener.
    if (t.value("openerId", std::string()).empty() || target_.empty()) return;
    std::string id = t.value("targetId", std::string());
    if (id.empty() || id == target_ || popups_ >= kMaxPopupsClosed) return;
    // A popup (window.open): closed. Its requests were intercepted anyway.
    ++popups_;
    Command("Target.closeTarget", {{"targetId", id}}, "", nullptr);
  }

  void AddRecord(BrowserRequest r) {
    if (r.blocked && blocked_listed_++ >= kMaxBlockedRecords) return;
    out_.capture.requests.push_back(std::move(r));
  }

  void Block(const std::string& id, BrowserRequest rec, const std::string& reason) {
    rec.blocked = true;
    rec.reason = reason;
    ++out_.capture.blocked_requests;
    AddRecord(std::move(rec));
    browser_.Send("Fetch.failRequest", {{"requestId", id}, {"errorReason", "BlockedByClient"}});
  }

  void OnRequest(const json& p) {
    std::string id = p.value("requestId", std::string());
    if (id.empty()) return;
    const json& rq = p.contains("request") && p["request"].is_object() ? p["request"] : json::object();
    BrowserRequest rec;
    rec.url = rq.value("url", std::string());
    rec.method = rq.value("method", std::string("GET"));
    rec.type = p.value("resourceType", std::string());
    if (phase_ == Phase::kDispose || phase_ == Phase::kDone) {
      browser_.Send("Fetch.failRequest", {{"requestId", id}, {"errorReason", "Aborted"}});
      return;
    }
    auto u = ParseUrl(rec.url);
    if (!u.ok() || (u->scheme != "http" && u->scheme != "https")) return Block(id, rec, "scheme");
    const json& headers = rq.contains("headers") && rq["headers"].is_object() ? rq["headers"] : json::object();
    std::vector<std::string> hv;
    for (auto it = headers.begin(); it != headers.end(); ++it) {
      if (!it.value().is_string()) continue;
      std::string name = it.key();
      std::string value = it.value().get<std::string>();
      std::string lower = AsciiLower(name);
      if (lower == "service-worker" && value == "script") return Block(id, rec, "service_worker");
      if (DroppedRequestHeader(lower) || !Token(name) || !OneLine(value)) continue;
      hv.push_back(name + ": " + value);
    }
    if (started_ >= o_.max_requests) {
      AddUnique(out_.capture.limits_hit, "max_requests");
      return Block(id, rec, "max_requests");
    }
    if (bytes_ >= o_.max_bytes) {
      AddUnique(out_.capture.limits_hit, "max_bytes");
      return Block(id, rec, "max_bytes");
    }
    hv.push_back("User-Agent: " + req_.profile.user_agent);
    ++started_;
    ++inflight_;
    last_activity_ = NowMs();
    FetchRequest fr;
    fr.url = rec.url;
    fr.via = via_;
    fr.follow_redirects = false;  // Chromium follows them, and its next request pauses here too
    if (rec.method != "GET") fr.method = rec.method;
    if (rq.contains("postData") && rq["postData"].is_string()) fr.body = rq["postData"].get<std::string>();
    fr.headers = std::move(hv);
    fr.total_timeout_ms = std::min<int64_t>(crawl_.total_timeout_ms,
                                            std::max<int64_t>(1000, deadline_ + kSnapshotGraceMs - NowMs()));
    bool main_doc = rec.type == "Document" && p.value("frameId", std::string()) == target_;
    fetcher_.Add(std::move(fr), [this, id, rec, main_doc](FetchResult r) mutable {
      OnFetched(id, std::move(rec), main_doc, std::move(r));
    });
  }

  void OnFetched(const std::string& id, BrowserRequest rec, bool main_doc, FetchResult r) {
    --inflight_;
    last_activity_ = NowMs();
    if (phase_ == Phase::kDone) {
      // Still in flight when the capture ended: listed, never answered.
      rec.reason = "capture_ended";
      AddRecord(std::move(rec));
      return;
    }
    RecordEvidence(r);
    for (const auto& h : r.hops) {
      AddUnique(out_.ips, h.ip);
      out_.hops.push_back(h);
    }
    for (const auto& l : r.limits_hit) AddUnique(out_.capture.limits_hit, l);
    rec.status = r.status;
    if (r.status >= 100 && r.status <= 999 && !r.hops.empty() &&
        bytes_ + static_cast<int64_t>(r.body.size()) > o_.max_bytes) {
      // Requests run side by side, so the cap is kept when bodies arrive:
      // what would take the capture past it is never handed to the page.
      AddUnique(out_.capture.limits_hit, "max_bytes");
      rec.blocked = true;
      rec.reason = "max_bytes";
      ++out_.capture.blocked_requests;
      AddRecord(std::move(rec));
      browser_.Send("Fetch.failRequest", {{"requestId", id}, {"errorReason", "BlockedByClient"}});
      return;
    }
    if (r.status >= 100 && r.status <= 999 && !r.hops.empty()) {
      bytes_ += static_cast<int64_t>(r.body.size());
      json hs = json::array();
      for (const auto& [k, v] : r.hops.back().headers) {
        if (DroppedResponseHeader(AsciiLower(k)) || !OneLine(v)) continue;
        hs.push_back({{"name", k}, {"value", v}});
      }
      if (main_doc) out_.capture.status = r.status;
      if (!r.error.empty()) rec.reason = r.error_kind;  // e.g. too_large: the truncated body is served
      AddRecord(std::move(rec));
      browser_.Send("Fetch.fulfillRequest", {{"requestId", id}, {"responseCode", r.status},
                                             {"responseHeaders", hs}, {"body", Base64Encode(r.body)}});
      return;
    }
    rec.reason = r.error_kind.empty() ? "failed" : r.error_kind;
    if (r.error_kind == "refused" || r.error_kind == "scheme") {
      rec.blocked = true;
      ++out_.capture.blocked_requests;
    }
    if (main_doc && out_.capture.error.empty()) out_.capture.error = "main document: " + r.error;
    AddRecord(std::move(rec));
    browser_.Send("Fetch.failRequest", {{"requestId", id}, {"errorReason", ErrorReason(r.error_kind)}});
  }

  // The fetch as evidence, like the static crawl's: one entry per hop,
  // header blocks inline when printable, bodies as blobs.
  void RecordEvidence(const FetchResult& r) {
    if (!manifest_ || !evidence_) return;
    for (size_t i = 0; i < r.hops.size(); ++i) {
      const Hop& h = r.hops[i];
      Capture c;
      c.url = h.url;
      c.final_url = r.final_url;
      c.via = via_;
      c.time = FormatRfc3339Ms(r.started_unix_ms);
      c.status = h.status;
      c.remote_ip = h.ip;
      c.remote_port = h.port;
      c.http_version = h.http_version;
      c.tls = h.tls;
      c.error = h.error;
      if (h.status > 0) {
        std::string block = HeaderBlock(h);
        if (InlineableHeaders(block)) {
          c.headers_sha256 = Sha256Hex(block);
          c.headers = std::move(block);
        } else if (auto hs = evidence_->PutBlob(block); hs.ok()) {
          c.headers_sha256 = *hs;
        }
      }
      if (i + 1 == r.hops.size()) {
        c.content_type = r.content_type;
        c.limits_hit = r.limits_hit;
        if (h.status > 0) {
          auto body = evidence_->PutBlob(r.body);
          auto raw = r.raw_body == r.body ? body : evidence_->PutBlob(r.raw_body);
          if (body.ok()) c.body_sha256 = *body;
          if (raw.ok()) c.raw_sha256 = *raw;
          c.body_size = r.body.size();
          c.raw_size = r.raw_body.size();
        }
      }
      manifest_->Add(std::move(c));
    }
  }

  // ---------------------------------------------------------- deadlines ---

  void Tick() {
    int64_t now = NowMs();
    if (++ticks_ % 5 == 0 && phase_ != Phase::kDone) {
      int64_t rss = browser_.TreeRss();
      peak_rss_ = std::max(peak_rss_, rss);
      if (rss > o_.memory_bytes) {
        AddUnique(out_.capture.limits_hit, "renderer_memory");
        return Fail("browser: process tree above browser.memory_bytes (" + std::to_string(rss >> 20) + " MiB)", true);
      }
    }
    switch (phase_) {
      case Phase::kSetup:
        if (now >= deadline_) Fail("browser: no page within browser.page_timeout (browser hung)", true);
        break;
      case Phase::kLoading:
        if (now >= deadline_) {
          AddUnique(out_.capture.limits_hit, "page_timeout");
          if (out_.capture.error.empty()) {
            out_.capture.error = "timeout: the page was still loading after browser.page_timeout (" +
                                 std::to_string(o_.page_timeout_ms) + " ms); snapshot taken as it was";
          }
          Snapshot();
        } else if (load_fired_ && inflight_ == 0 && now - std::max(load_at_, last_activity_) >= o_.settle_ms) {
          Snapshot();
        }
        break;
      case Phase::kSnapshot:
      case Phase::kDispose:
        if (now >= grace_deadline_) {
          out_.capture.error = "timeout: the renderer did not answer (hung); browser killed";
          AddUnique(out_.capture.limits_hit, "page_timeout");
          out_.browser_broken = true;
          Finish();
        }
        break;
      case Phase::kDone:
        break;
    }
  }

  // ----------------------------------------------------------- snapshot ---

  void Snapshot() {
    phase_ = Phase::kSnapshot;
    grace_deadline_ = NowMs() + kSnapshotGraceMs;
    Command("Page.stopLoading", json::object(), session_, nullptr);
    Command("Page.getNavigationHistory", json::object(), session_, [this](const json& r, const std::string& e) {
      if (e.empty() && r.contains("entries") && r["entries"].is_array()) {
        int i = r.value("currentIndex", -1);
        if (i >= 0 && static_cast<size_t>(i) < r["entries"].size() && r["entries"][i].is_object()) {
          const json& en = r["entries"][i];
          out_.capture.final_url = en.value("url", out_.capture.final_url);
          out_.capture.title = en.value("title", std::string());
        }
      }
      Command("Page.getLayoutMetrics", json::object(), session_, [this](const json& lm, const std::string&) {
        double h = req_.profile.height;
        double w = req_.profile.width;
        if (lm.contains("cssContentSize") && lm["cssContentSize"].is_object()) {
          h = std::max(h, lm["cssContentSize"].value("height", h));
          // A page without a mobile viewport is laid out 980 px wide on a
          // phone too (shown zoomed out): take its whole width, bounded.
          w = std::clamp(lm["cssContentSize"].value("width", w), w, kMaxScreenshotWidth);
        }
        if (h > o_.max_screenshot_height) {
          AddUnique(out_.capture.limits_hit, "screenshot_height");
          h = o_.max_screenshot_height;
        }
        // In CSS pixels (scale 1/device_scale_factor): a phone profile's
        // full page at 2.6x would be a PNG of tens of megapixels, slow to
        // encode and to send; the evidence needs what the page shows.
        json clip = {{"x", 0}, {"y", 0}, {"width", static_cast<int>(w)}, {"height", static_cast<int>(h)},
                     {"scale", 1.0 / req_.profile.device_scale_factor}};
        Command("Page.captureScreenshot",
                {{"format", "png"}, {"captureBeyondViewport", true}, {"fromSurface", true}, {"clip", clip}}, session_,
                [this](const json& s, const std::string& e2) {
                  if (!e2.empty()) {
                    AddUnique(errors_, "screenshot: " + e2);
                  } else {
                    StoreSnapshotBlob(Base64Decode(s.value("data", std::string())), "image/png", "screenshot",
                                      out_.capture.screenshot_sha256);
                  }
                  GetDom();
                });
      });
    });
  }

  void GetDom() {
    Command("DOM.getDocument", {{"depth", 0}}, session_, [this](const json& d, const std::string& e) {
      if (!e.empty() || !d.contains("root")) {
        AddUnique(errors_, "dom: " + e);
        return Dispose();
      }
      int node = d["root"].value("nodeId", 0);
      Command("DOM.getOuterHTML", {{"nodeId", node}}, session_, [this](const json& h, const std::string& e2) {
        if (!e2.empty()) {
          AddUnique(errors_, "dom: " + e2);
        } else {
          std::string html = h.value("outerHTML", std::string());
          if (static_cast<int64_t>(html.size()) > o_.max_dom_bytes) {
            AddUnique(out_.capture.limits_hit, "max_dom_bytes");
            html.resize(static_cast<size_t>(o_.max_dom_bytes));
          }
          StoreSnapshotBlob(html, "text/html; charset=utf-8", "render", out_.capture.dom_sha256);
          out_.dom = std::move(html);
        }
        Dispose();
      });
    });
  }

  void StoreSnapshotBlob(const std::string& bytes, const std::string& type, const std::string& what,
                         std::string& sha_out) {
    if (bytes.empty()) return;
    if (evidence_) {
      auto sha = evidence_->PutBlob(bytes);
      if (!sha.ok()) {
        AddUnique(errors_, "evidence: cannot store the " + what + ": " + sha.status().message());
        sha_out = Sha256Hex(bytes);
      } else {
        sha_out = *sha;
        if (what == "screenshot") out_.screenshot_path = evidence_->BlobPath(sha_out);
      }
    } else {
      sha_out = Sha256Hex(bytes);
    }
    if (!manifest_) return;
    Capture c;
    c.url = req_.url;
    c.final_url = out_.capture.final_url;
    c.via = what + ":" + req_.profile.name;
    c.time = FormatRfc3339Ms(SystemClock::Instance().NowUnixMs());
    c.status = out_.capture.status;
    c.content_type = type;
    c.body_sha256 = sha_out;
    c.raw_sha256 = sha_out;
    c.body_size = c.raw_size = bytes.size();
    manifest_->Add(std::move(c));
  }

  void Dispose() {
    if (phase_ == Phase::kDispose || phase_ == Phase::kDone) return;
    phase_ = Phase::kDispose;
    if (grace_deadline_ == 0) grace_deadline_ = NowMs() + kSnapshotGraceMs;
    if (!errors_.empty() && out_.capture.error.empty()) out_.capture.error = errors_.front();
    if (ctx_.empty()) return Finish();
    // Closes the page, its popups and workers, and forgets everything the
    // context stored; requests still paused fail with it.
    Command("Target.disposeBrowserContext", {{"browserContextId", ctx_}}, "",
            [this](const json&, const std::string&) { Finish(); });
  }

  Browser& browser_;
  const CaptureRequest& req_;
  const BrowserOptions& o_;
  const CrawlOptions& crawl_;
  EvidenceStore* evidence_;
  ManifestWriter* manifest_;
  Fetcher fetcher_;
  CaptureOutcome out_;
  std::string via_;

  // ---- shared with the I/O thread ----
  std::mutex mu_;
  std::deque<Event> queue_;   // GUARDED_BY(mu_)
  bool token_ = false;        // GUARDED_BY(mu_): the I/O thread may post one Drain()
  bool tick_queued_ = false;  // GUARDED_BY(mu_)
  bool finished_ = false;     // GUARDED_BY(mu_)

  // ---- loop thread only ----
  Phase phase_ = Phase::kSetup;
  std::map<int, Reply> replies_;
  std::string ctx_, target_, session_;
  int64_t start_ = 0, deadline_ = 0, grace_deadline_ = 0;
  int64_t load_at_ = 0, last_activity_ = 0;
  bool load_fired_ = false;
  size_t blocked_listed_ = 0;
  int started_ = 0, inflight_ = 0, dialogs_ = 0, popups_ = 0, setup_pending_ = 0;
  int64_t bytes_ = 0, peak_rss_ = 0;
  uint64_t ticks_ = 0;
  std::vector<std::string> errors_;
};

}  // namespace

CaptureOutcome CapturePage(Browser& browser, const CaptureRequest& req, const BrowserOptions& o,
                           const CrawlOptions& crawl, EvidenceStore* evidence, ManifestWriter* manifest,
                           const FetcherTestOptions& test) {
  Session s(browser, req, o, crawl, evidence, manifest, test);
  return s.Run();
}

}  // namespace dragnet::crawler::browser
