#include "web/views.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <kainjow/mustache.hpp>

#include "core/clock.h"
#include "core/fs.h"
#include "core/text.h"
#include "intel/format.h"
#include "reporters/cli_support.h"
#include "web/charts.h"

namespace dragnet::web {
namespace {

namespace mu = kainjow::mustache;

// Caps on what one page lists (a hostile site can yield thousands of
// indicators or requests; the JSON API and the evidence have them all).
constexpr size_t kMaxListedIndicators = 500;
constexpr size_t kMaxListedPages = 200;
constexpr size_t kMaxListedRedirects = 50;
constexpr size_t kMaxSlowRecipients = 8;

mu::data ToData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), ToData(it.value()));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mu::data l{mu::data::type::list};
      for (const auto& v : j) l.push_back(ToData(v));
      return l;
    }
    case nlohmann::json::value_t::string:
      // An empty string is false, so {{#brand}}...{{/brand}} is skipped
      // when there is none; a false variable renders as nothing.
      if (j.get_ref<const std::string&>().empty()) return mu::data(mu::data::type::bool_false);
      return mu::data(ToText(j.get_ref<const std::string&>()));
    case nlohmann::json::value_t::boolean:
      return mu::data(j.get<bool>() ? mu::data::type::bool_true : mu::data::type::bool_false);
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return mu::data(std::to_string(j.get<int64_t>()));
    case nlohmann::json::value_t::number_float:
      return mu::data(std::to_string(j.get<double>()));
    default:
      return mu::data(mu::data::type::bool_false);
  }
}

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

int64_t Int(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  return it->get<int64_t>();
}

const nlohmann::json& Arr(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

}  // namespace

// -------------------------------------------------------------- templates ---

Status Templates::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* sub : {"templates", "static"}) {
    std::string folder = dir + "/" + sub;
    if (!fs::is_directory(folder, ec)) return NotFound("web assets: no folder " + folder);
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      if (!e.is_regular_file()) continue;
      auto text = ReadFile(e.path().string(), kMaxTemplateBytes);
      if (!text.ok()) return text.status();
      std::string name = e.path().filename().string();
      if (std::string(sub) == "templates") {
        if (e.path().extension() != ".mustache") continue;
        mu::mustache t(*text);
        if (!t.is_valid()) return ParseError("template " + e.path().string() + ": " + t.error_message());
        templates_[e.path().stem().string()] = std::move(text).value();
      } else {
        static_[name] = std::move(text).value();
      }
    }
    if (ec) return IoError("web assets: " + folder + ": " + ec.message());
  }
  if (!templates_.count("layout")) return NotFound("web assets: no templates/layout.mustache in " + dir);
  return Status::Ok();
}

Result<std::string> Templates::Render(const std::string& page, nlohmann::json model) const {
  auto it = templates_.find(page);
  if (it == templates_.end()) return NotFound("no template " + page);
  mu::mustache body_t(it->second);
  std::string body = body_t.render(ToData(model));
  if (!body_t.error_message().empty()) return Internal("template " + page + ": " + body_t.error_message());
  model["body"] = body;
  mu::mustache layout_t(templates_.at("layout"));
  std::string out = layout_t.render(ToData(model));
  if (!layout_t.error_message().empty()) return Internal("layout: " + layout_t.error_message());
  return out;
}

const std::string* Templates::Static(const std::string& name) const {
  auto it = static_.find(name);
  return it == static_.end() ? nullptr : &it->second;
}

// ------------------------------------------------------------ case views ---

