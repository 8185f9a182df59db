#include "core/json.h"
#include "reporters/service.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/fs.h"
#include "core/hash.h"
#include "core/model_json.h"
#include "core/strings.h"
#include "core/text.h"
#include "reporters/case_history.h"
#include "reporters/deliver.h"
#include "reporters/sqlite_state.h"

namespace dragnet::reporters {
namespace {

// One rolling hour, the rate limit's window.
constexpr int64_t kHourMs = 3600LL * 1000;

// What the summary and `reports list` call a recipient.
std::string Display(const std::string& key) {
  if (key.rfind("mailto:", 0) == 0) return key.substr(7);
  if (key.rfind("form:", 0) == 0) return key.substr(5);
  return key;
}

std::string PublicStatus(const std::string& item_status) {
  return item_status == "pending" ? "queued" : item_status;
}

// Reports of one campaign (same scam type and brand) to one recipient batch together.
std::string Campaign(const SeedResult& r) {
  if (!r.verdict) return "unknown";
  return AsciiLower(r.verdict->scam_type) + "/" + AsciiLower(r.verdict->brand_impersonated);
}

// The standing verdict came from a scan that saw and scored the site.
bool StandingCredible(const CaseRecord& c) {
  return c.label == "malicious" || c.label == "suspicious" || c.label == "benign";
}

std::string Dirname(const std::string& p) {
  auto s = p.rfind('/');
  return s == std::string::npos ? "." : p.substr(0, s);
}

}  // namespace

ReportService::ReportService(ReporterOptions options, std::string state_dir, LivenessProbe* probe,
                             HttpClient* http, const Clock* clock)
    : options_(std::move(options)),
      state_dir_(std::move(state_dir)),
      probe_(probe),
      http_(http),
      clock_(clock),
      rng_(std::random_device{}()) {}

ReportService::~ReportService() = default;

CaseStore* ReportService::cases() { return state_.get(); }
Ledger* ReportService::ledger() { return state_.get(); }

Status ReportService::Init() {
  DRAGNET_RETURN_IF_ERROR(MakeDirs(state_dir_));
  auto st = SqliteState::Open(state_dir_ + "/reporter.db");
  if (!st.ok()) return st.status();
  state_ = std::move(st).value();
  outbox_dir_ = options_.outbox_dir.empty() ? state_dir_ + "/outbox" : options_.outbox_dir;
  DRAGNET_RETURN_IF_ERROR(MakeDirs(outbox_dir_));
  if (options_.contacts_file.empty()) return InvalidArgument("contacts.file is not set (config/contacts.toml)");
  auto c = Contacts::Load(options_.contacts_file);
  if (!c.ok()) return c.status();
  contacts_ = std::move(c).value();
  std::string tdir = options_.templates_dir.empty() ? Dirname(options_.contacts_file) + "/templates" : options_.templates_dir;
  auto t = TemplateSet::Load(tdir);
  if (!t.ok()) return t.status();
  templates_ = std::move(t).value();
  const char* hook = std::getenv("DRAGNET_TEST_CRASH_AFTER_OUTBOX");
  crash_after_outbox_ = hook && std::string(hook) == "1";
  return Status::Ok();
}

// ----------------------------------------------------------------- cases ---

void ReportService::Process(SeedResult& r) {
  if (!state_ || !templates_) {
    r.errors.push_back("reporter: ReportService::Init() was not called or failed; no case recorded");
    return;
  }
  const int64_t now = clock_->NowUnixMs();
  const std::string key = CaseKeyOf(r);
  const std::string case_id = MakeCaseId(key);
  r.case_id = case_id;
  auto existing = state_->Get(case_id);
  if (!existing.ok() && existing.status().code() != Code::kNotFound) {
    spdlog::error("reporter: case {} for {}: {}", case_id, ToPrintable(r.seed), existing.status().message());
    r.errors.push_back("reporter: " + existing.status().message());
    return;
  }
  const bool exists = existing.ok();
  // ---- history: every scan is an observation, kept whatever it says ----
  Observation obs = ObservationOfScan(r, case_id, now);
  Status st = state_->AddObservation(obs);
  if (!st.ok()) {
    spdlog::error("reporter: case {} for {}: {}", case_id, ToPrintable(r.seed), st.message());
    r.errors.push_back("reporter: " + st.message());
    return;
  }
  CaseRecord c;
  if (exists) {
    c = std::move(existing).value();
    c.scans += 1;
  } else {
    c.key = key;
    c.case_id = case_id;
    c.created_ms = now;
    c.status = kCaseNew;
    c.decided_by = "policy";
    c.reason = "no credible verdict yet";
    c.scans = 1;
  }
  c.updated_ms = now;
  // ---- the standing verdict only rises ----
  // (An uncredible scan of a case that has nothing better is shown as it is.)
  if (!exists || RaisesStanding(c, exists, obs) || (c.status == kCaseNew && !StandingCredible(c))) {
    c.seed = r.seed;
    c.final_url = r.final_url;
    c.score = obs.score;
    c.label = obs.label;
    c.scam_type = obs.scam_type;
    c.brand = obs.brand;
    c.result = r;
  }
  const std::string before = exists ? c.status : std::string();
  const auto& o = options_;
  bool file = false;
  if (c.status == kCaseRejected) {
    // An analyst said no: sticks.
  } else if (PolicyRank(c.status) >= 0) {
    // new, benign, review, reported: the policy status of the standing score,
    // only ever up.
    const char* want = StandingCredible(c) ? PolicyStatus(c.score, o) : kCaseNew;
    if (PolicyRank(want) > PolicyRank(c.status)) {
      c.status = want;
      c.decided_by = "policy";
      if (c.status == kCaseReported) {
        c.reason = "score " + std::to_string(c.score) + " >= policy.auto_report_threshold " +
                   std::to_string(o.auto_report_threshold) + ": reported automatically";
      } else if (c.status == kCaseReview) {
        c.reason = "score " + std::to_string(c.score) + " between policy.review_threshold " +
                   std::to_string(o.review_threshold) + " and policy.auto_report_threshold " +
                   std::to_string(o.auto_report_threshold) + ": waiting for an analyst";
      } else if (c.status == kCaseBenign) {
        c.reason = "score " + std::to_string(c.score) + " < policy.review_threshold " +
                   std::to_string(o.review_threshold) + ": no report";
      }
    }
    // A reported case is filed again on every credible malicious scan: the
    // ledger decides (never twice within rereport_after; after it, once more
    // and to the registry per policy.registry = escalation).
    file = c.status == kCaseReported && obs.credible && obs.score >= o.auto_report_threshold;
  } else if (c.status == kCaseEscalated) {
    file = obs.credible && obs.score >= o.auto_report_threshold;
  } else if (c.status == kCaseDown && obs.credible && obs.score >= o.review_threshold) {
    // The site answers again with its kit: the monitor re-checks it at its
    // next round and reopens the case (monitor/monitor.h).
    c.next_check_ms = now;
  }
  if (c.status == kCaseReported && c.reported_ms == 0) c.reported_ms = now;
  st = state_->Upsert(c);
  if (!st.ok()) {
    spdlog::error("reporter: case {} for {}: {}", c.case_id, ToPrintable(r.seed), st.message());
    r.errors.push_back("reporter: " + st.message());
    return;
  }
  if (before != c.status) {
    (void)RecordStatus(c.case_id, before, c.status, c.decided_by, c.reason, now);
  }
  SeedResult standing;
  bool have_standing = false;
  if (file || c.status == kCaseReview) {
    try {
      standing = c.result.get<SeedResult>();
      have_standing = true;
    } catch (const std::exception& e) {
      r.errors.push_back("reporter: case " + c.case_id + ": stored scan result does not parse: " + e.what());
    }
  }
  r.reports.clear();
  if (file && have_standing) {
    r.reports = FileReports(c, standing);
  } else if (c.status == kCaseReview && have_standing) {
    RoutePlan plan = Route(standing, contacts_, options_);
    for (const auto& rc : plan.recipients) {
      r.reports.push_back({Display(rc.key), rc.reason + " (" + c.reason + "; dragnet review approve " + c.case_id + ")",
                           "review"});
    }
  }
  spdlog::info("reporter: case {} ({}) {}: {} report decision(s)", c.case_id, c.key, c.status, r.reports.size());
  st = Tick();
  if (!st.ok()) {
    spdlog::error("reporter: case {}: {}", c.case_id, st.message());
    r.errors.push_back("reporter: " + st.message());
  }
}

std::vector<ReportSummary> ReportService::FileReports(const CaseRecord& c, const SeedResult& r) {
  const int64_t now = clock_->NowUnixMs();
  std::vector<ReportSummary> out;
  RouteContext ctx;
  std::string landing;
  {
    RoutePlan probe_plan = Route(r, contacts_, options_);
    landing = probe_plan.landing_url;
  }
  if (!landing.empty()) {
    auto before = state_->SentBefore(landing, now - options_.rereport_after_ms + 1);
    ctx.previously_reported = before.ok() && *before;
  }
  RoutePlan plan = Route(r, contacts_, options_, ctx);
  for (const auto& note : plan.notes) spdlog::info("reporter: case {}: {}", c.case_id, note);
  for (const auto& rc : plan.recipients) {
    ReportItem it;
    it.report_id = RandomUuid();
    it.case_id = c.case_id;
    it.url = rc.url;
    it.recipient = rc.key;
    it.recipient_name = rc.name + " (" + rc.kind + ")";
    it.kind = rc.kind;
    it.language = rc.language;
    it.reason = rc.reason;
    if (!rc.accounts.empty()) {
      std::string acc;
      for (const auto& a : rc.accounts) acc += (acc.empty() ? "" : ", ") + a;
      it.reason += " [accounts: " + acc + "]";
    }
    it.batch_key = rc.key + "|" + Campaign(r);
    it.created_ms = now;
    if (rc.suppressed) {
      it.status = "suppressed";
    } else if (rc.route == "form") {
      it.status = "skipped";
      it.reason += " This recipient takes reports by web form only: file it by hand at " + rc.address + ".";
    } else if (rc.route == "none") {
      it.status = "skipped";
    } else if (rc.route == "webhook" && !options_.webhooks.count(rc.address)) {
      it.status = "skipped";
      it.reason += " Webhook route '" + rc.address + "' is not configured ([delivery.webhook." + rc.address + "]).";
    } else if (std::string bad = BadRoute(rc.key); !bad.empty()) {
      it.status = "skipped";
      it.reason += " " + bad;
    } else {
      auto outstanding = state_->Outstanding(rc.url, rc.key);
      auto last = state_->LastReported(rc.url, rc.key);
      if (!outstanding.ok() || !last.ok()) {
        const Status& st = !outstanding.ok() ? outstanding.status() : last.status();
        out.push_back({Display(rc.key), rc.reason + " (ledger error: " + st.message() + ")", "failed"});
        continue;
      }
      if (*outstanding) {
        it.status = "suppressed";
        it.reason += " A report of this URL to this recipient is already in the outbox.";
      } else if (last->has_value() && now - **last < options_.rereport_after_ms) {
        it.status = "suppressed";
        it.reason += " Already reported to this recipient at " + FormatRfc3339Ms(**last) + "; not again before " +
                     FormatRfc3339Ms(**last + options_.rereport_after_ms) + " (policy.rereport_after).";
      } else {
        it.status = "pending";
      }
    }
    Status st = state_->AddItem(it);
    if (!st.ok()) {
      spdlog::error("reporter: case {}: ledger: {}", c.case_id, st.message());
      out.push_back({Display(rc.key), rc.reason + " (ledger error: " + st.message() + ")", "failed"});
      continue;
    }
    out.push_back({Display(rc.key), it.reason, PublicStatus(it.status)});
  }
  return out;
}

Result<std::vector<CaseRecord>> ReportService::ListCases(const CaseQuery& q) { return state_->List(q); }
Result<CaseRecord> ReportService::GetCase(const std::string& id) { return state_->Get(id); }

Result<std::vector<ReportSummary>> ReportService::Approve(const std::string& id, const std::string& decided_by) {
  auto c = state_->Get(id);
  if (!c.ok()) return c.status();
  if (c->status != kCaseReview) {
    return InvalidArgument("case " + id + " is " + c->status + ", not waiting for review");
  }
  const std::string by = decided_by.empty() ? "analyst" : decided_by;
  return FileNow(std::move(c).value(), by, by == "analyst" ? "approved by an analyst" : "approved by " + by);
}

Status ReportService::Reject(const std::string& id, const std::string& reason, const std::string& decided_by) {
  auto c = state_->Get(id);
  if (!c.ok()) return c.status();
  if (reason.empty()) return InvalidArgument("a reason is required to reject a case");
  CaseRecord rec = std::move(c).value();
  const std::string before = rec.status;
  rec.status = kCaseRejected;
  rec.decided_by = decided_by.empty() ? "analyst" : decided_by;
  rec.reason = reason;
  rec.updated_ms = clock_->NowUnixMs();
  DRAGNET_RETURN_IF_ERROR(state_->Upsert(rec));
  // Withdraw what was filed and not yet sent: a later flush (another
  // process, the daemon's tick) must not send a rejected case's reports.
  ItemQuery q;
  q.case_id = rec.case_id;
  auto items = state_->Items(q);
  if (!items.ok()) return items.status();
  int withdrawn = 0;
  for (const auto& it : *items) {
    if (it.status != "pending" && it.status != "queued") continue;
    DRAGNET_RETURN_IF_ERROR(state_->UpdateItem(it.id, "withdrawn", "", 0));
    ++withdrawn;
  }
  if (withdrawn > 0) {
    spdlog::info("reporter: case {} rejected: {} unsent report(s) withdrawn", rec.case_id, withdrawn);
  }
  return RecordStatus(rec.case_id, before, rec.status, rec.decided_by,
                      withdrawn > 0 ? rec.reason + " (" + std::to_string(withdrawn) + " unsent report(s) withdrawn)"
                                    : rec.reason,
                      rec.updated_ms);
}

Status ReportService::EnableDelivery() {
  DRAGNET_RETURN_IF_ERROR(CheckSenderIdentity(options_));
  options_.enabled = true;
  return Status::Ok();
}

Result<std::vector<ReportSummary>> ReportService::ReportNow(const std::string& id, const std::string& decided_by,
                                                            const std::string& force_reason) {
  auto c = state_->Get(id);
  if (!c.ok()) return c.status();
  const std::string by = decided_by.empty() ? "analyst" : decided_by;
  const int score = c->score;
  const std::string label = c->label.empty() ? std::string("no verdict") : c->label;
  if (score < options_.review_threshold) {
    if (force_reason.empty()) {
      return Refused("case " + id + " scored " + std::to_string(score) + " (" + label +
                     "), below policy.review_threshold " +
                     std::to_string(options_.review_threshold) +
                     ": there is nothing credible to report. To report it anyway, say why: "
                     "dragnet report " + id + " --force --reason TEXT");
    }
    return FileNow(std::move(c).value(), by,
                   "reported by " + by + " despite score " + std::to_string(score) +
                       " < policy.review_threshold " + std::to_string(options_.review_threshold) + ": " +
                       force_reason);
  }
  return FileNow(std::move(c).value(), by,
                 force_reason.empty() ? (by == "analyst" ? "approved by an analyst" : "approved by " + by)
                                      : "reported by " + by + ": " + force_reason);
}

Result<std::vector<ReportSummary>> ReportService::FileNow(CaseRecord rec, const std::string& decided_by,
                                                          const std::string& why) {
  SeedResult r;
  try {
    r = rec.result.get<SeedResult>();
  } catch (const std::exception& e) {
    return Corrupt("case " + rec.case_id + ": stored scan result does not parse: " + e.what());
  }
  const std::string before = rec.status;
  rec.status = kCaseReported;
  rec.decided_by = decided_by;
  rec.reason = why;
  rec.updated_ms = clock_->NowUnixMs();
  if (rec.reported_ms == 0) rec.reported_ms = rec.updated_ms;
  if (rec.next_check_ms < 0) rec.next_check_ms = 0;  // watched again (scheduled by the monitor)
  DRAGNET_RETURN_IF_ERROR(state_->Upsert(rec));
  if (before != rec.status) {
    DRAGNET_RETURN_IF_ERROR(RecordStatus(rec.case_id, before, rec.status, rec.decided_by, rec.reason, rec.updated_ms));
  }
  auto out = FileReports(rec, r);
  DRAGNET_RETURN_IF_ERROR(Flush());
  return out;
}

// -------------------------------------------------------------- dry run ---

Result<DryRunPlan> ReportService::Plan(const std::string& id) {
  auto c = state_->Get(id);
  if (!c.ok()) return c.status();
  DryRunPlan plan;
  plan.c = std::move(c).value();
  SeedResult r;
  try {
    r = plan.c.result.get<SeedResult>();
  } catch (const std::exception& e) {
    return Corrupt("case " + id + ": stored scan result does not parse: " + e.what());
  }
  const int64_t now = clock_->NowUnixMs();
  RouteContext ctx;
  plan.route = Route(r, contacts_, options_);
  if (!plan.route.landing_url.empty()) {
    auto before = state_->SentBefore(plan.route.landing_url, now - options_.rereport_after_ms + 1);
    ctx.previously_reported = before.ok() && *before;
    plan.route = Route(r, contacts_, options_, ctx);
  }
  for (const auto& rc : plan.route.recipients) {
    PlannedMessage pm;
    pm.recipient = rc;
    if (rc.suppressed) {
      pm.status = "suppressed";
    } else if (rc.route == "form") {
      pm.status = "skipped";
      pm.note = "web form only: file by hand at " + rc.address;
    } else if (rc.route == "none") {
      pm.status = "skipped";
      pm.note = "no usable contact";
    } else if (rc.route == "webhook" && !options_.webhooks.count(rc.address)) {
      pm.status = "skipped";
      pm.note = "webhook route '" + rc.address + "' is not configured";
    } else {
      auto outstanding = state_->Outstanding(rc.url, rc.key);
      auto last = state_->LastReported(rc.url, rc.key);
      if (outstanding.ok() && *outstanding) {
        pm.status = "suppressed";
        pm.note = "a report of this URL to this recipient is already in the outbox";
      } else if (last.ok() && last->has_value() && now - **last < options_.rereport_after_ms) {
        pm.status = "suppressed";
        pm.note = "already reported at " + FormatRfc3339Ms(**last) + "; not again before " +
                  FormatRfc3339Ms(**last + options_.rereport_after_ms);
      } else {
        pm.status = "send";
        OutboxMessage m;
        m.id = "dry-run-" + plan.c.case_id;
        m.recipient = rc.key;
        m.route = rc.route;
        RenderItem ri;
        ri.item.report_id = "00000000-0000-4000-8000-000000000000";
        ri.item.case_id = plan.c.case_id;
        ri.item.url = rc.url;
        ri.item.recipient = rc.key;
        ri.item.recipient_name = rc.name + " (" + rc.kind + ")";
        ri.item.kind = rc.kind;
        ri.item.language = rc.language;
        ri.item.reason = rc.reason;
        ri.result = r;
        ri.accounts = rc.accounts;
        pm.rendered = RenderMessage(m, {ri}, options_, *templates_, now);
      }
    }
    plan.messages.push_back(std::move(pm));
  }
  return plan;
}

// ------------------------------------------------------------- batching ---

Status ReportService::Flush() {
  if (!state_ || !templates_) return Internal("ReportService used before a successful Init()");
  DRAGNET_RETURN_IF_ERROR(CloseBatches(true));
  return DeliverDue();
}

Status ReportService::Tick() {
  if (!state_ || !templates_) return Internal("ReportService used before a successful Init()");
  DRAGNET_RETURN_IF_ERROR(CloseBatches(false));
  return DeliverDue();
}

Result<std::vector<RenderItem>> ReportService::LoadRenderItems(const std::vector<ReportItem>& items) {
  std::vector<RenderItem> out;
  std::map<std::string, SeedResult> results;
  for (const auto& it : items) {
    if (!results.count(it.case_id)) {
      auto c = state_->Get(it.case_id);
      if (!c.ok()) return c.status();
      try {
        results[it.case_id] = c->result.get<SeedResult>();
      } catch (const std::exception& e) {
        return Corrupt("case " + it.case_id + ": stored scan result does not parse: " + e.what());
      }
    }
    RenderItem ri;
    ri.item = it;
    ri.result = results[it.case_id];
    if (!it.escalation_of.empty()) ri.followup = LoadFollowUp(it);
    auto acc = it.reason.find(" [accounts: ");
    if (acc != std::string::npos) {
      std::string list = it.reason.substr(acc + 12);
      if (!list.empty() && list.back() == ']') list.pop_back();
      size_t pos = 0;
      while (pos < list.size()) {
        size_t comma = list.find(", ", pos);
        ri.accounts.push_back(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        if (comma == std::string::npos) break;
        pos = comma + 2;
      }
    }
    out.push_back(std::move(ri));
  }
  return out;
}

Status ReportService::WriteOutbox(const OutboxMessage& m, const RenderedMessage& r) {
  std::string body_path = outbox_dir_ + "/" + m.id + (m.route == "webhook" ? ".webhook.json" : ".eml");
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(body_path, m.route == "webhook" ? r.webhook_body : r.eml));
  nlohmann::json meta = r.meta;
  meta["outbox_file"] = body_path;
  meta["status"] = m.status;
  meta["attempts"] = m.attempts;
  return WriteFileAtomic(outbox_dir_ + "/" + m.id + ".json", DumpJson(meta, 2) + "\n");
}

Status ReportService::CloseBatches(bool force) {
  auto pending = state_->Pending();
  if (!pending.ok()) return pending.status();
  const int64_t now = clock_->NowUnixMs();
  std::map<std::string, std::vector<ReportItem>> batches;
  std::vector<std::string> order;
  for (auto& it : *pending) {
    if (!batches.count(it.batch_key)) order.push_back(it.batch_key);
    batches[it.batch_key].push_back(std::move(it));
  }
  for (const auto& key : order) {
    auto& items = batches[key];
    int64_t oldest = items.front().created_ms;
    if (!force && options_.batch_window_ms > 0 && now - oldest < options_.batch_window_ms) continue;
    DRAGNET_RETURN_IF_ERROR(ComposeBatch(items, now));
  }
  return Status::Ok();
}

Status ReportService::ComposeBatch(const std::vector<ReportItem>& items, int64_t now) {
  OutboxMessage m;
  m.id = RandomUuid();
  m.recipient = items.front().recipient;
  m.route = m.recipient.rfind("webhook:", 0) == 0 ? "webhook" : "email";
  m.status = "queued";
  m.created_ms = now;
  m.next_attempt_ms = now;
  m.outbox_file = outbox_dir_ + "/" + m.id + (m.route == "webhook" ? ".webhook.json" : ".eml");
  m.escalation_of = items.front().escalation_of;
  auto ri = LoadRenderItems(items);
  if (!ri.ok()) return ri.status();
  RenderedMessage rendered = RenderMessage(m, *ri, options_, *templates_, now);
  // Outbox first: the message is on disk before the ledger says queued.
  DRAGNET_RETURN_IF_ERROR(WriteOutbox(m, rendered));
  std::vector<int64_t> ids;
  for (const auto& it : items) ids.push_back(it.id);
  DRAGNET_RETURN_IF_ERROR(state_->CreateMessage(m, ids));
  spdlog::info("reporter: outbox message {} to {} with {} report(s): {}", m.id, Display(m.recipient), items.size(),
               m.outbox_file);
  return Status::Ok();
}

// ------------------------------------------------------------- delivery ---

int64_t ReportService::Backoff(int attempts) {
  int64_t d = options_.retry_base_ms;
  for (int i = 1; i < attempts && d < options_.retry_max_ms; ++i) d *= 2;
  d = std::min(d, options_.retry_max_ms);
  // +-25% jitter so many queued messages do not retry in lockstep.
  std::uniform_int_distribution<int64_t> jitter(-d / 4, d / 4);
  return std::max<int64_t>(1, d + jitter(rng_));
}

Status ReportService::DeliverDue() {
  if (!options_.enabled) return Status::Ok();  // dry-run: the outbox only
  auto msgs = state_->Messages("queued");
  if (!msgs.ok()) return msgs.status();
  const int64_t now = clock_->NowUnixMs();
  for (auto& m : *msgs) {
    if (m.next_attempt_ms > now) continue;
    DRAGNET_RETURN_IF_ERROR(DeliverOne(std::move(m)));
  }
  return Status::Ok();
}

Status ReportService::DeliverOne(OutboxMessage m) {
  const int64_t now = clock_->NowUnixMs();
  // Rate limit: hold (reschedule), never drop.
  auto sent = state_->SentSince(m.recipient, now - kHourMs + 1);
  if (!sent.ok()) return sent.status();
  if (sent->first >= options_.rate_limit_per_hour) {
    m.next_attempt_ms = sent->second + kHourMs;
    m.last_error = "held by delivery.rate_limit_per_hour (" + std::to_string(options_.rate_limit_per_hour) + ")";
    spdlog::info("reporter: message {} to {} held until {} (rate limit)", m.id, Display(m.recipient),
                 FormatRfc3339Ms(m.next_attempt_ms));
    return state_->UpdateMessage(m);
  }
  auto items = state_->MessageItems(m.id);
  if (!items.ok()) return items.status();
  std::vector<ReportItem> live;
  for (auto& it : *items) {
    if (it.status != "queued") continue;
    // Never twice: another message (another process, an older batch) may
    // have carried this URL to this recipient since the item was queued.
    // (Follow-ups have their own rule, checked when filed: once per case
    // and recipient; reporters/followup.h.)
    if (it.stage == kStageReport) {
      auto last = state_->LastReported(it.url, it.recipient);
      if (!last.ok()) return last.status();
      if (last->has_value() && now - **last < options_.rereport_after_ms) {
        DRAGNET_RETURN_IF_ERROR(state_->UpdateItem(it.id, "suppressed", "", 0));
        continue;
      }
    }
    // Freshness gate: right before every send.
    if (options_.freshness_check && probe_) {
      LivenessProbe::Liveness lv = probe_->Check(it.url);
      if (!lv.live) {
        spdlog::info("reporter: {} is down ({}) at {}: not reported to {}", it.url, lv.detail, lv.checked_at,
                     Display(it.recipient));
        DRAGNET_RETURN_IF_ERROR(state_->UpdateItem(it.id, "down", "", 0));
        continue;
      }
      it.verified_at = lv.checked_at;
      DRAGNET_RETURN_IF_ERROR(state_->UpdateItem(it.id, "queued", lv.checked_at, 0));
    }
    live.push_back(it);
  }
  if (live.empty()) {
    bool all_withdrawn = !items->empty() && std::all_of(items->begin(), items->end(), [](const ReportItem& it) {
      return it.status == "withdrawn";
    });
    if (all_withdrawn) {
      m.status = "withdrawn";
      m.last_error = "not sent: every report it carried was withdrawn (the case was rejected)";
    } else {
      m.status = "down";
      m.last_error = "nothing left to send: every URL was down at the freshness gate, already reported or withdrawn";
    }
    return state_->UpdateMessage(m);
  }
  auto ri = LoadRenderItems(live);
  if (!ri.ok()) return ri.status();
  RenderedMessage rendered = RenderMessage(m, *ri, options_, *templates_, now);
  m.attempts += 1;
  // Outbox first: the exact bytes about to leave are durable, and the
  // attempt is counted, before the connection opens.
  DRAGNET_RETURN_IF_ERROR(WriteOutbox(m, rendered));
  DRAGNET_RETURN_IF_ERROR(state_->UpdateMessage(m));
  if (crash_after_outbox_) raise(SIGKILL);  // test hook: die between "in the outbox" and "sent"

  Status st;
  if (m.route == "webhook") {
    std::string name = m.recipient.substr(8);
    auto it = options_.webhooks.find(name);
    if (it == options_.webhooks.end()) st = InvalidArgument("webhook route '" + name + "' is not configured");
    else if (http_ == nullptr) st = Internal("webhook " + name + ": no HTTP client was given to the reporter");
    else st = PostWebhook(*http_, it->second, m.id, rendered.webhook_body, now / 1000);
  } else {
    std::string from = !options_.smtp_envelope_from.empty() ? options_.smtp_envelope_from
                       : !options_.smtp_from.empty()        ? options_.smtp_from
                                                            : options_.contact_email;
    st = SendSmtp(options_, from, m.recipient.substr(7), rendered.eml);
  }
  const int64_t done = clock_->NowUnixMs();
  if (st.ok()) {
    m.status = "sent";
    m.sent_ms = done;
    m.last_error.clear();
    for (const auto& it : live) DRAGNET_RETURN_IF_ERROR(state_->UpdateItem(it.id, "sent", "", done));
    DRAGNET_RETURN_IF_ERROR(state_->UpdateMessage(m));
    spdlog::info("reporter: message {} sent to {} ({} report(s))", m.id, Display(m.recipient), live.size());
    return WriteOutbox(m, rendered);
  }
  m.last_error = st.message();
  if (m.attempts >= options_.max_attempts) {
    m.status = "failed";
    for (const auto& it : live) DRAGNET_RETURN_IF_ERROR(state_->UpdateItem(it.id, "failed", "", 0));
    spdlog::error("reporter: message {} to {} failed after {} attempts: {}", m.id, Display(m.recipient), m.attempts,
                  st.message());
  } else {
    m.next_attempt_ms = done + Backoff(m.attempts);
    spdlog::warn("reporter: message {} to {} not accepted (attempt {}): {}; retry at {}", m.id, Display(m.recipient),
                 m.attempts, st.message(), FormatRfc3339Ms(m.next_attempt_ms));
  }
  return state_->UpdateMessage(m);
}

Result<std::vector<ReportView>> ReportService::ListReports(bool failed_only, const std::string& case_id) {
  auto items = state_->Items(ItemQuery{failed_only ? "failed" : "", case_id, 100000});
  if (!items.ok()) return items.status();
  std::vector<ReportView> out;
  std::map<std::string, OutboxMessage> msgs;
  for (auto& it : *items) {
    ReportView v;
    if (!it.message_id.empty()) {
      if (!msgs.count(it.message_id)) {
        auto m = state_->GetMessage(it.message_id);
        if (m.ok()) msgs[it.message_id] = *m;
      }
      if (msgs.count(it.message_id)) {
        const auto& m = msgs[it.message_id];
        v.message_status = m.status;
        v.outbox_file = m.outbox_file;
        v.attempts = m.attempts;
        v.last_error = m.last_error;
        v.next_attempt_ms = m.next_attempt_ms;
      }
    }
    it.status = PublicStatus(it.status);
    v.item = std::move(it);
    out.push_back(std::move(v));
  }
  // Newest first, as every list of the CLI.
  std::stable_sort(out.begin(), out.end(), [](const ReportView& a, const ReportView& b) {
    return a.item.created_ms != b.item.created_ms ? a.item.created_ms > b.item.created_ms : a.item.id > b.item.id;
  });
  return out;
}

}  // namespace dragnet::reporters
