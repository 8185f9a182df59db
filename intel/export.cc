#include "intel/export.h"

#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/json.h"
#include "core/hash.h"
#include "core/text.h"
#include "intel/format.h"

namespace dragnet::intel {
namespace {

using nlohmann::json;

// STIX 2.1 section 2.9: SCO IDs are UUIDv5 in this namespace.
constexpr const char* kStixScoNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";
// Dragnet's own namespace for SDOs, SROs and MISP UUIDs (a fixed v4 UUID).
constexpr const char* kDragnetNamespace = "6f1c7a52-3b9e-4d0a-9a51-2f7c1e0b8d34";
constexpr const char* kExtensionId = "extension-definition--8f5b6d0e-1c0a-4f7e-9b55-3d2f6a8c4e11";
constexpr const char* kIdentityName = "identity";

std::string Time(int64_t ms) { return FormatRfc3339Ms(ms > 0 ? ms : 0); }

std::string Id(const std::string& type, const std::string& name) {
  return type + "--" + Uuid5(kDragnetNamespace, type + "\n" + name);
}

// A STIX pattern string literal: backslash and quote escaped.
std::string Lit(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

bool Exportable(const Identifier& id) {
  if (!id.owned_by.empty() || id.type == "card" || id.type == "body_sha256") return false;
  if (BuiltinUbiquitous(id.type, id.value)) return false;
  return id.weight >= 50;
}

std::string Currency(const std::string& t) {
  if (t == "btc") return "BTC";
  if (t == "eth") return "ETH";
  if (t == "tron") return "TRX";
  if (t == "xmr") return "XMR";
  return t;
}

std::string Tracker(const std::string& t) {
  if (t == "analytics_ga") return "Google Analytics";
  if (t == "analytics_gtm") return "Google Tag Manager";
  if (t == "fb_pixel") return "Facebook Pixel";
  return t;
}

// ------------------------------------------------------------------ STIX ---

class StixBuilder {
 public:
  explicit StixBuilder(const ExportSet& s) : s_(s) {
    identity_ = Id(kIdentityName, s.producer);
    Add({{"type", "identity"}, {"spec_version", "2.1"}, {"id", identity_}, {"created", Time(0)},
         {"modified", Time(0)}, {"name", ToText(s.producer)}, {"identity_class", "organization"}});
    Add({{"type", "extension-definition"}, {"spec_version", "2.1"}, {"id", kExtensionId},
         {"created_by_ref", identity_}, {"created", Time(0)}, {"modified", Time(0)},
         {"name", "Dragnet fraud indicators"},
         {"description",
          "Cyber-observable types STIX 2.1 lacks, as Dragnet extracts them from fraud sites: "
          "x-dragnet-wallet {currency, address}, x-dragnet-phone {number, service}, "
          "x-dragnet-bank-account {iban}, x-dragnet-messaging-account {service, account}, "
          "x-dragnet-tracking-id {tracker, tracking_id}, x-dragnet-favicon {mmh3}."},
         {"schema", "https://github.com/dragnet/dragnet/blob/main/README.md#export"},
         {"version", "1.0.0"}, {"extension_types", {"new-sco"}}});
  }

  json Build() {
    std::map<std::string, std::string> infra_of_case;
    for (const auto& c : s_.cases) infra_of_case[c.member.case_id] = Case(c);
    for (const auto& cp : s_.campaigns) {
      std::string id = Id("campaign", cp.campaign_id);
      json o = {{"type", "campaign"}, {"spec_version", "2.1"}, {"id", id}, {"created_by_ref", identity_},
                {"created", Time(cp.created_ms)}, {"modified", Time(std::max(cp.updated_ms, cp.created_ms))},
                {"name", cp.campaign_id}, {"description", LinkSentence(cp) + "."}};
      if (cp.first_ms > 0) o["first_seen"] = Time(cp.first_ms);
      if (cp.last_ms > 0) o["last_seen"] = Time(cp.last_ms);
      if (!cp.merged_from.empty()) o["aliases"] = cp.merged_from;
      Add(o);
      for (const auto& m : cp.members) {
        auto it = infra_of_case.find(m.case_id);
        if (it != infra_of_case.end()) Rel(id, "uses", it->second, cp.updated_ms);
      }
    }
    return {{"type", "bundle"}, {"id", "bundle--" + Uuid5(kDragnetNamespace, BundleName())}, {"objects", objects_}};
  }

 private:
  std::string BundleName() const {
    std::string n = "bundle";
    for (const auto& c : s_.cases) n += "\n" + c.member.case_id + "@" + std::to_string(c.member.last_ms);
    return n;
  }

  void Add(json o) {
    if (seen_.insert(o["id"].get<std::string>()).second) objects_.push_back(std::move(o));
  }

  void Rel(const std::string& from, const std::string& type, const std::string& to, int64_t ms) {
    Add({{"type", "relationship"}, {"spec_version", "2.1"}, {"id", Id("relationship", from + type + to)},
         {"created_by_ref", identity_}, {"created", Time(ms)}, {"modified", Time(ms)},
         {"relationship_type", type}, {"source_ref", from}, {"target_ref", to}});
  }

  // A standard SCO with one `value`.
  std::string Sco(const std::string& type, const std::string& value) {
    std::string id = type + "--" + Uuid5(kStixScoNamespace, DumpJson(json({{"value", value}})));
    Add({{"type", type}, {"spec_version", "2.1"}, {"id", id}, {"value", value}});
    return id;
  }

  // A custom SCO of the extension; `props` are its ID-contributing properties.
  std::string Custom(const std::string& type, const json& props) {
    std::string id = type + "--" + Uuid5(kStixScoNamespace, DumpJson(props));
    json o = {{"type", type}, {"spec_version", "2.1"}, {"id", id},
              {"extensions", {{kExtensionId, {{"extension_type", "new-sco"}}}}}};
    for (const auto& [k, v] : props.items()) o[k] = v;
    Add(o);
    return id;
  }

  void Indicator(const std::string& pattern, const std::string& name, const std::string& infra, const ExportCase& c) {
    std::string id = Id("indicator", pattern);
    Add({{"type", "indicator"}, {"spec_version", "2.1"}, {"id", id}, {"created_by_ref", identity_},
         {"created", Time(c.member.first_ms)}, {"modified", Time(c.member.last_ms)}, {"name", name},
         {"indicator_types", {"malicious-activity"}}, {"pattern", pattern}, {"pattern_type", "stix"},
         {"valid_from", Time(c.member.first_ms)}});
    Rel(id, "indicates", infra, c.member.last_ms);
  }

  std::string Case(const ExportCase& c) {
    const MemberView& m = c.member;
    std::string infra = Id("infrastructure", m.case_id);
    std::string desc = "Dragnet case " + m.case_id + ": " + (m.label.empty() ? "unscored" : m.label) +
                       (m.scam_type.empty() ? "" : " " + m.scam_type) +
                       (m.brand.empty() ? "" : ", impersonating " + m.brand) +
                       (m.campaign_id.empty() ? "" : ", campaign " + m.campaign_id) + ".";
    json o = {{"type", "infrastructure"}, {"spec_version", "2.1"}, {"id", infra}, {"created_by_ref", identity_},
              {"created", Time(m.first_ms)}, {"modified", Time(m.last_ms)}, {"name", m.host.empty() ? m.case_id : m.host},
              {"description", ToText(desc)}, {"infrastructure_types", {"phishing"}},
              {"first_seen", Time(m.first_ms)}, {"last_seen", Time(m.last_ms)},
              {"external_references", {{{"source_name", "dragnet"}, {"external_id", m.case_id}}}}};
    Add(o);
    std::vector<std::string> refs;
    auto consist = [&](const std::string& sco, const char* rel) {
      refs.push_back(sco);
      Rel(infra, rel, sco, m.last_ms);
    };
    for (const std::string* u : {&m.seed, &m.final_url}) {
      if (u->empty()) continue;
      std::string v = ToText(*u);
      consist(Sco("url", v), "consists-of");
      Indicator("[url:value = " + Lit(v) + "]", "Fraud site URL " + v, infra, c);
    }
    if (!m.host.empty()) {
      consist(Sco("domain-name", m.host), "consists-of");
      Indicator("[domain-name:value = " + Lit(m.host) + "]", "Fraud site host " + m.host, infra, c);
    }
    for (const auto& ip : m.ips) {
      bool v6 = ip.find(':') != std::string::npos;
      consist(Sco(v6 ? "ipv6-addr" : "ipv4-addr", ip), "consists-of");
      Indicator(std::string("[") + (v6 ? "ipv6-addr" : "ipv4-addr") + ":value = " + Lit(ip) + "]",
                "Fraud site address " + ip, infra, c);
    }
    for (const auto& id : c.identifiers) {
      std::string v = ToText(id.value);
      const std::string& t = id.type;
      if (t == "email") {
        consist(Sco("email-addr", v), "related-to");
        Indicator("[email-addr:value = " + Lit(v) + "]", "Contact address on a fraud site", infra, c);
      } else if (t == "collector_host") {
        consist(Sco("domain-name", v), "exfiltrates-to");
        Indicator("[domain-name:value = " + Lit(v) + "]", "Collector of a fraud site's forms", infra, c);
      } else if (t == "btc" || t == "eth" || t == "tron" || t == "xmr") {
        consist(Custom("x-dragnet-wallet", {{"currency", Currency(t)}, {"address", v}}), "related-to");
      } else if (t == "phone" || t == "whatsapp") {
        consist(Custom("x-dragnet-phone", {{"number", v}, {"service", t == "whatsapp" ? "whatsapp" : "phone"}}),
                "related-to");
      } else if (t == "iban") {
        consist(Custom("x-dragnet-bank-account", {{"iban", v}}), "related-to");
      } else if (t == "telegram" || t == "telegram_bot_token") {
        consist(Custom("x-dragnet-messaging-account",
                       {{"service", t == "telegram" ? "telegram" : "telegram-bot"}, {"account", v}}),
                "related-to");
      } else if (t == "analytics_ga" || t == "analytics_gtm" || t == "fb_pixel") {
        consist(Custom("x-dragnet-tracking-id", {{"tracker", Tracker(t)}, {"tracking_id", v}}), "related-to");
      } else if (t == "favicon_mmh3") {
        consist(Custom("x-dragnet-favicon", {{"mmh3", v}}), "related-to");
      }
    }
    if (!refs.empty()) {
      Add({{"type", "observed-data"}, {"spec_version", "2.1"}, {"id", Id("observed-data", m.case_id)},
           {"created_by_ref", identity_}, {"created", Time(m.first_ms)}, {"modified", Time(m.last_ms)},
           {"first_observed", Time(m.first_ms)}, {"last_observed", Time(std::max(m.first_ms, m.last_ms))},
           {"number_observed", 1}, {"object_refs", refs}});
    }
    return infra;
  }

  const ExportSet& s_;
  std::string identity_;
  json objects_ = json::array();
  std::set<std::string> seen_;
};

// ------------------------------------------------------------------ MISP ---

json Attr(const std::string& relation, const std::string& type, const std::string& value, const std::string& uuid_seed,
          bool to_ids) {
  json a = {{"object_relation", relation}, {"type", type}, {"value", ToText(value)},
            {"uuid", Uuid5(kDragnetNamespace, "misp-attribute\n" + uuid_seed + "\n" + relation + "\n" + value)},
            {"to_ids", to_ids}, {"disable_correlation", !to_ids}};
  return a;
}

json MispObject(const std::string& name, const std::string& template_uuid, const std::string& version,
                const std::string& meta, const std::string& key) {
  return {{"name", name},       {"meta-category", meta}, {"template_uuid", template_uuid},
          {"template_version", version}, {"uuid", Uuid5(kDragnetNamespace, "misp-object\n" + name + "\n" + key)},
          {"distribution", "5"}, {"Attribute", json::array()}};
}

std::string MispTime(int64_t ms) {
  // MISP datetime attributes: ISO 8601 with offset.
  std::string t = FormatRfc3339(ms / 1000);
  if (!t.empty() && t.back() == 'Z') t = t.substr(0, t.size() - 1) + "+00:00";
  return t;
}

}  // namespace

std::string Uuid5(const std::string& ns, const std::string& name) {
  std::string raw;
  for (char c : ns) {
    if (c != '-') raw += c;
  }
  std::string bytes;
  for (size_t i = 0; i + 1 < raw.size(); i += 2) {
    auto hex = [](char h) { return static_cast<unsigned char>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10); };
    bytes += static_cast<char>(hex(raw[i]) << 4 | hex(raw[i + 1]));
  }
  bytes += name;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha1(), nullptr);
  md[6] = static_cast<unsigned char>((md[6] & 0x0f) | 0x50);
  md[8] = static_cast<unsigned char>((md[8] & 0x3f) | 0x80);
  std::string hex = HexEncode(std::string_view(reinterpret_cast<const char*>(md), 16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

Result<ExportSet> CollectExport(CampaignIndex& index, const ExportQuery& q) {
  ExportSet s;
  std::vector<std::string> ids = q.case_ids;
  bool explicit_cases = !q.case_ids.empty() || !q.campaign_id.empty();
  if (!q.campaign_id.empty()) {
    auto cp = index.Get(q.campaign_id);
    if (!cp.ok()) return cp.status();
    for (const auto& m : cp->members) ids.push_back(m.case_id);
  }
  if (!explicit_cases) {
    auto all = index.CasesSince(q.since_ms);
    if (!all.ok()) return all.status();
    ids = std::move(all).value();
  }
  std::set<std::string> done, campaigns;
  for (const auto& id : ids) {
    if (!done.insert(id).second) continue;
    if (done.size() > kMaxExportCases) {
      return LimitExceeded("export: more than " + std::to_string(kMaxExportCases) +
                           " cases; narrow it with --since, --case or --campaign");
    }
    auto m = index.GetCase(id);
    if (!m.ok()) return m.status();
    if (explicit_cases && q.since_ms > 0 && m->last_ms < q.since_ms) continue;
    if (!explicit_cases && m->label != "malicious" && m->label != "suspicious") continue;
    ExportCase c;
    c.member = std::move(m).value();
    auto idents = index.IdentifiersOfCase(id);
    if (!idents.ok()) return idents.status();
    for (auto& i : *idents) {
      if (Exportable(i)) c.identifiers.push_back(std::move(i));
    }
    if (!c.member.campaign_id.empty()) campaigns.insert(c.member.campaign_id);
    s.cases.push_back(std::move(c));
  }
  for (const auto& cp : campaigns) {
    auto v = index.Get(cp);
    if (!v.ok()) return v.status();
    s.campaigns.push_back(std::move(v).value());
  }
  return s;
}

json StixBundle(const ExportSet& s) { return StixBuilder(s).Build(); }

json MispEvent(const ExportSet& s) {
  json objects = json::array();
  json attributes = json::array();
  json tags = json::array();
  std::string info = "Dragnet: " + std::to_string(s.cases.size()) + " fraud site" + (s.cases.size() == 1 ? "" : "s");
  for (const auto& cp : s.campaigns) {
    tags.push_back({{"name", "dragnet:campaign=\"" + cp.campaign_id + "\""}});
    info += ", campaign " + cp.campaign_id + " (" + LinkSentence(cp) + ")";
  }
  std::map<std::string, json> shared;  // one object per identifier value, referenced from each site
  std::map<std::string, std::vector<std::string>> refs_of_case;
  std::string event_key;
  for (const auto& c : s.cases) {
    const MemberView& m = c.member;
    event_key += m.case_id + "\n";
    json site = MispObject("phishing", "2dad6f9d-d425-4217-8fda-0b0a2d815307", "7", "network", m.case_id);
    site["comment"] = ToText("Dragnet case " + m.case_id + (m.campaign_id.empty() ? "" : ", campaign " + m.campaign_id));
    auto& a = site["Attribute"];
    a.push_back(Attr("url", "url", m.seed, m.case_id, true));
    if (!m.final_url.empty() && m.final_url != m.seed) a.push_back(Attr("url-redirect", "url", m.final_url, m.case_id, true));
    if (!m.host.empty()) a.push_back(Attr("hostname", "hostname", m.host, m.case_id, true));
    for (const auto& ip : m.ips) a.push_back(Attr("ip", "ip-dst", ip, m.case_id, true));
    a.push_back(Attr("online", "text", m.label == "unreachable" ? "No" : "Yes", m.case_id, false));
    if (!m.brand.empty()) a.push_back(Attr("target", "text", m.brand, m.case_id, false));
    int64_t first_request = 0;
    for (const auto& t : c.takedowns) {
      a.push_back(Attr("takedown-request-to", "text", t.recipient, m.case_id, false));
      if (t.requested_ms > 0 && (first_request == 0 || t.requested_ms < first_request)) first_request = t.requested_ms;
    }
    if (first_request > 0) a.push_back(Attr("takedown-request", "datetime", MispTime(first_request), m.case_id, false));
    a.push_back(Attr("verification-time", "datetime", MispTime(m.last_ms), m.case_id, false));
    for (const auto& id : c.identifiers) {
      const std::string& t = id.type;
      std::string key = t + "\n" + id.value;
      if (t == "email" || t == "collector_host") {
        json attr = Attr("", t == "email" ? "email" : "hostname", id.value, m.case_id, true);
        attr.erase("object_relation");
        attr["category"] = t == "email" ? "Social network" : "Network activity";
        attr["comment"] = ToText((t == "email" ? "contact address on " : "collector of the forms of ") + m.host);
        attributes.push_back(attr);
        continue;
      }
      if (!shared.count(key)) {
        json o;
        if (t == "btc" || t == "eth" || t == "tron" || t == "xmr") {
          o = MispObject("coin-address", "d0e6997e-78da-4815-a6a1-cfc1c1cb8a46", "7", "financial", key);
          if (t == "btc") o["Attribute"].push_back(Attr("address", "btc", id.value, key, true));
          else if (t == "xmr") o["Attribute"].push_back(Attr("address-xmr", "xmr", id.value, key, true));
          else o["Attribute"].push_back(Attr("address-crypto", "text", id.value, key, true));
          o["Attribute"].push_back(Attr("symbol", "text", Currency(t), key, false));
        } else if (t == "iban") {
          o = MispObject("bank-account", "b4712203-95a8-4883-80e9-b566f5df11c9", "3", "financial", key);
          o["Attribute"].push_back(Attr("iban", "iban", id.value, key, true));
        } else if (t == "telegram") {
          o = MispObject("telegram-account", "06f02ecf-5afb-42c5-9cb0-b362e222f52c", "2", "misc", key);
          o["Attribute"].push_back(Attr("username", "text", id.value, key, true));
        } else if (t == "telegram_bot_token") {
          // The bot's numeric ID is the token's part before ':'; the token
          // itself is a credential and stays in Dragnet's own reports.
          o = MispObject("telegram-account", "06f02ecf-5afb-42c5-9cb0-b362e222f52c", "2", "misc", key);
          o["Attribute"].push_back(Attr("id", "text", id.value.substr(0, id.value.find(':')), key, true));
        } else if (t == "phone" || t == "whatsapp") {
          o = MispObject("phone-number", "c4b5a67c-63d2-11ec-90d6-0242ac120003", "1", "mobile", key);
          o["Attribute"].push_back(Attr("phone-number", "phone-number", id.value, key, true));
          if (t == "whatsapp") o["Attribute"].push_back(Attr("text", "text", "WhatsApp", key, false));
        } else if (t == "analytics_ga" || t == "analytics_gtm" || t == "fb_pixel") {
          o = MispObject("tracking-id", "3681c62a-2c75-48d8-99f2-6a3444ce2393", "3", "network", key);
          o["Attribute"].push_back(Attr("id", "text", id.value, key, true));
          o["Attribute"].push_back(Attr("tracker", "text", Tracker(t), key, false));
        } else if (t == "favicon_mmh3") {
          o = MispObject("favicon", "485892f1-a767-4e9b-b5f8-7f86d1308674", "1", "network", key);
          o["Attribute"].push_back(Attr("favicon-mmh3", "favicon-mmh3", id.value, key, true));
        } else {
          continue;
        }
        shared[key] = o;
      }
      site["ObjectReference"].push_back(
          {{"referenced_uuid", shared[key]["uuid"]}, {"relationship_type", "related-to"},
           {"uuid", Uuid5(kDragnetNamespace, "misp-ref\n" + m.case_id + "\n" + key)}});
    }
    objects.push_back(site);
  }
  for (auto& [k, o] : shared) objects.push_back(o);
  json event = {{"info", ToText(info)},
                {"date", FormatRfc3339(s.now_ms / 1000).substr(0, 10)},
                {"threat_level_id", "2"},
                {"analysis", "2"},
                {"distribution", "0"},
                {"published", false},
                {"uuid", Uuid5(kDragnetNamespace, "misp-event\n" + event_key)},
                {"timestamp", std::to_string(s.now_ms / 1000)},
                {"Attribute", attributes},
                {"Object", objects},
                {"Tag", tags}};
  return {{"Event", event}};
}

std::string Csv(const ExportSet& s) {
  auto cell = [](const std::string& raw) {
    std::string v = ToText(raw);
    // A cell a spreadsheet would run as a formula is kept as text.
    if (!v.empty() && std::string("=+-@\t\r").find(v[0]) != std::string::npos) v = "'" + v;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + "\"";
  };
  std::string out = "case_id,campaign_id,seed,host,type,value,weight,first_seen,last_seen\r\n";
  for (const auto& c : s.cases) {
    const MemberView& m = c.member;
    auto row = [&](const std::string& type, const std::string& value, int weight) {
      out += cell(m.case_id) + "," + cell(m.campaign_id) + "," + cell(m.seed) + "," + cell(m.host) + "," + cell(type) +
             "," + cell(value) + "," + std::to_string(weight) + "," + Time(m.first_ms) + "," + Time(m.last_ms) + "\r\n";
    };
    row("url", m.seed, 0);
    if (!m.final_url.empty() && m.final_url != m.seed) row("url", m.final_url, 0);
    if (!m.host.empty()) row("host", m.host, 0);
    for (const auto& ip : m.ips) row(ip.find(':') == std::string::npos ? "ipv4" : "ipv6", ip, 0);
    for (const auto& id : c.identifiers) row(id.type, id.value, id.weight);
  }
  return out;
}

}  // namespace dragnet::intel