nlohmann::json CaseRowModel(const reporters::CaseRecord& c) {
  nlohmann::json row = reporters::CaseJson(c, false);
  row["url"] = c.final_url.empty() ? c.seed : c.final_url;
  row["updated"] = FormatRfc3339(c.updated_ms / 1000);
  row["is_review"] = c.status == reporters::kCaseReview;
  // The landing screenshot: of the first profile that saw the scam when the
  // site cloaks, else the first capture that has one.
  std::set<std::string> saw;
  if (c.result.is_object() && c.result.contains("cloaking") && c.result["cloaking"].is_object()) {
    for (const auto& p : Arr(c.result["cloaking"], "profiles")) {
      if (p.is_string()) saw.insert(p.get<std::string>());
    }
  }
  std::string shot, profile;
  for (int pass = 0; pass < 2 && shot.empty(); ++pass) {
    for (const auto& cap : Arr(c.result, "captures")) {
      std::string sha = Str(cap, "screenshot_sha256");
      if (!IsHex64(sha)) continue;
      if (pass == 0 && !saw.empty() && !saw.count(Str(cap, "profile"))) continue;
      shot = sha;
      profile = Str(cap, "profile");
      break;
    }
  }
  if (!shot.empty()) row["thumb"] = {{"sha", shot}, {"profile", profile}};
  return row;
}

nlohmann::json CaseDetailModel(const reporters::CaseRecord& c, const std::vector<reporters::ReportItem>& items) {
  const nlohmann::json& r = c.result;
  nlohmann::json m = CaseRowModel(c);
  m["created"] = FormatRfc3339(c.created_ms / 1000);
  nlohmann::json shots = nlohmann::json::array(), doms = nlohmann::json::array();
  for (const auto& cap : Arr(r, "captures")) {
    nlohmann::json s = {{"profile", Str(cap, "profile")}, {"title", Str(cap, "title")},
                        {"url", Str(cap, "url")},         {"final_url", Str(cap, "final_url")},
                        {"status", Int(cap, "status")},   {"user_agent", Str(cap, "user_agent")},
                        {"error", Str(cap, "error")}};
    if (IsHex64(Str(cap, "screenshot_sha256"))) s["sha"] = Str(cap, "screenshot_sha256");
    shots.push_back(s);
    if (IsHex64(Str(cap, "dom_sha256"))) doms.push_back({{"profile", Str(cap, "profile")}, {"sha", Str(cap, "dom_sha256")}});
  }
  m["screenshots"] = shots;
  m["doms"] = doms;
  nlohmann::json redirects = nlohmann::json::array();
  for (const auto& h : Arr(r, "redirects")) {
    if (redirects.size() >= kMaxListedRedirects) break;
    redirects.push_back({{"n", redirects.size() + 1}, {"url", Str(h, "url")}, {"status", Int(h, "status")},
                         {"via", Str(h, "via")}, {"ip", Str(h, "ip")}});
  }
  m["redirects"] = redirects;
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& p : Arr(r, "pages")) {
    if (pages.size() >= kMaxListedPages) break;
    nlohmann::json pg = {{"url", Str(p, "url")}, {"status", Int(p, "status")}, {"title", Str(p, "title")},
                         {"bytes", Int(p, "bytes")}, {"error", Str(p, "error")}};
    if (IsHex64(Str(p, "sha256"))) pg["sha"] = Str(p, "sha256");
    pages.push_back(pg);
  }
  m["pages"] = pages;
  nlohmann::json inds = nlohmann::json::array();
  for (const auto& i : Arr(r, "indicators")) {
    if (inds.size() >= kMaxListedIndicators) break;
    inds.push_back({{"type", Str(i, "type")}, {"value", Str(i, "value")}, {"source", Str(i, "source")},
                    {"count", Int(i, "count")}});
  }
  m["indicators"] = inds;
  m["indicators_more"] = Arr(r, "indicators").size() > kMaxListedIndicators;
  nlohmann::json reasons = nlohmann::json::array();
  if (r.is_object() && r.contains("verdict") && r["verdict"].is_object()) {
    for (const auto& x : Arr(r["verdict"], "reasons")) {
      reasons.push_back({{"rule", Str(x, "rule")}, {"weight", Int(x, "weight")}, {"detail", Str(x, "detail")}});
    }
    m["language"] = Str(r["verdict"], "language");
  }
  m["reasons"] = reasons;
  if (r.is_object() && r.contains("cloaking") && r["cloaking"].is_object() && r["cloaking"].value("detected", false)) {
    m["cloaking"] = {{"detail", Str(r["cloaking"], "detail")}};
  }
  if (r.is_object() && r.contains("hosting") && r["hosting"].is_object()) {
    const auto& h = r["hosting"];
    nlohmann::json host = {{"registrar", h.contains("registrar") ? Str(h["registrar"], "name") : ""},
                           {"domain", h.contains("domain") ? Str(h["domain"], "name") : ""},
                           {"domain_created", h.contains("domain") ? Str(h["domain"], "created") : ""}};
    if (h.contains("cdn") && h["cdn"].is_object()) host["cdn"] = Str(h["cdn"], "name");
    nlohmann::json ips = nlohmann::json::array(), contacts = nlohmann::json::array();
    for (const auto& ip : Arr(h, "ips")) {
      ips.push_back({{"ip", Str(ip, "ip")}, {"country", Str(ip, "country")}, {"asn", Int(ip, "asn")},
                     {"as_org", Str(ip, "as_org")}});
    }
    for (const auto& ct : Arr(h, "contacts")) {
      contacts.push_back({{"email", Str(ct, "email")}, {"url", Str(ct, "url")}, {"source", Str(ct, "source")},
                          {"scope", Str(ct, "scope")}});
    }
    host["ips"] = ips;
    host["contacts"] = contacts;
    m["hosting"] = host;
  }
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& it : items) {
    reports.push_back({{"recipient", it.recipient.rfind("mailto:", 0) == 0 ? it.recipient.substr(7) : it.recipient},
                       {"name", it.recipient_name}, {"kind", it.kind}, {"status", it.status},
                       {"sent_at", it.sent_ms ? FormatRfc3339(it.sent_ms / 1000) : ""}, {"reason", it.reason}});
  }
  m["reports"] = reports;
  m["has_reports"] = !reports.empty();
  m["has_indicators"] = !inds.empty();
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : Arr(r, "errors")) if (e.is_string()) errors.push_back(e);
  for (const auto& e : Arr(r, "limits_hit")) if (e.is_string()) errors.push_back("limit hit: " + e.get<std::string>());
  m["errors"] = errors;
  m["has_errors"] = !errors.empty();
  m["has_manifest"] = !Str(r, "evidence_manifest").empty();
  m["scan_started"] = Str(r, "started_at");
  return m;
}

