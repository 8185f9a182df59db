#include "monitor/stats.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/text.h"

namespace dragnet::monitor {

using reporters::CaseRecord;
using reporters::ReportItem;

std::optional<int64_t> Median(std::vector<int64_t> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) / 2];
}

std::optional<int64_t> Percentile(std::vector<int64_t> v, int p) {
  if (v.empty() || p <= 0) return std::nullopt;
  std::sort(v.begin(), v.end());
  size_t rank = (static_cast<size_t>(p) * v.size() + 99) / 100;  // ceil(p/100 * n), 1-based
  if (rank < 1) rank = 1;
  if (rank > v.size()) rank = v.size();
  return v[rank - 1];
}

namespace {

std::string TldOf(const std::string& host) {
  auto dot = host.rfind('.');
  return dot == std::string::npos ? host : host.substr(dot + 1);
}

std::string CountryOf(const CaseRecord& c) {
  const auto& r = c.result;
  if (r.is_object() && r.contains("hosting") && r["hosting"].is_object() && r["hosting"].contains("ips") &&
      r["hosting"]["ips"].is_array() && !r["hosting"]["ips"].empty()) {
    const auto& ip = r["hosting"]["ips"][0];
    if (ip.is_object() && ip.contains("country") && ip["country"].is_string()) {
      std::string cc = ip["country"].get<std::string>();
      if (!cc.empty()) return cc;
    }
  }
  return "unknown";
}

struct Acc {
  std::string kind;
  std::set<std::string> cases;
  std::set<std::string> down;
  std::vector<int64_t> times;
};

void SortSlowestFirst(std::vector<StatsRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const StatsRow& a, const StatsRow& b) {
    if (a.median_s.has_value() != b.median_s.has_value()) return !a.median_s.has_value();
    if (!a.median_s) {
      if (a.reported != b.reported) return a.reported > b.reported;
      return a.key < b.key;
    }
    if (*a.median_s != *b.median_s) return *a.median_s > *b.median_s;
    return a.key < b.key;
  });
}

std::vector<StatsRow> Rows(const std::map<std::string, Acc>& acc) {
  std::vector<StatsRow> out;
  for (const auto& [key, a] : acc) {
    StatsRow r;
    r.key = key;
    r.kind = a.kind;
    r.reported = static_cast<int>(a.cases.size());
    r.taken_down = static_cast<int>(a.down.size());
    r.median_s = Median(a.times);
    out.push_back(std::move(r));
  }
  SortSlowestFirst(out);
  return out;
}

nlohmann::json OptJson(const std::optional<int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json RowsJson(const std::vector<StatsRow>& rows, const char* key_name, bool with_kind) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json j = {{key_name, r.key},
                        {"reported", r.reported},
                        {"taken_down", r.taken_down},
                        {"median_time_to_takedown_s", OptJson(r.median_s)}};
    if (with_kind) j["kind"] = r.kind;
    out.push_back(std::move(j));
  }
  return out;
}

std::string Pad(std::string s, size_t w) {
  if (s.size() < w) s.resize(w, ' ');
  return s;
}

std::string Table(const char* title, const char* key_name, const std::vector<StatsRow>& rows, bool with_kind) {
  std::string out = std::string(title) + " (slowest first):\n";
  if (rows.empty()) return out + "  (none)\n";
  size_t w = std::string(key_name).size();
  for (const auto& r : rows) w = std::max(w, r.key.size());
  w = std::min<size_t>(w, 48);
  out += "  " + Pad(key_name, w) + (with_kind ? "  " + Pad("kind", 10) : "") + "  reported  down  median to takedown\n";
  for (const auto& r : rows) {
    out += "  " + Pad(ToPrintable(CutText(r.key, w)), w) + (with_kind ? "  " + Pad(r.kind, 10) : "") + "  " +
           Pad(std::to_string(r.reported), 8) + "  " + Pad(std::to_string(r.taken_down), 4) + "  " +
           (r.median_s ? HumanDuration(*r.median_s) : std::string("-")) + "\n";
  }
  return out;
}

}  // namespace

std::string HumanDuration(int64_t s) {
  if (s < 0) s = 0;
  int64_t d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
  if (d > 0) return std::to_string(d) + "d " + std::to_string(h) + "h";
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m) + "m";
  if (m > 0) return std::to_string(m) + "m " + std::to_string(sec) + "s";
  return std::to_string(sec) + "s";
}

