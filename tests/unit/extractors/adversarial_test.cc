// The adversarial corpus (tests/fixtures/adversarial/, issue #13): scam pages
// written to hide their indicators the ways real kits do, in many languages,
// each with the indicators an analyst would report (expected.json) and the
// decoys that must not be reported. Every page is parsed and extracted as the
// pipeline does (external scripts it references, served from files beside
// it, through ExtractScriptIndicators), then scored on (type, value):
//   - per type: precision, recall, F1;
//   - per hiding technique: recall (expected indicators found), and
//     precision counting the technique's decoys that were extracted;
//   - micro-F1 over everything, and the decoys extracted.
// The table is printed (scripts/bench shows it; DRAGNET_SCORE_JSON=<file>
// also writes it as JSON). The test fails below micro-F1 0.92, and checks the
// corpus itself: at least 40 pages, every technique in at least 3 languages,
// decoys for every indicator type.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "extractors/indicators.h"
#include "extractors/page.h"

namespace dragnet::extractors {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path Root() { return fs::path(DRAGNET_SOURCE_DIR) / "tests/fixtures/adversarial"; }

// The indicator types the corpus must hold decoys for.
const std::vector<std::string>& AllTypes() {
  static const std::vector<std::string> t = {
      "email", "phone", "btc", "eth", "tron", "iban", "card", "telegram", "telegram_invite", "telegram_bot_token",
      "whatsapp", "whatsapp_group", "line", "analytics_ga", "analytics_gtm", "fb_pixel", "url", "domain", "ipv4"};
  return t;
}

// ASCII digits of `s`, native and full-width digits mapped (for decoy raws).
std::string Digits(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Decode one UTF-8 character.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    for (uint32_t zero : {0x0660u, 0x06F0u, 0x0966u, 0x09E6u, 0x0E50u, 0x0ED0u, 0x1040u, 0x17E0u, 0xFF10u}) {
      if (cp >= zero && cp <= zero + 9) out.push_back(static_cast<char>('0' + (cp - zero)));
    }
    i += len;
  }
  return out;
}

struct Counts {
  int tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn); }
  double f1() const {
    double p = precision(), r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
};

struct Score {
  std::map<std::string, Counts> by_type;
  std::map<std::string, Counts> by_technique;  // fp: the technique's decoys extracted
  Counts total;
  int decoys = 0, decoys_extracted = 0, pages = 0;
  std::map<std::string, std::set<std::string>> technique_languages;
  std::set<std::string> decoy_types;
  std::vector<std::string> misses, extras, decoy_hits;
};

using Key = std::pair<std::string, std::string>;

void ScorePage(const fs::path& dir, Score& score) {
  const nlohmann::json exp = nlohmann::json::parse(Read(dir / "expected.json"));
  const std::string url = exp["url"];
  const std::string name = dir.filename().string();
  const std::string lang = exp.value("language", "");
  Page page = ParsePage(Read(dir / "page.html"), url);
  ExtractContext ctx;
  ctx.site_url = url;
  ctx.region_hint = exp.value("region_hint", "");
  std::vector<Indicator> got = ExtractIndicators({page}, ctx);
  if (exp.contains("scripts")) {
    std::vector<ScriptFile> files;
    for (const auto& [script_url, file] : exp["scripts"].items()) {
      files.push_back({script_url, Read(dir / file.get<std::string>())});
    }
    MergeIndicators(got, ExtractScriptIndicators(files, ctx));
  }
  std::set<Key> got_keys;
  std::map<Key, std::string> got_raw;
  for (const Indicator& i : got) {
    got_keys.insert({i.type, i.value});
    got_raw[{i.type, i.value}] = i.raw;
  }
  std::set<Key> want;
  for (const auto& e : exp["indicators"]) {
    Key k{e["type"], e["value"]};
    const std::string tech = e["technique"];
    score.technique_languages[tech].insert(lang);
    if (!want.insert(k).second) continue;  // listed twice under two techniques: counted once
    bool found = got_keys.count(k) != 0;
    Counts& t = score.by_type[k.first];
    Counts& q = score.by_technique[tech];
    if (found) {
      ++t.tp, ++q.tp, ++score.total.tp;
    } else {
      ++t.fn, ++q.fn, ++score.total.fn;
      score.misses.push_back(name + ": " + k.first + "=" + k.second + " [" + tech + "]");
    }
  }
  for (const Key& k : got_keys) {
    if (want.count(k)) continue;
    ++score.by_type[k.first].fp;
    ++score.total.fp;
    score.extras.push_back(name + ": " + k.first + "=" + k.second + " (raw: " + got_raw[k] + ")");
  }
  for (const auto& d : exp["decoys"]) {
    ++score.decoys;
    const std::string type = d["type"];
    score.decoy_types.insert(type);
    bool hit = false;
    if (d.contains("value")) {
      hit = got_keys.count({type, d["value"]}) != 0;
    } else {
      // A raw string: an indicator of the type read from it (its raw form
      // is the decoy or part of it; for phones, the same digits).
      const std::string raw = d["raw"];
      for (const Indicator& i : got) {
        if (i.type != type) continue;
        if (i.raw == raw || (!i.raw.empty() && raw.find(i.raw) != std::string::npos)) hit = true;
        if (type == "phone" && Digits(i.raw) == Digits(raw)) hit = true;
      }
    }
    if (hit) {
      ++score.decoys_extracted;
      ++score.by_technique[d["technique"]].fp;
      score.decoy_hits.push_back(name + ": " + type + " " + d.dump());
    }
  }
  ++score.pages;
}