BlobKind CaseBlobKind(const reporters::CaseRecord& c, const std::string& sha256) {
  if (!IsHex64(sha256)) return BlobKind::kNone;
  for (const auto& cap : Arr(c.result, "captures")) {
    if (Str(cap, "screenshot_sha256") == sha256) return BlobKind::kScreenshot;
    if (Str(cap, "dom_sha256") == sha256) return BlobKind::kText;
  }
  for (const auto& p : Arr(c.result, "pages")) {
    if (Str(p, "sha256") == sha256) return BlobKind::kText;
  }
  return BlobKind::kNone;
}

std::string CaseBlobPath(const reporters::CaseRecord& c, const std::string& sha256) {
  std::string manifest = Str(c.result, "evidence_manifest");
  if (manifest.empty() || !IsHex64(sha256)) return "";
  std::filesystem::path dir = std::filesystem::path(manifest).parent_path().parent_path();
  return (dir / "objects" / sha256.substr(0, 2) / sha256).string();
}

bool CaseMatches(const reporters::CaseRecord& c, const std::string& needle) {
  std::string n = Lower(needle);
  if (n.empty()) return true;
  auto has = [&](const std::string& hay) { return Lower(hay).find(n) != std::string::npos; };
  if (has(c.case_id) || has(c.key) || has(c.seed) || has(c.final_url) || has(c.brand)) return true;
  for (const auto& i : Arr(c.result, "indicators")) {
    if (has(Str(i, "value")) || has(Str(i, "raw"))) return true;
  }
  return false;
}

