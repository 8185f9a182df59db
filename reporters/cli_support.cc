#include "reporters/cli_support.h"

#include "core/table.h"
#include "reporters/mime.h"
#include "reporters/timeline.h"

namespace dragnet::reporters {

nlohmann::json CaseJson(const CaseRecord& c, bool with_result) {
  nlohmann::json j = {{"case", c.case_id},       {"key", c.key},
                      {"seed", c.seed},          {"final_url", c.final_url},
                      {"score", c.score},        {"label", c.label},
                      {"scam_type", c.scam_type}, {"brand", c.brand},
                      {"status", c.status},      {"decided_by", c.decided_by},
                      {"reason", c.reason},      {"scans", c.scans},
                      {"created_at", FormatRfc3339Ms(c.created_ms)},
                      {"updated_at", FormatRfc3339Ms(c.updated_ms)}};
  AddLifecycleJson(j, c);
  if (with_result) j["result"] = c.result;
  return j;
}

std::string CasesTable(const std::vector<CaseRecord>& cases) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(cases.size());
  for (const auto& c : cases) {
    rows.push_back({c.case_id, c.status, std::to_string(c.score), c.label.empty() ? "-" : c.label,
                    c.scam_type.empty() ? "-" : c.scam_type, c.brand.empty() ? "-" : SanitizeHeaderText(c.brand),
                    FormatRfc3339(c.updated_ms / 1000), SanitizeHeaderText(c.final_url.empty() ? c.seed : c.final_url)});
  }
  return RenderTable({"CASE", "STATUS", "SCORE", "LABEL", "TYPE", "BRAND", "UPDATED", "URL"}, rows);
}

std::string CountLine(size_t shown, bool more, const char* noun) {
  std::string n = std::to_string(shown) + " " + noun + (shown == 1 ? "" : "s");
  return more ? n + " shown, newest first; there are more (--limit N)" : n + ", newest first";
}

std::string CaseText(const CaseRecord& c) {
  std::string out;
  out += "Case " + c.case_id + " (" + c.key + ")\n";
  out += "  status:     " + c.status + " (" + c.decided_by + ": " + SanitizeHeaderText(c.reason) + ")\n";
  out += "  seed:       " + SanitizeHeaderText(c.seed) + "\n";
  out += "  final URL:  " + SanitizeHeaderText(c.final_url) + "\n";
  out += "  verdict:    score " + std::to_string(c.score) + ", " + (c.label.empty() ? "-" : c.label) + ", " +
         (c.scam_type.empty() ? "-" : c.scam_type) + (c.brand.empty() ? "" : ", impersonates " + SanitizeHeaderText(c.brand)) + "\n";
  out += "  scans:      " + std::to_string(c.scans) + " (first " + FormatRfc3339(c.created_ms / 1000) + ", case updated " +
         FormatRfc3339(c.updated_ms / 1000) + ")\n";
  if (c.reported_ms > 0) out += "  reported:   " + FormatRfc3339(c.reported_ms / 1000) + "\n";
  if (c.taken_down_ms > 0) {
    out += "  down:       " + FormatRfc3339(c.taken_down_ms / 1000) + " (" + c.takedown_signal + ", acted: " +
           c.takedown_actor + ")\n";
  }
  if (c.checks > 0 || c.next_check_ms > 0) {
    out += "  monitor:    " + std::to_string(c.checks) + " re-check(s)" +
           (c.next_check_ms > 0 ? ", next " + FormatRfc3339(c.next_check_ms / 1000) : std::string()) +
           (c.reopened > 0 ? ", came back " + std::to_string(c.reopened) + " time(s)" : std::string()) + "\n";
  }
  if (c.result.is_object() && c.result.contains("verdict") && c.result["verdict"].contains("reasons")) {
    out += "  why:\n";
    for (const auto& r : c.result["verdict"]["reasons"]) {
      out += "    - " + SanitizeHeaderText(r.value("rule", "")) + " (+" + std::to_string(r.value("weight", 0)) + "): " +
             SanitizeHeaderText(r.value("detail", "")) + "\n";
    }
  }
  if (c.result.is_object() && c.result.contains("evidence_manifest")) {
    out += "  evidence:   " + c.result["evidence_manifest"].get<std::string>() + "\n";
  }
  return out;
}

namespace {

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? SanitizeHeaderText(it->get<std::string>()) : std::string();
}

}  // namespace

