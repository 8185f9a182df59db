#include "intel/misp_push.h"

#include <algorithm>

#include "core/config_section.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/text.h"
#include "intel/export.h"

namespace dragnet::intel {
namespace {

// A response that means "retry": none came, or the server failed.
bool Transient(const HttpResponse& r) { return r.status == 0 || r.status >= 500; }

// MISP's answer to an add whose UUID it has: 404 (older versions 403)
// "Event already exists, if you would like to edit it, use the url in the
// location header." A bare 404 (wrong URL, not a MISP) is not taken as it.
bool AlreadyExists(const HttpResponse& r) {
  return (r.status == 403 || r.status == 404 || r.status == 409) &&
         r.body.find("already exists") != std::string::npos;
}

std::string Why(const HttpResponse& r) {
  if (r.status == 0) return r.error;
  return "HTTP " + std::to_string(r.status) + ": " + ToPrintable(CutText(r.body, 200));
}

}  // namespace

Status ParseMispShareOptions(const toml::table* root, MispShareOptions& o) {
  ConfigSection share(root, "share");
  share.Allow("misp");
  DRAGNET_RETURN_IF_ERROR(share.Finish());
  ConfigSection s(root, "share.misp");
  DRAGNET_RETURN_IF_ERROR(s.Get("url", o.url));
  DRAGNET_RETURN_IF_ERROR(s.Get("key", o.key));
  DRAGNET_RETURN_IF_ERROR(s.Get("distribution", o.distribution));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("timeout", o.timeout_ms));
  DRAGNET_RETURN_IF_ERROR(s.Finish());
  if (o.distribution < 0 || o.distribution > 3) {
    return InvalidArgument("config key 'share.misp.distribution' must be between 0 and 3 (got " +
                           std::to_string(o.distribution) + ")");
  }
  if (o.timeout_ms < 100 || o.timeout_ms > 600'000) {
    return InvalidArgument("config key 'share.misp.timeout' must be between 100ms and 10m");
  }
  if (!o.url.empty() && o.url.rfind("http://", 0) != 0 && o.url.rfind("https://", 0) != 0) {
    return InvalidArgument("config key 'share.misp.url' must be an http(s) URL (got '" + o.url + "')");
  }
  if (!o.url.empty() && o.key.empty()) return InvalidArgument("config key 'share.misp.key' is required with share.misp.url");
  while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
  return Status::Ok();
}

MispPusher::MispPusher(CampaignIndex& index, HttpClient& http, MispShareOptions options, std::string producer)
    : index_(index), http_(http), options_(std::move(options)), producer_(std::move(producer)) {}

HttpResponse MispPusher::Post(const std::string& path, nlohmann::json& event, int64_t now_ms, int64_t& last_ts) {
  HttpRequest req;
  req.method = "POST";
  req.url = options_.url + path;
  req.headers = {"Authorization: " + options_.key, "Accept: application/json", "Content-Type: application/json"};
  req.max_body_bytes = kMaxResponseBytes;
  req.timeout_ms = options_.timeout_ms;
  req.follow_redirects = false;  // the key is not sent anywhere else
  HttpResponse r;
  // Bounded by kMaxAttempts; a lost answer may have been stored, so the
  // retry must be newer than it.
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    last_ts = std::max(now_ms / 1000, last_ts + 1);
    event["Event"]["timestamp"] = std::to_string(last_ts);
    req.body = DumpJson(event);
    r = http_.Send(req);
    if (!Transient(r)) break;
  }
  return r;
}

Result<std::string> MispPusher::PushOne(const std::string& campaign_id, int64_t now_ms) {
  ExportQuery q;
  q.campaign_id = campaign_id;
  auto set = CollectExport(index_, q);
  if (!set.ok()) return set.status();
  set->producer = producer_;
  set->now_ms = now_ms;
  set->event_uuid = Uuid5(kDragnetUuidNamespace, "misp-event\ncampaign\n" + campaign_id);
  nlohmann::json event = MispEvent(*set);
  event["Event"]["distribution"] = std::to_string(options_.distribution);
  // What decides "changed": the content, not the export's own time.
  nlohmann::json content = event;
  content["Event"].erase("timestamp");
  content["Event"].erase("date");
  std::string digest = Sha256Hex(DumpJson(content));
  auto state = index_.PushState(campaign_id);
  if (!state.ok()) return state.status();
  bool accepted_before = state->has_value() && (*state)->pushed_ms > 0;
  if (accepted_before && (*state)->sha256 == digest) return std::string("unchanged");

  const std::string& uuid = set->event_uuid;
  int64_t last_ts = state->has_value() ? (*state)->event_ts : 0;
  std::string action = accepted_before ? "edit" : "add";
  HttpResponse r = Post(accepted_before ? "/events/edit/" + uuid : "/events/add", event, now_ms, last_ts);
  if (action == "add" && AlreadyExists(r)) {
    // Added before, its answer lost: the one event is edited instead.
    action = "edit";
    r = Post("/events/edit/" + uuid, event, now_ms, last_ts);
  } else if (action == "edit" && r.status == 404) {
    // The instance no longer has the event (deleted there): add it again.
    action = "add";
    r = Post("/events/add", event, now_ms, last_ts);
  }
  if (r.status < 200 || r.status > 299) {
    std::string why = "campaign " + campaign_id + ": MISP " + action + " failed: " + Why(r);
    DRAGNET_RETURN_IF_ERROR(index_.RecordPushFailure(campaign_id, why, last_ts, now_ms));
    return Unavailable(why);
  }
  DRAGNET_RETURN_IF_ERROR(index_.RecordPush(campaign_id, uuid, digest, last_ts, now_ms));
  return action;
}

Result<PushOutcome> MispPusher::PushAll(int64_t now_ms) {
  PushOutcome out;
  if (options_.url.empty()) return InvalidArgument("share.misp.url is not set");
  auto campaigns = index_.List(kMaxCampaignsPerRun);
  if (!campaigns.ok()) return campaigns.status();
  for (const auto& cp : *campaigns) {
    auto r = PushOne(cp.campaign_id, now_ms);
    if (!r.ok() && r.status().code() == Code::kLimitExceeded) {
      // Too large to export (kMaxExportCases): this campaign fails, the rest go.
      DRAGNET_RETURN_IF_ERROR(index_.RecordPushFailure(cp.campaign_id, r.status().message(), 0, now_ms));
    }
    if (!r.ok()) {
      // An index error stops the run; a refused or unanswered push, or a
      // campaign too large, is that campaign's failure.
      if (r.status().code() != Code::kUnavailable && r.status().code() != Code::kLimitExceeded) return r.status();
      ++out.failed;
      out.errors.push_back(r.status().message());
    } else if (*r == "add") {
      ++out.added;
    } else if (*r == "edit") {
      ++out.edited;
    } else {
      ++out.unchanged;
    }
  }
  return out;
}

}  // namespace dragnet::intel