std::string Fmt(double v) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(3) << v;
  return os.str();
}

void Print(const Score& s, std::ostream& os) {
  os << "\nadversarial corpus: " << s.pages << " pages, " << s.total.tp + s.total.fn << " indicators, " << s.decoys
     << " decoys\n";
  os << "\n| type | expected | found | extra | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& [t, c] : s.by_type) {
    os << "| " << t << " | " << c.tp + c.fn << " | " << c.tp << " | " << c.fp << " | " << Fmt(c.precision()) << " | "
       << Fmt(c.recall()) << " | " << Fmt(c.f1()) << " |\n";
  }
  os << "\n| technique | languages | expected | found | decoys extracted | precision | recall |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& [t, c] : s.by_technique) {
    auto it = s.technique_languages.find(t);
    size_t langs = it == s.technique_languages.end() ? 0 : it->second.size();
    os << "| " << t << " | " << langs << " | " << c.tp + c.fn << " | " << c.tp << " | " << c.fp << " | "
       << Fmt(c.precision()) << " | " << Fmt(c.recall()) << " |\n";
  }
  os << "\nmicro: precision " << Fmt(s.total.precision()) << ", recall " << Fmt(s.total.recall()) << ", F1 "
     << Fmt(s.total.f1()) << "; decoys extracted: " << s.decoys_extracted << " of " << s.decoys << "\n";
  for (const auto& m : s.misses) os << "  missed " << m << "\n";
  for (const auto& e : s.extras) os << "  extra  " << e << "\n";
  for (const auto& d : s.decoy_hits) os << "  decoy  " << d << "\n";
}

nlohmann::json ToJson(const Score& s) {
  nlohmann::json j;
  j["pages"] = s.pages;
  j["decoys"] = s.decoys;
  j["decoys_extracted"] = s.decoys_extracted;
  j["micro"] = {{"precision", s.total.precision()}, {"recall", s.total.recall()}, {"f1", s.total.f1()}};
  for (const auto& [t, c] : s.by_type) {
    j["types"][t] = {{"expected", c.tp + c.fn}, {"found", c.tp}, {"extra", c.fp}, {"precision", c.precision()},
                     {"recall", c.recall()}, {"f1", c.f1()}};
  }
  for (const auto& [t, c] : s.by_technique) {
    auto it = s.technique_languages.find(t);
    j["techniques"][t] = {{"languages", it == s.technique_languages.end() ? 0 : it->second.size()},
                          {"expected", c.tp + c.fn},
                          {"found", c.tp},
                          {"decoys_extracted", c.fp},
                          {"precision", c.precision()},
                          {"recall", c.recall()}};
  }
  return j;
}

Score ScoreAll() {
  Score s;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(Root())) {
    if (e.is_directory() && fs::exists(e.path() / "expected.json")) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& d : dirs) ScorePage(d, s);
  return s;
}

TEST(AdversarialCorpus, ScoresAboveTheBar) {
  const Score s = ScoreAll();
  Print(s, std::cout);
  if (const char* out = std::getenv("DRAGNET_SCORE_JSON")) {
    std::ofstream(out) << ToJson(s).dump(1) << "\n";
  }
  EXPECT_GE(s.total.f1(), 0.92) << "micro-F1 below the issue #13 floor";
}

TEST(AdversarialCorpus, CoversEveryTechniqueInThreeLanguagesAndDecoysForEveryType) {
  const Score s = ScoreAll();
  EXPECT_GE(s.pages, 40);
  for (const auto& [tech, langs] : s.technique_languages) {
    EXPECT_GE(langs.size(), 3u) << "technique " << tech << " appears in fewer than 3 languages";
  }
  for (const std::string& t : AllTypes()) {
    EXPECT_TRUE(s.decoy_types.count(t)) << "no decoy of type " << t;
  }
}

}  // namespace
}  // namespace dragnet::extractors