std::string CaseDetailsText(const CaseRecord& c, const std::vector<ReportView>& reports) {
  std::string out;
  const nlohmann::json& r = c.result;
  if (r.is_object() && r.contains("indicators") && r["indicators"].is_array()) {
    const auto& inds = r["indicators"];
    out += "  indicators (" + std::to_string(inds.size()) + "):\n";
    std::vector<std::vector<std::string>> rows;
    constexpr size_t kMaxShown = 200;
    for (size_t i = 0; i < inds.size() && i < kMaxShown; ++i) {
      const auto& ind = inds[i];
      if (!ind.is_object()) continue;
      rows.push_back({"   ", Str(ind, "type"), "x" + std::to_string(ind.value("count", 1)), Str(ind, "value")});
    }
    if (!rows.empty()) {
      std::string table = RenderTable({"   ", "TYPE", "SEEN", "VALUE"}, rows);
      out += table.substr(table.find('\n') + 1);  // the header row adds nothing here
    }
    if (inds.size() > kMaxShown) {
      out += "    ... and " + std::to_string(inds.size() - kMaxShown) + " more (cases show --json)\n";
    }
  }
  if (r.is_object() && r.contains("hosting") && r["hosting"].is_object()) {
    const auto& h = r["hosting"];
    out += "  hosting:\n";
    if (h.contains("domain") && h["domain"].is_object()) {
      const auto& d = h["domain"];
      out += "    domain:    " + Str(d, "name");
      if (!Str(d, "created").empty()) out += ", registered " + Str(d, "created");
      if (d.contains("age_days") && d["age_days"].is_number_integer() && d["age_days"].get<int64_t>() >= 0) {
        out += " (" + std::to_string(d["age_days"].get<int64_t>()) + " days ago)";
      }
      out += "\n";
    }
    if (h.contains("registrar") && h["registrar"].is_object()) {
      const auto& g = h["registrar"];
      out += "    registrar: " + Str(g, "name") + (Str(g, "iana_id").empty() ? "" : " (IANA ID " + Str(g, "iana_id") + ")");
      if (g.contains("abuse") && g["abuse"].is_object() && !Str(g["abuse"], "email").empty()) {
        out += ", abuse " + Str(g["abuse"], "email");
      }
      out += "\n";
    }
    if (h.contains("cdn") && h["cdn"].is_object()) out += "    CDN:       " + Str(h["cdn"], "name") + "\n";
    if (h.contains("ips") && h["ips"].is_array()) {
      for (const auto& ip : h["ips"]) {
        if (!ip.is_object()) continue;
        std::string org = Str(ip, "as_org");
        if (org.empty() && ip.contains("rdap") && ip["rdap"].is_object()) org = Str(ip["rdap"], "name");
        out += "    IP " + Str(ip, "ip") + ": AS" + std::to_string(ip.value("asn", 0)) + (org.empty() ? "" : " " + org) +
               (Str(ip, "country").empty() ? "" : ", " + Str(ip, "country"));
        if (ip.contains("abuse") && ip["abuse"].is_object() && !Str(ip["abuse"], "email").empty()) {
          out += ", abuse " + Str(ip["abuse"], "email");
        }
        out += "\n";
      }
    }
  }
  if (r.is_object() && r.contains("captures") && r["captures"].is_array() && !r["captures"].empty()) {
    out += "  browser captures:\n";
    for (const auto& cap : r["captures"]) {
      if (!cap.is_object()) continue;
      out += "    " + Str(cap, "profile") + ": " + (Str(cap, "error").empty() ? "HTTP " + std::to_string(cap.value("status", 0))
                                                                            : "error " + Str(cap, "error"));
      if (!Str(cap, "screenshot_sha256").empty()) out += ", screenshot sha256 " + Str(cap, "screenshot_sha256").substr(0, 16);
      if (!Str(cap, "title").empty()) out += ", title \"" + Str(cap, "title") + "\"";
      out += "\n";
    }
  }
  out += "  reports (" + std::to_string(reports.size()) + "):\n";
  if (!reports.empty()) {
    std::string table = ReportsTable(reports);
    size_t at = 0;
    while (at < table.size()) {
      size_t nl = table.find('\n', at);
      out += "    " + table.substr(at, nl - at) + "\n";
      at = nl == std::string::npos ? table.size() : nl + 1;
    }
  }
  return out;
}

