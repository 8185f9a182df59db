#include "intel/format.h"

#include <map>

#include "core/clock.h"
#include "core/text.h"

namespace dragnet::intel {
namespace {

std::string Time(int64_t ms) { return ms > 0 ? FormatRfc3339Ms(ms) : ""; }

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// What a type is called in a sentence.
std::string Noun(const std::string& type) {
  static const std::map<std::string, std::string> n = {
      {"btc", "Bitcoin wallet"}, {"eth", "Ethereum wallet"}, {"tron", "TRON wallet"}, {"xmr", "Monero wallet"},
      {"telegram_bot_token", "Telegram bot token"}, {"telegram", "Telegram account"},
      {"whatsapp", "WhatsApp number"}, {"email", "e-mail address"}, {"phone", "phone number"},
      {"iban", "IBAN"}, {"card", "card number"}, {"analytics_ga", "Google Analytics ID"},
      {"analytics_gtm", "Google Tag Manager ID"}, {"fb_pixel", "Facebook pixel"},
      {"collector_host", "collector host (where the forms post)"}, {"favicon_mmh3", "favicon"},
  };
  auto it = n.find(type);
  return it == n.end() ? type : it->second;
}

std::string Count(size_t n, const std::string& noun) {
  static const char* kWords[] = {"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  std::string num = n < 10 ? kWords[n] : std::to_string(n);
  return num + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

nlohmann::json CampaignJson(const CampaignView& v, bool with_members) {
  nlohmann::json j;
  j["campaign_id"] = v.campaign_id;
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& m : v.members) cases.push_back(m.case_id);
  j["cases"] = cases;
  j["case_count"] = v.members.size();
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : v.links) {
    links.push_back({{"type", l.type}, {"value", ToText(l.value)}, {"weight", l.weight}, {"cases", l.cases}});
  }
  j["links"] = links;
  j["first_seen"] = Time(v.first_ms);
  j["last_seen"] = Time(v.last_ms);
  j["created_at"] = Time(v.created_ms);
  j["updated_at"] = Time(v.updated_ms);
  j["domains"] = v.domains;
  j["registrars"] = v.registrars;
  j["countries"] = v.countries;
  j["merged_from"] = v.merged_from;
  if (with_members) {
    nlohmann::json ms = nlohmann::json::array();
    for (const auto& m : v.members) {
      ms.push_back({{"case_id", m.case_id}, {"seed", ToText(m.seed)}, {"final_url", ToText(m.final_url)},
                    {"host", m.host}, {"domain", m.domain}, {"registrar", ToText(m.registrar)},
                    {"countries", m.countries}, {"label", m.label}, {"scam_type", m.scam_type},
                    {"brand", m.brand}, {"score", m.score}, {"first_seen", Time(m.first_ms)},
                    {"last_seen", Time(m.last_ms)}});
    }
    j["members"] = ms;
  }
  return j;
}

std::string LinkSentence(const CampaignView& v) {
  std::map<std::string, size_t> by_type;
  for (const auto& l : v.links) ++by_type[l.type];
  std::vector<std::string> parts;
  for (const auto& [type, n] : by_type) parts.push_back(Count(n, Noun(type)));
  std::string what;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) what += i + 1 == parts.size() ? " and " : ", ";
    what += parts[i];
  }
  return "these " + Count(v.domains.size(), "domain") + " share " + (what.empty() ? "nothing any more" : what);
}

std::string CampaignLine(const CampaignView& v) {
  std::string out = v.campaign_id + "  " + std::to_string(v.members.size()) + " cases  ";
  std::vector<std::string> links;
  for (const auto& l : v.links) links.push_back(l.type + " " + ToPrintable(l.value));
  out += "links: " + Join(links, ", ") + "  domains: " + Join(v.domains, ", ");
  return out;
}

std::string CampaignText(const CampaignView& v) {
  std::string out = "Campaign " + v.campaign_id + ": " + std::to_string(v.members.size()) + " cases, seen " +
                    Time(v.first_ms) + " to " + Time(v.last_ms) + "\n";
  if (!v.merged_from.empty()) out += "Merged from: " + Join(v.merged_from, ", ") + "\n";
  out += "Why linked: " + LinkSentence(v) + ".\n";
  for (const auto& l : v.links) {
    out += "  " + Noun(l.type) + " " + ToPrintable(l.value) + " (weight " + std::to_string(l.weight) +
           "): " + Join(l.cases, ", ") + "\n";
  }
  out += "Cases:\n";
  for (const auto& m : v.members) {
    out += "  " + m.case_id + "  " + m.host + "  " + (m.label.empty() ? "-" : m.label) +
           (m.scam_type.empty() ? "" : " " + m.scam_type) + (m.brand.empty() ? "" : " (" + m.brand + ")") +
           (m.registrar.empty() ? "" : "  registrar: " + ToPrintable(m.registrar)) +
           (m.countries.empty() ? "" : "  hosted in: " + Join(m.countries, ", ")) + "\n";
  }
  if (!v.registrars.empty()) out += "Registrars: " + ToPrintable(Join(v.registrars, ", ")) + "\n";
  if (!v.countries.empty()) out += "Hosting countries: " + Join(v.countries, ", ") + "\n";
  return out;
}

nlohmann::json SearchHitJson(const SearchHit& h) {
  return {{"case_id", h.case_id}, {"seed", ToText(h.seed)},      {"host", h.host},
          {"type", h.type},       {"value", ToText(h.value)},    {"campaign_id", h.campaign_id},
          {"weight", h.weight},   {"links", h.links},            {"owned_by", h.owned_by}};
}

std::string SearchHitLine(const SearchHit& h) {
  return h.case_id + "  " + h.type + " " + ToPrintable(h.value) + "  " + ToPrintable(h.seed) + "  " +
         (h.campaign_id.empty() ? "(no campaign)" : h.campaign_id) +
         (h.owned_by.empty() ? "" : "  owned by " + h.owned_by) + (h.links ? "" : "  (does not link)");
}

}  // namespace dragnet::intel
