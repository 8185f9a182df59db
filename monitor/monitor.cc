#include "monitor/monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/fs.h"
#include "core/model_json.h"
#include "core/text.h"
#include "monitor/escalation.h"
#include "monitor/lifecycle.h"
#include "monitor/signals.h"
#include "reporters/routing.h"

namespace dragnet::monitor {

using reporters::CaseRecord;
using reporters::OutboxMessage;
using reporters::Recipient;
using reporters::ReportItem;

namespace {

// Listing cap for the Maildir: names only, so generous; the unread ones
// beyond [inbox] max_messages_per_round wait for the next round.
constexpr size_t kMaxMaildirListing = 200'000;

Result<SeedResult> Standing(const CaseRecord& c) {
  try {
    return c.result.get<SeedResult>();
  } catch (const std::exception& e) {
    return Corrupt("case " + c.case_id + ": stored scan result does not parse: " + e.what());
  }
}

// The URL the case's reports are about: the first report's, else the landing URL.
std::string ReportedUrl(const CaseRecord& c, const std::vector<ReportItem>& items) {
  for (const auto& it : items) {
    if (it.stage == reporters::kStageReport && !it.url.empty()) return it.url;
  }
  return c.final_url.empty() ? c.seed : c.final_url;
}

// A recipient as the ledger remembers it.
Recipient RecipientOf(const ReportItem& it) {
  Recipient r;
  r.key = it.recipient;
  r.kind = it.kind;
  r.url = it.url;
  r.language = it.language;
  std::string suffix = " (" + it.kind + ")";
  r.name = it.recipient_name.size() > suffix.size() &&
                   it.recipient_name.compare(it.recipient_name.size() - suffix.size(), suffix.size(), suffix) == 0
               ? it.recipient_name.substr(0, it.recipient_name.size() - suffix.size())
               : it.recipient_name;
  if (it.recipient.rfind("mailto:", 0) == 0) {
    r.route = "email";
    r.address = it.recipient.substr(7);
  } else if (it.recipient.rfind("webhook:", 0) == 0) {
    r.route = "webhook";
    r.address = it.recipient.substr(8);
  } else if (it.recipient.rfind("form:", 0) == 0) {
    r.route = "form";
    r.address = it.recipient.substr(5);
  } else {
    r.route = "none";
  }
  return r;
}

std::string Who(const std::string& key) { return key.rfind("mailto:", 0) == 0 ? key.substr(7) : key; }

}  // namespace

nlohmann::json RoundSummary::Json() const {
  return {{"checked", checked},       {"up", up},
          {"down", down},             {"unknown", unknown},
          {"taken_down", taken_down}, {"reopened", reopened},
          {"gave_up", gave_up},       {"scheduled", scheduled},
          {"follow_ups", follow_ups}, {"escalations", escalations},
          {"reroutes", reroutes},     {"mail_read", mail_read},
          {"replies", replies},       {"acks", acks},
          {"bounces", bounces},       {"unrelated", unrelated},
          {"mail_skipped", mail_skipped}, {"events", lines}};
}

nlohmann::json ProbeJson(const ProbeResult& p) {
  nlohmann::json j = {{"url", p.url}};
  if (p.dns_checked) {
    j["dns"] = {{"status", p.dns_status}, {"detail", p.dns_detail}, {"addresses", p.addresses},
                {"nameservers", p.nameservers}};
  }
  if (p.fetched) {
    j["http"] = {{"status", p.status},       {"final_url", p.final_url}, {"error_kind", p.error_kind},
                 {"error", p.error},         {"title", p.title},         {"label", p.label},
                 {"credible", p.credible},   {"ips", p.ips},             {"evidence_manifest", p.evidence_manifest}};
    if (p.score) j["http"]["score"] = *p.score;
  }
  if (p.rdap_checked) {
    j["rdap"] = {{"status", p.rdap_status}, {"not_found", p.rdap_not_found}, {"error", p.rdap_error}};
  }
  if (p.ip_checked) {
    j["last_ip"] = {{"ip", p.ip}, {"status", p.ip_status}, {"error", p.ip_error},
                    {"evidence_manifest", p.ip_evidence_manifest}};
    if (p.ip_score) j["last_ip"]["score"] = *p.ip_score;
  }
  return j;
}

Monitor::Monitor(MonitorOptions options, reporters::ReportService& reporter, Probe& probe,
                 const Signatures& signatures, TicketPatterns tickets, const Clock* clock)
    : options_(std::move(options)),
      reporter_(reporter),
      probe_(probe),
      signatures_(signatures),
      tickets_(std::move(tickets)),
      clock_(clock) {}

Result<RoundSummary> Monitor::RunOnce(const RoundFlags& flags) {
  RoundSummary s;
  if (reporter_.cases() == nullptr) return Internal("monitor: the reporter is not initialised");
  if (flags.inbox) DRAGNET_RETURN_IF_ERROR(ReadInbox(s));
  if (flags.checks) {
    const int64_t now = clock_->NowUnixMs();
    std::vector<CaseRecord> due;
    if (!flags.case_id.empty()) {
      auto c = reporter_.cases()->Get(flags.case_id);
      if (!c.ok()) return c.status();
      due.push_back(std::move(c).value());
    } else {
      // --force looks at every watched case; otherwise the due ones.
      auto d = reporter_.cases()->Due(flags.force ? INT64_MAX : now, options_.max_checks_per_round + 1);
      if (!d.ok()) return d.status();
      due = std::move(d).value();
      if (due.size() > static_cast<size_t>(options_.max_checks_per_round)) {
        due.resize(static_cast<size_t>(options_.max_checks_per_round));
        s.lines.push_back("more than monitor.max_checks_per_round (" + std::to_string(options_.max_checks_per_round) +
                          ") re-checks are due; the rest wait for the next round");
      }
    }
    for (auto& c : due) DRAGNET_RETURN_IF_ERROR(Check(std::move(c), flags.force || !flags.case_id.empty(), s));
  }
  Status st = reporter_.Tick();
  if (!st.ok()) s.lines.push_back("delivery: " + st.message());
  return s;
}

// ------------------------------------------------------------------ checks ---

Status Monitor::Check(CaseRecord c, bool force, RoundSummary& s) {
  const int64_t now = clock_->NowUnixMs();
  const bool watched = c.status == reporters::kCaseReported || c.status == reporters::kCaseEscalated ||
                       c.status == reporters::kCaseDown;
  if (!watched || c.next_check_ms < 0) {
    if (force) s.lines.push_back(c.case_id + ": " + c.status + ", not watched");
    return Status::Ok();
  }
  // A case never scheduled gets its first check `interval` after its report.
  if (c.next_check_ms == 0 && !force) {
    int64_t first = FirstCheckAt(options_, c, now);
    if (first > now) {
      auto claimed = reporter_.cases()->ClaimCheck(c.case_id, 0, first);
      if (!claimed.ok()) return claimed.status();
      if (*claimed) {
        ++s.scheduled;
        s.lines.push_back(c.case_id + ": first re-check at " + FormatRfc3339(first / 1000));
      }
      return Status::Ok();
    }
  }
  auto claimed = reporter_.cases()->ClaimCheck(c.case_id, c.next_check_ms, now + kCheckLeaseMs);
  if (!claimed.ok()) return claimed.status();
  if (!*claimed) return Status::Ok();  // another process has it

  auto items = reporter_.ledger()->Items(reporters::ItemQuery{"", c.case_id, 100000});
  if (!items.ok()) return items.status();
  auto standing = Standing(c);
  ProbeRequest req;
  req.case_id = c.case_id;
  req.url = ReportedUrl(c, *items);
  req.last_ips = c.last_ips;
  CaseFacts facts;
  facts.review_threshold = reporter_.options().review_threshold;
  if (standing.ok()) {
    for (const auto& p : standing->pages) {
      if (!p.sha256.empty()) facts.kit_sha256.push_back(p.sha256);
    }
    if (standing->hosting) {
      if (standing->hosting->cdn) facts.cdn = standing->hosting->cdn->name;
      if (req.last_ips.empty()) {
        for (const auto& ip : standing->hosting->ips) req.last_ips.push_back(ip.ip);
      }
    }
  }
  ProbeResult p = probe_.Check(req);
  CheckOutcome out = Classify(p, facts, signatures_);
  ++s.checked;
  if (out.outcome == "up") ++s.up;
  else if (out.outcome == "down") ++s.down;
  else ++s.unknown;

  reporters::Observation o;
  o.case_id = c.case_id;
  o.at_ms = now;
  o.source = "monitor";
  o.url = req.url;
  o.score = p.score.value_or(0);
  o.label = p.label;
  o.credible = p.credible;
  o.outcome = out.outcome;
  o.evidence_manifest = !p.evidence_manifest.empty() ? p.evidence_manifest : p.ip_evidence_manifest;
  o.signals = SignalsJson(out.signals);
  o.summary = out.summary;
  o.result = ProbeJson(p);
  DRAGNET_RETURN_IF_ERROR(reporter_.cases()->AddObservation(o));

  // The probe took a while: apply the outcome to the case as it is now (a
  // scan or an analyst may have changed it), and write only its lifecycle.
  auto fresh = reporter_.cases()->Get(c.case_id);
  if (!fresh.ok()) return fresh.status();
  const CaseRecord before = *fresh;
  Transition t = ApplyCheck(options_, before, out, now);
  if (!p.addresses.empty()) t.after.last_ips = p.addresses;
  DRAGNET_RETURN_IF_ERROR(reporter_.cases()->UpdateLifecycle(t.after));
  s.lines.push_back(c.case_id + " (" + c.key + "): " + out.summary);
  if (t.status_changed) {
    DRAGNET_RETURN_IF_ERROR(reporter_.RecordStatus(c.case_id, t.from, t.after.status, "monitor", t.why, now));
    s.lines.push_back(c.case_id + ": " + t.from + " -> " + t.after.status);
  }
  if (t.taken_down) {
    ++s.taken_down;
    TakedownEvent ev{c.case_id, t.after.takedown_signal, t.after.takedown_actor,
                     t.after.reported_ms > 0 ? std::max<int64_t>(0, (t.after.taken_down_ms - t.after.reported_ms) / 1000) : 0};
    spdlog::info("monitor: case {} ({}) is down: {} ({} acted), {} s after the first report", c.case_id, c.key,
                 ev.signal, ev.actor, ev.seconds);
    if (on_takedown_) on_takedown_(ev);
  }
  if (t.gave_up) ++s.gave_up;
  if (t.reopened) {
    ++s.reopened;
    DRAGNET_RETURN_IF_ERROR(Reopen(before, s));
  } else if (out.outcome == "up" && (t.after.status == reporters::kCaseReported ||
                                     t.after.status == reporters::kCaseEscalated)) {
    DRAGNET_RETURN_IF_ERROR(Escalate(t.after, s));
  }
  return Status::Ok();
}

// -------------------------------------------------------------- escalation ---

Status Monitor::Escalate(CaseRecord c, RoundSummary& s) {
  const int64_t now = clock_->NowUnixMs();
  auto items = reporter_.ledger()->Items(reporters::ItemQuery{"", c.case_id, 100000});
  if (!items.ok()) return items.status();
  auto standing = Standing(c);
  if (!standing.ok()) {
    s.lines.push_back(c.case_id + ": no escalation: " + standing.status().message());
    return Status::Ok();
  }
  int64_t episode = 0;
  for (const auto& it : *items) {
    if (it.stage == reporters::kStageReopen) episode = std::max(episode, it.created_ms);
  }
  std::vector<Recipient> next = NextLevel(*standing, ReportedUrl(c, *items), reporter_.contacts());
  std::vector<EscalationAction> actions = DecideEscalations(options_, *items, next, episode, now);
  bool any = false;
  for (const auto& a : actions) {
    reporters::FollowUpRequest f;
    f.case_id = c.case_id;
    f.recipient = a.recipient;
    f.stage = a.stage;
    f.escalation_of = a.escalation_of;
    f.note = a.note;
    f.since_ms = episode;
    ReportSummary r = reporter_.FileFollowUp(f);
    std::string what = (a.stage == reporters::kStageFollowUp ? "follow-up to " : "escalation to ") + r.recipient +
                       " (" + a.recipient.kind + "): " + r.status;
    s.lines.push_back(c.case_id + ": " + what);
    reporters::TimelineEvent e;
    e.case_id = c.case_id;
    e.at_ms = now;
    e.type = "escalation";
    e.summary = what + " — " + a.note;
    e.data = {{"stage", a.stage}, {"recipient", a.recipient.key}, {"kind", a.recipient.kind},
              {"escalation_of", a.escalation_of}, {"status", r.status}};
    DRAGNET_RETURN_IF_ERROR(reporter_.RecordEvent(e));
    if (r.status == "queued") {
      any = true;
      if (a.stage == reporters::kStageFollowUp) ++s.follow_ups;
      else ++s.escalations;
    }
  }
  if (any && c.status == reporters::kCaseReported) {
    std::string from = c.status;
    c.status = reporters::kCaseEscalated;
    c.decided_by = "monitor";
    c.reason = "still up after the report: followed up / escalated";
    c.updated_ms = now;
    DRAGNET_RETURN_IF_ERROR(reporter_.cases()->UpdateLifecycle(c));
    DRAGNET_RETURN_IF_ERROR(reporter_.RecordStatus(c.case_id, from, c.status, "monitor", c.reason, now));
  }
  return Status::Ok();
}

Status Monitor::Reopen(const CaseRecord& before, RoundSummary& s) {
  const int64_t now = clock_->NowUnixMs();
  auto items = reporter_.ledger()->Items(reporters::ItemQuery{"", before.case_id, 100000});
  if (!items.ok()) return items.status();
  // The first report to each recipient, in the order they were filed.
  std::vector<const ReportItem*> originals;
  std::set<std::string> seen;
  for (const auto& it : *items) {
    if (it.stage != reporters::kStageReport || it.message_id.empty()) continue;
    if (it.status != "sent" && it.status != "queued") continue;
    if (seen.insert(it.recipient).second) originals.push_back(&it);
  }
  std::string note = "Reopened: the site was down since " + FormatRfc3339(before.taken_down_ms / 1000) + " (" +
                     before.takedown_signal + ") and is back up.";
  std::vector<reporters::FollowUpRequest> requests;
  for (const ReportItem* it : originals) {
    reporters::FollowUpRequest f;
    f.case_id = before.case_id;
    f.recipient = RecipientOf(*it);
    f.recipient.reason = "You were sent our first report " + it->report_id + " about this site.";
    f.stage = reporters::kStageReopen;
    f.escalation_of = it->message_id;
    f.note = note;
    f.since_ms = before.taken_down_ms;
    requests.push_back(std::move(f));
  }
  if (requests.empty()) {
    // Nothing was ever filed with a message: route afresh.
    auto standing = Standing(before);
    if (standing.ok()) {
      reporters::RoutePlan plan = reporters::Route(*standing, reporter_.contacts(), reporter_.options());
      for (const auto& rc : plan.recipients) {
        reporters::FollowUpRequest f;
        f.case_id = before.case_id;
        f.recipient = rc;
        f.stage = reporters::kStageReopen;
        f.note = note;
        f.since_ms = before.taken_down_ms;
        requests.push_back(std::move(f));
      }
    }
  }
  for (const auto& f : requests) {
    ReportSummary r = reporter_.FileFollowUp(f);
    std::string what = "reported again to " + r.recipient + ": " + r.status;
    s.lines.push_back(before.case_id + ": " + what);
    reporters::TimelineEvent e;
    e.case_id = before.case_id;
    e.at_ms = now;
    e.type = "escalation";
    e.summary = what + " — " + note;
    e.data = {{"stage", reporters::kStageReopen}, {"recipient", f.recipient.key}, {"escalation_of", f.escalation_of},
              {"status", r.status}};
    DRAGNET_RETURN_IF_ERROR(reporter_.RecordEvent(e));
  }
  return Status::Ok();
}

// ------------------------------------------------------------------- inbox ---

Status Monitor::ReadInbox(RoundSummary& s) {
  if (options_.maildir.empty()) return Status::Ok();
  auto entries = ListMaildir(options_.maildir, kMaxMaildirListing);
  if (!entries.ok()) {
    s.lines.push_back("inbox: " + entries.status().message());
    spdlog::warn("monitor: inbox: {}", entries.status().message());
    return Status::Ok();
  }
  int read = 0;
  for (const auto& e : *entries) {
    auto seen = reporter_.ledger()->Seen(e.key);
    if (!seen.ok()) return seen.status();
    if (*seen) continue;
    if (read >= options_.max_messages_per_round) {
      s.lines.push_back("inbox: more than inbox.max_messages_per_round (" +
                        std::to_string(options_.max_messages_per_round) + ") new messages; the rest wait");
      break;
    }
    ++read;
    DRAGNET_RETURN_IF_ERROR(HandleMail(e, s));
  }
  return Status::Ok();
}

Status Monitor::HandleMail(const MaildirEntry& e, RoundSummary& s) {
  const int64_t now = clock_->NowUnixMs();
  auto mark = [&](const std::string& case_id, const std::string& kind) {
    return reporter_.ledger()->MarkSeen(e.key, now, case_id, kind);
  };
  auto bytes = ReadFile(e.path, static_cast<uint64_t>(options_.max_message_bytes));
  if (!bytes.ok()) {
    ++s.mail_skipped;
    std::string why = bytes.status().code() == Code::kLimitExceeded
                          ? "larger than inbox.max_message_bytes (" + std::to_string(options_.max_message_bytes) + ")"
                          : bytes.status().message();
    s.lines.push_back("inbox: " + e.key + " skipped: " + why);
    // A file that vanished (moved by a mail client) is read under its new name.
    if (bytes.status().code() == Code::kNotFound) return Status::Ok();
    return mark("", "skipped");
  }
  ++s.mail_read;
  auto mail = ParseMail(*bytes);
  if (!mail.ok()) {
    ++s.mail_skipped;
    s.lines.push_back("inbox: " + e.key + " skipped: " + mail.status().message());
    return mark("", "unparsed");
  }
  Classified c = ClassifyMail(*mail, reporter_.options().domain, tickets_);
  if (c.kind == "own") return mark("", "own");
  // Thread: our Message-IDs first, then the [DN-…] reference.
  std::vector<OutboxMessage> threaded;
  std::string case_id;
  for (const auto& ref : c.refs) {
    auto m = reporter_.ledger()->GetMessage(ref);
    if (!m.ok()) continue;
    auto items = reporter_.ledger()->MessageItems(m->id);
    if (items.ok() && !items->empty() && case_id.empty()) case_id = items->front().case_id;
    threaded.push_back(std::move(m).value());
  }
  if (case_id.empty() && !c.case_id.empty() && reporter_.cases()->Get(c.case_id).ok()) case_id = c.case_id;
  if (case_id.empty() || c.kind == "unrelated") {
    ++s.unrelated;
    s.lines.push_back("inbox: " + e.key + " from " + c.from + " is not about one of our cases");
    return mark("", "unrelated");
  }
  reporters::TimelineEvent ev;
  ev.case_id = case_id;
  ev.at_ms = now;
  ev.data = {{"kind", c.kind},       {"from", c.from},          {"subject", c.subject},
             {"maildir_key", e.key}, {"message_ids", c.refs}};
  if (c.kind == "bounce") {
    ++s.bounces;
    DRAGNET_RETURN_IF_ERROR(Bounce(c, threaded, case_id, s));
    return mark(case_id, c.kind);
  }
  if (c.kind == "auto_ack") {
    ++s.acks;
    ev.type = "reply";
    ev.summary = "auto-acknowledgement from " + c.from + (c.ticket.empty() ? std::string() : ", ticket " + c.ticket) +
                 ": " + c.subject;
    if (!c.ticket.empty()) {
      ev.data["ticket"] = c.ticket;
      for (const auto& m : threaded) DRAGNET_RETURN_IF_ERROR(reporter_.ledger()->SetTicket(m.id, c.ticket));
    }
  } else if (c.kind == "reply") {
    ++s.replies;
    ev.type = "reply";
    ev.summary = "reply from " + c.from + ": " + c.subject + (c.excerpt.empty() ? std::string() : " — " + c.excerpt);
    if (!c.ticket.empty()) ev.data["ticket"] = c.ticket;
    ev.data["excerpt"] = c.excerpt;
  } else {
    ev.type = "note";
    ev.summary = "delivery report (" + c.kind + ") from " + (c.reporting_mta.empty() ? c.from : c.reporting_mta) +
                 ": " + c.subject;
  }
  if (!threaded.empty()) ev.data["in_reply_to"] = threaded.front().id;
  DRAGNET_RETURN_IF_ERROR(reporter_.RecordEvent(ev));
  s.lines.push_back(case_id + ": " + ev.summary);
  return mark(case_id, c.kind);
}

Status Monitor::Bounce(const Classified& c, const std::vector<OutboxMessage>& threaded, const std::string& case_id,
                       RoundSummary& s) {
  const int64_t now = clock_->NowUnixMs();
  auto record = [&](const std::string& type, const std::string& summary, nlohmann::json data) {
    reporters::TimelineEvent ev;
    ev.case_id = case_id;
    ev.at_ms = now;
    ev.type = type;
    ev.summary = summary;
    ev.data = std::move(data);
    s.lines.push_back(case_id + ": " + summary);
    return reporter_.RecordEvent(ev);
  };
  if (c.failed.empty()) {
    return record("bounce", "bounce from " + c.from + " naming no failed address: nothing marked", {{"from", c.from}});
  }
  for (const auto& f : c.failed) {
    // The message that bounced: the threaded one sent to this address, or
    // the only threaded email when the MTA rewrote the address.
    const OutboxMessage* m = nullptr;
    for (const auto& t : threaded) {
      if (t.recipient == "mailto:" + f.final_recipient) m = &t;
    }
    if (!m && threaded.size() == 1 && threaded.front().recipient.rfind("mailto:", 0) == 0 && c.failed.size() == 1) {
      m = &threaded.front();
    }
    if (!m) {
      DRAGNET_RETURN_IF_ERROR(record("bounce",
                                     "bounce for " + f.final_recipient + " (" + f.status + ") matches none of our messages: "
                                     "nothing marked",
                                     {{"address", f.final_recipient}, {"status", f.status}}));
      continue;
    }
    std::string address = m->recipient.substr(7);
    std::string reason = f.status + (f.diagnostic.empty() ? std::string() : " " + f.diagnostic);
    DRAGNET_RETURN_IF_ERROR(reporter_.ledger()->MarkBad({address, now, reason, m->id}));
    OutboxMessage bounced = *m;
    bounced.last_error = "bounced: " + reason;
    DRAGNET_RETURN_IF_ERROR(reporter_.ledger()->UpdateMessage(bounced));
    auto items = reporter_.ledger()->MessageItems(m->id);
    if (!items.ok()) return items.status();
    for (const auto& it : *items) DRAGNET_RETURN_IF_ERROR(reporter_.ledger()->UpdateItem(it.id, "bounced", "", 0));
    DRAGNET_RETURN_IF_ERROR(record("bounce",
                                   "bounce: " + address + " does not take mail (" + ToPrintable(CutText(reason, 200)) +
                                       "); marked bad",
                                   {{"address", address}, {"status", f.status}, {"diagnostic", f.diagnostic},
                                    {"message_id", m->id}, {"reporting_mta", c.reporting_mta}}));
    // ---- the next route ----
    auto cs = reporter_.cases()->Get(case_id);
    if (!cs.ok()) return cs.status();
    auto standing = Standing(*cs);
    auto bad = reporter_.ledger()->BadAddresses();
    if (!bad.ok()) return bad.status();
    std::vector<std::string> bad_list;
    for (const auto& b : *bad) bad_list.push_back(b.address);
    for (const auto& it : *items) {
      if (it.case_id != case_id) continue;
      std::vector<Recipient> routes;
      if (standing.ok()) routes = NextRoutes(*standing, it, address, bad_list, reporter_.contacts());
      bool sent = false;
      for (const auto& r : routes) {
        reporters::FollowUpRequest fr;
        fr.case_id = case_id;
        fr.recipient = r;
        fr.stage = reporters::kStageReport;
        fr.escalation_of = m->id;
        fr.note = "Sent by the next route: our report to " + address + " bounced (" + f.status + ").";
        ReportSummary res = reporter_.FileFollowUp(fr);
        DRAGNET_RETURN_IF_ERROR(record("escalation",
                                       "rerouted the report for " + Who(it.recipient) + " to " + res.recipient + " (" +
                                           r.kind + "): " + res.status,
                                       {{"stage", "reroute"}, {"recipient", r.key}, {"escalation_of", m->id},
                                        {"status", res.status}}));
        if (res.status == "queued") {
          ++s.reroutes;
          sent = true;
          break;
        }
      }
      if (!sent) {
        DRAGNET_RETURN_IF_ERROR(record("note", "no other route for the " + it.kind + " after the bounce of " + address +
                                                   ": add one to contacts.toml, or file it by hand",
                                       {{"kind", it.kind}}));
      }
    }
  }
  return Status::Ok();
}

}  // namespace dragnet::monitor
