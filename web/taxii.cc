#include "web/taxii.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "core/clock.h"
#include "intel/export.h"

namespace dragnet::web {
namespace {

// Dragnet's namespace for the collection's UUID (any fixed UUID will do;
// changing it would move the collection for every partner).
constexpr const char* kCollectionNamespace = "3c5d1a8e-7b2f-4e61-9d0c-5a4b8f2e6c17";
// Longest match[type] / match[id] list honoured (values, not bytes).
constexpr size_t kMaxMatchValues = 100;

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(sep, pos);
    if (end == std::string::npos) end = s.size();
    out.push_back(Trim(s.substr(pos, end - pos)));
    pos = end + 1;
  }
  return out;
}

int64_t TimeOf(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return -1;
  auto t = ParseRfc3339Ms(it->get<std::string>());
  return t.ok() ? *t : -1;
}

// STIX identifiers: "type--uuid", lowercase letters, digits and '-'.
bool ValidStixId(const std::string& id) {
  return !id.empty() && id.size() <= 200 && id.find("--") != std::string::npos &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
}

std::string Cursor(const TaxiiObject& o) {
  return std::to_string(o.added_ms) + "_" + o.object.value("id", std::string());
}

}  // namespace

std::string TaxiiCollectionId() { return intel::Uuid5(kCollectionNamespace, kTaxiiCollectionTitle); }

bool AcceptsTaxii(const std::string& accept) {
  if (Trim(accept).empty()) return true;
  for (const std::string& range : Split(accept, ',')) {
    auto params = Split(range, ';');
    std::string type = Lower(params[0]);
    if (type == "*/*" || type == "application/*") return true;
    if (type != "application/taxii+json") continue;
    std::string version;
    for (size_t i = 1; i < params.size(); ++i) {
      std::string p = Lower(params[i]);
      if (p.rfind("version=", 0) == 0) version = p.substr(8);
    }
    if (version.empty() || version == "2.1") return true;
  }
  return false;
}

std::vector<TaxiiObject> TaxiiObjects(const nlohmann::json& bundle) {
  std::vector<TaxiiObject> out;
  auto objs = bundle.find("objects");
  if (objs == bundle.end() || !objs->is_array()) return out;
  // SCOs carry no time: the latest SRO / observed-data naming them.
  std::map<std::string, int64_t> named_at;
  for (const auto& o : *objs) {
    int64_t t = TimeOf(o, "modified");
    if (t < 0) continue;
    auto note = [&](const nlohmann::json& ref) {
      if (!ref.is_string()) return;
      int64_t& v = named_at[ref.get<std::string>()];
      v = std::max(v, t);
    };
    for (const char* k : {"source_ref", "target_ref"}) {
      if (o.contains(k)) note(o[k]);
    }
    if (o.contains("object_refs") && o["object_refs"].is_array()) {
      for (const auto& r : o["object_refs"]) note(r);
    }
  }
  for (const auto& o : *objs) {
    if (!o.is_object() || !o.contains("id") || !o["id"].is_string()) continue;
    int64_t t = TimeOf(o, "modified");
    if (t < 0) {
      auto it = named_at.find(o["id"].get<std::string>());
      t = it == named_at.end() ? 0 : it->second;
    }
    out.push_back({t, o});
  }
  std::sort(out.begin(), out.end(), [](const TaxiiObject& a, const TaxiiObject& b) {
    if (a.added_ms != b.added_ms) return a.added_ms < b.added_ms;
    return a.object["id"].get_ref<const std::string&>() < b.object["id"].get_ref<const std::string&>();
  });
  return out;
}

Result<TaxiiQuery> ParseTaxiiQuery(const std::string& added_after, const std::string& limit, const std::string& next,
                                   const std::string& types, const std::string& ids) {
  TaxiiQuery q;
  if (!added_after.empty()) {
    auto t = ParseRfc3339Ms(added_after);
    if (!t.ok()) return InvalidArgument("added_after: not an RFC 3339 timestamp: " + t.status().message());
    q.added_after_ms = *t;
  }
  if (!limit.empty()) {
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || p != limit.data() + limit.size() || n == 0) {
      return InvalidArgument("limit: a whole number from 1 is required");
    }
    q.limit = static_cast<size_t>(std::min<uint64_t>(n, kTaxiiMaxLimit));
  }
  if (!next.empty()) {
    size_t us = next.find('_');
    uint64_t ms = 0;
    bool ok = us != std::string::npos && us > 0 && ValidStixId(next.substr(us + 1));
    if (ok) {
      auto [p, ec] = std::from_chars(next.data(), next.data() + us, ms);
      ok = ec == std::errc() && p == next.data() + us;
    }
    if (!ok) return InvalidArgument("next: not a cursor this server gave out");
    q.next = next;
  }
  for (auto [list, set, name] : {std::tuple{&types, &q.types, "match[type]"}, std::tuple{&ids, &q.ids, "match[id]"}}) {
    if (list->empty()) continue;
    for (const std::string& v : Split(*list, ',')) {
      if (v.empty()) continue;
      if (set->size() >= kMaxMatchValues) {
        return InvalidArgument(std::string(name) + ": more than " + std::to_string(kMaxMatchValues) + " values");
      }
      set->insert(v);
    }
  }
  return q;
}

Result<TaxiiPage> SelectTaxiiPage(const std::vector<TaxiiObject>& all, const TaxiiQuery& q) {
  TaxiiPage page;
  int64_t after_ms = -1;
  std::string after_id;
  if (!q.next.empty()) {
    size_t us = q.next.find('_');
    if (us == std::string::npos) return InvalidArgument("next: not a cursor this server gave out");
    auto [p, ec] = std::from_chars(q.next.data(), q.next.data() + us, after_ms);
    if (ec != std::errc() || p != q.next.data() + us) return InvalidArgument("next: not a cursor this server gave out");
    after_id = q.next.substr(us + 1);
  }
  size_t limit = std::clamp<size_t>(q.limit, 1, kTaxiiMaxLimit);
  for (const TaxiiObject& o : all) {
    if (o.added_ms > q.added_until_ms) break;  // sorted: the rest is newer still
    if (o.added_ms <= q.added_after_ms) continue;
    const std::string& id = o.object["id"].get_ref<const std::string&>();
    if (after_ms >= 0 && (o.added_ms < after_ms || (o.added_ms == after_ms && id <= after_id))) continue;
    if (!q.types.empty() && !q.types.count(o.object.value("type", std::string()))) continue;
    if (!q.ids.empty() && !q.ids.count(id)) continue;
    if (page.objects.size() == limit) {
      page.more = true;
      page.next = Cursor(*page.objects.back());
      break;
    }
    page.objects.push_back(&o);
  }
  return page;
}

nlohmann::json TaxiiEnvelope(const TaxiiPage& page) {
  nlohmann::json e = {{"more", page.more}};
  if (page.more) e["next"] = page.next;
  if (!page.objects.empty()) {
    nlohmann::json objs = nlohmann::json::array();
    for (const TaxiiObject* o : page.objects) objs.push_back(o->object);
    e["objects"] = std::move(objs);
  }
  return e;
}

nlohmann::json TaxiiError(int status, const std::string& title, const std::string& description) {
  return {{"title", title}, {"description", description}, {"http_status", std::to_string(status)}};
}

}  // namespace dragnet::web