// -------------------------------------------------------------- campaigns ---

namespace {

// Bars one spread chart draws (the rest are summed into "others").
constexpr size_t kMaxSpreadBars = 12;
// Members and shared identifiers one campaign page lists.
constexpr size_t kMaxListedMembers = 500;
constexpr size_t kMaxListedLinks = 500;

std::string Joined(const std::vector<std::string>& v, size_t max) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i) out += (i ? ", " : "") + v[i];
  if (v.size() > max) out += " and " + std::to_string(v.size() - max) + " more";
  return out;
}

std::string Ms(int64_t ms) { return ms > 0 ? FormatRfc3339(ms / 1000) : ""; }

std::string SpreadChart(const std::string& title, const std::map<std::string, int>& counts) {
  std::vector<std::pair<std::string, int>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<BarRow> rows;
  int others = 0;
  for (const auto& [label, n] : v) {
    if (rows.size() < kMaxSpreadBars) {
      rows.push_back({label, double(n), std::to_string(n)});
    } else {
      others += n;
    }
  }
  if (others > 0) rows.push_back({"others", double(others), std::to_string(others)});
  return HorizontalBarChart(title, rows);
}

}  // namespace

std::string CaseNetwork(const reporters::CaseRecord& c) {
  if (!c.result.is_object() || !c.result.contains("hosting") || !c.result["hosting"].is_object()) return "";
  for (const auto& ip : Arr(c.result["hosting"], "ips")) {
    std::string org = Str(ip, "as_org");
    if (!org.empty()) return Int(ip, "asn") > 0 ? "AS" + std::to_string(Int(ip, "asn")) + " " + org : org;
    if (!Str(ip, "ip").empty()) return Str(ip, "ip");
  }
  return "";
}

nlohmann::json CampaignRowModel(const intel::CampaignView& v) {
  return {{"id", v.campaign_id},
          {"case_count", v.members.size()},
          {"sentence", intel::LinkSentence(v)},
          {"domains", Joined(v.domains, 5)},
          {"registrars", Joined(v.registrars, 3)},
          {"countries", Joined(v.countries, 8)},
          {"first_seen", Ms(v.first_ms)},
          {"last_seen", Ms(v.last_ms)},
          {"updated", Ms(v.updated_ms)}};
}

nlohmann::json CampaignDetailModel(const intel::CampaignView& v, const std::map<std::string, std::string>& network) {
  nlohmann::json m = CampaignRowModel(v);
  m["merged_from"] = Joined(v.merged_from, 50);
  m["created"] = Ms(v.created_ms);
  std::map<std::string, int> by_registrar, by_network, by_country;
  nlohmann::json members = nlohmann::json::array();
  for (const auto& mv : v.members) {
    auto net = network.find(mv.case_id);
    std::string n = net == network.end() ? "" : net->second;
    ++by_registrar[mv.registrar.empty() ? "unknown" : mv.registrar];
    ++by_network[n.empty() ? "not located" : n];
    if (mv.countries.empty()) ++by_country["unknown"];
    for (const auto& c : mv.countries) ++by_country[c];
    if (members.size() >= kMaxListedMembers) continue;
    members.push_back({{"case", mv.case_id}, {"host", mv.host.empty() ? mv.seed : mv.host},
                       {"url", mv.final_url.empty() ? mv.seed : mv.final_url}, {"registrar", mv.registrar},
                       {"network", n}, {"countries", Joined(mv.countries, 8)}, {"label", mv.label},
                       {"scam_type", mv.scam_type}, {"brand", mv.brand}, {"score", mv.score},
                       {"first_seen", Ms(mv.first_ms)}, {"last_seen", Ms(mv.last_ms)}});
  }
  m["members"] = members;
  m["members_more"] = v.members.size() > kMaxListedMembers;
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : v.links) {
    if (links.size() >= kMaxListedLinks) break;
    nlohmann::json cases = nlohmann::json::array();
    for (const auto& id : l.cases) cases.push_back({{"case", id}});
    links.push_back({{"type", l.type}, {"value", l.value}, {"weight", l.weight}, {"cases", cases},
                     {"case_count", l.cases.size()}});
  }
  m["links"] = links;
  m["links_more"] = v.links.size() > kMaxListedLinks;
  m["charts"] = nlohmann::json::array({{{"svg", SpreadChart("Sites by registrar", by_registrar)}},
                                       {{"svg", SpreadChart("Sites by hosting network", by_network)}},
                                       {{"svg", SpreadChart("Sites by hosting country", by_country)}}});
  return m;
}