Stats ComputeStats(const std::vector<CaseRecord>& cases, const std::vector<ReportItem>& items, int64_t since_ms) {
  Stats st;
  st.since_ms = since_ms;
  std::map<std::string, const CaseRecord*> in;
  std::vector<int64_t> times;
  std::map<std::string, Acc> tld, country;
  for (const auto& c : cases) {
    if (c.reported_ms <= 0 || c.reported_ms < since_ms) continue;
    in[c.case_id] = &c;
    ++st.reported;
    bool down = c.status == reporters::kCaseDown && c.taken_down_ms > 0;
    Acc& t = tld[TldOf(c.key)];
    Acc& k = country[CountryOf(c)];
    t.cases.insert(c.case_id);
    k.cases.insert(c.case_id);
    if (down) {
      ++st.taken_down;
      int64_t s = std::max<int64_t>(0, (c.taken_down_ms - c.reported_ms) / 1000);
      times.push_back(s);
      t.down.insert(c.case_id);
      k.down.insert(c.case_id);
      t.times.push_back(s);
      k.times.push_back(s);
    }
  }
  st.still_up = st.reported - st.taken_down;
  st.median_s = Median(times);
  st.p90_s = Percentile(times, 90);

  // Per recipient: the first report (or reopen report) it was given per case.
  std::map<std::string, std::map<std::string, int64_t>> first;  // recipient -> case -> time
  std::map<std::string, std::string> kinds;
  for (const auto& it : items) {
    if (!in.count(it.case_id)) continue;
    if (it.stage != reporters::kStageReport && it.stage != reporters::kStageReopen) continue;
    if (it.status != "sent" && it.status != "queued" && it.status != "pending") continue;
    int64_t at = it.sent_ms > 0 ? it.sent_ms : it.created_ms;
    std::string who = it.recipient.rfind("mailto:", 0) == 0 ? it.recipient.substr(7) : it.recipient;
    auto& m = first[who];
    auto f = m.find(it.case_id);
    if (f == m.end() || at < f->second) m[it.case_id] = at;
    if (!kinds.count(who)) kinds[who] = it.kind;
  }
  std::map<std::string, Acc> rcpt;
  for (const auto& [who, per_case] : first) {
    Acc& a = rcpt[who];
    a.kind = kinds[who];
    for (const auto& [case_id, at] : per_case) {
      a.cases.insert(case_id);
      const CaseRecord* c = in[case_id];
      if (c->status == reporters::kCaseDown && c->taken_down_ms > 0) {
        a.down.insert(case_id);
        a.times.push_back(std::max<int64_t>(0, (c->taken_down_ms - at) / 1000));
      }
    }
  }
  st.by_recipient = Rows(rcpt);
  st.by_tld = Rows(tld);
  st.by_country = Rows(country);
  return st;
}

nlohmann::json StatsJson(const Stats& s) {
  return {{"since", s.since_ms > 0 ? nlohmann::json(FormatRfc3339Ms(s.since_ms)) : nlohmann::json(nullptr)},
          {"reported", s.reported},
          {"taken_down", s.taken_down},
          {"still_up", s.still_up},
          {"median_time_to_takedown_s", OptJson(s.median_s)},
          {"p90_time_to_takedown_s", OptJson(s.p90_s)},
          {"by_recipient", RowsJson(s.by_recipient, "recipient", true)},
          {"by_tld", RowsJson(s.by_tld, "tld", false)},
          {"by_country", RowsJson(s.by_country, "country", false)}};
}

std::string StatsText(const Stats& s) {
  std::string out = "Reported " + std::to_string(s.reported) + ", taken down " + std::to_string(s.taken_down) +
                    ", still up " + std::to_string(s.still_up);
  if (s.since_ms > 0) out += " (reported since " + FormatRfc3339(s.since_ms / 1000) + ")";
  out += "\n";
  out += "Time to takedown: median " + (s.median_s ? HumanDuration(*s.median_s) : std::string("-")) + ", p90 " +
         (s.p90_s ? HumanDuration(*s.p90_s) : std::string("-")) + "\n\n";
  out += Table("By recipient", "recipient", s.by_recipient, true) + "\n";
  out += Table("By TLD", "tld", s.by_tld, false) + "\n";
  out += Table("By hosting country", "country", s.by_country, false);
  return out;
}

}  // namespace dragnet::monitor