nlohmann::json ReportJson(const ReportView& v) {
  const ReportItem& i = v.item;
  nlohmann::json j = {{"case", i.case_id},
                      {"recipient", i.recipient.rfind("mailto:", 0) == 0 ? i.recipient.substr(7) : i.recipient},
                      {"recipient_name", i.recipient_name},
                      {"kind", i.kind},
                      {"status", i.status},
                      {"sent_at", i.sent_ms ? nlohmann::json(FormatRfc3339Ms(i.sent_ms)) : nlohmann::json(nullptr)},
                      {"outbox_file", v.outbox_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.outbox_file)},
                      {"url", i.url},
                      {"reason", i.reason},
                      {"report_id", i.report_id},
                      {"message_id", i.message_id},
                      {"attempts", v.attempts},
                      {"created_at", FormatRfc3339Ms(i.created_ms)}};
  if (!i.verified_at.empty()) j["verified_at"] = i.verified_at;
  if (!v.last_error.empty()) j["last_error"] = v.last_error;
  if (v.next_attempt_ms && i.status == "queued") j["next_attempt_at"] = FormatRfc3339Ms(v.next_attempt_ms);
  return j;
}

std::string ReportsTable(const std::vector<ReportView>& rows) {
  std::vector<std::vector<std::string>> out;
  out.reserve(rows.size());
  for (const auto& v : rows) {
    const ReportItem& i = v.item;
    std::string to = i.recipient.rfind("mailto:", 0) == 0 ? i.recipient.substr(7) : i.recipient;
    std::string note;
    if (!v.last_error.empty() && i.status != "sent") note = SanitizeHeaderText(v.last_error);
    if (i.status == "queued" && v.next_attempt_ms > 0 && v.attempts > 0) {
      note += std::string(note.empty() ? "" : "; ") + "next attempt " + FormatRfc3339(v.next_attempt_ms / 1000);
    }
    out.push_back({i.case_id, i.status, SanitizeHeaderText(to), i.kind, FormatRfc3339(i.created_ms / 1000),
                   i.sent_ms ? FormatRfc3339(i.sent_ms / 1000) : "-", std::to_string(v.attempts),
                   SanitizeHeaderText(i.url), note});
  }
  return RenderTable({"CASE", "STATUS", "TO", "KIND", "FILED", "SENT", "TRIES", "URL", "NOTE"}, out);
}

std::string PlanText(const DryRunPlan& p) {
  std::string out = "DRY RUN — nothing is written or sent.\n";
  out += CaseText(p.c);
  out += "Reported URL: " + (p.route.landing_url.empty() ? std::string("(none)") : p.route.landing_url) + "\n";
  if (p.route.chain.size() > 1) {
    std::string chain;
    for (const auto& u : p.route.chain) chain += (chain.empty() ? "" : " -> ") + u;
    out += "Redirect chain: " + chain + "\n";
  }
  for (const auto& why : p.route.registered_for_fraud) out += "Registered for the fraud: " + why + "\n";
  for (const auto& n : p.route.notes) out += "Note: " + n + "\n";
  out += "Recipients (" + std::to_string(p.messages.size()) + "):\n";
  int n = 0;
  for (const auto& m : p.messages) {
    const Recipient& r = m.recipient;
    out += "  " + std::to_string(++n) + ". " + (r.address.empty() ? "(no contact)" : r.address) + "  [" + r.kind + ", " +
           r.route + ", " + SanitizeHeaderText(r.name) + "]  => " +
           (m.status == "send" ? std::string("WOULD SEND") : m.status + (m.note.empty() ? "" : ": " + m.note)) + "\n";
    out += "     why: " + r.reason + "\n";
    out += "     contact source: " + r.source + "\n";
    out += "     URL: " + r.url + "\n";
  }
  n = 0;
  for (const auto& m : p.messages) {
    ++n;
    if (m.status != "send") continue;
    const RenderedMessage& rm = m.rendered;
    out += "\n----- message " + std::to_string(n) + " to " + m.recipient.address + " (" + m.recipient.route +
           ", template " + rm.language + ") -----\n";
    out += "Subject: " + rm.subject + "\n";
    std::string att;
    for (const auto& a : rm.attachments) att += (att.empty() ? "" : ", ") + a;
    out += "Attachments: " + (att.empty() ? std::string("(none)") : att) + "\n";
    for (const auto& note : rm.notes) out += "Note: " + note + "\n";
    out += "\n" + rm.body;
    if (!rm.body.empty() && rm.body.back() != '\n') out += "\n";
  }
  return out;
}

Result<int64_t> ParseSince(const std::string& s, int64_t now_ms) {
  auto d = ParseDurationMs(s);
  if (d.ok()) return now_ms - *d;
  auto t = ParseRfc3339Ms(s);
  if (t.ok()) return *t;
  return InvalidArgument("--since must be an RFC 3339 date/time (2026-11-29T10:00:00Z) or a duration (24h): " + s);
}

}  // namespace dragnet::reporters