// -------------------------------------------------------------- dashboard ---

nlohmann::json DashboardModel(const std::vector<reporters::CaseRecord>& cases,
                              const std::vector<reporters::ReportItem>& items, int64_t now_ms, int days) {
  constexpr int64_t kDayMs = 86'400'000;
  int64_t today = now_ms / kDayMs;
  std::vector<std::string> cats;
  for (int d = days - 1; d >= 0; --d) cats.push_back(FormatRfc3339((today - d) * 86'400).substr(5, 5));
  const char* labels[] = {"malicious", "suspicious", "benign", "unreachable"};
  std::vector<ChartSeries> series;
  for (const char* l : labels) series.push_back({l, std::string("s-") + l, std::vector<double>(days, 0)});
  std::map<std::string, int> by_status;
  for (const auto& c : cases) {
    ++by_status[c.status];
    int64_t day = c.created_ms / kDayMs;
    int idx = static_cast<int>(day - (today - days + 1));
    if (idx < 0 || idx >= days) continue;
    for (auto& s : series) {
      if (s.name == c.label) s.values[static_cast<size_t>(idx)] += 1;
    }
  }
  std::map<std::string, int> item_status;
  std::map<std::string, std::vector<int64_t>> delays;  // recipient -> ms from filing to sending
  for (const auto& it : items) {
    ++item_status[it.status];
    if (it.status == "sent" && it.sent_ms >= it.created_ms) delays[it.recipient].push_back(it.sent_ms - it.created_ms);
  }
  std::vector<BarRow> outcome_rows;
  for (const auto& [status, n] : item_status) outcome_rows.push_back({status, double(n), std::to_string(n)});
  std::vector<BarRow> slow;
  for (auto& [rcpt, v] : delays) {
    std::sort(v.begin(), v.end());
    int64_t median = v[v.size() / 2];
    slow.push_back({rcpt.rfind("mailto:", 0) == 0 ? rcpt.substr(7) : rcpt, double(median) / 60000.0,
                    FormatDuration(median) + " (" + std::to_string(v.size()) + " sent)"});
  }
  std::sort(slow.begin(), slow.end(), [](const BarRow& a, const BarRow& b) { return a.value > b.value; });
  if (slow.size() > kMaxSlowRecipients) slow.resize(kMaxSlowRecipients);
  nlohmann::json m;
  m["queue_depth"] = by_status[reporters::kCaseReview];
  m["total_cases"] = cases.size();
  m["reported"] = by_status[reporters::kCaseReported];
  m["rejected"] = by_status[reporters::kCaseRejected];
  m["no_report"] = by_status[reporters::kCaseBenign];
  m["down"] = by_status[reporters::kCaseDown];
  m["charts"] = nlohmann::json::array(
      {{{"svg", StackedBarChart("Cases per day by label (last " + std::to_string(days) + " days)", cats, series)}},
       {{"svg", HorizontalBarChart("Reports by status", outcome_rows)}},
       {{"svg", HorizontalBarChart("Slowest recipients: median time from filing to sending", slow)}}});
  return m;
}

}  // namespace dragnet::web
