// The verdict against its labelled corpus (tests/fixtures/verdict/corpus/,
// index.tsv): every page is parsed, its indicators extracted, brands and
// lookalikes found and scored as the pipeline does, twice: with the domain
// age the index gives and with the age unknown. Prints detection per scam
// type, false positives, brand identification and how often each rule fired
// on scams and on hard negatives (the table docs/VERDICT.md quotes), and
// fails below the targets of issue #19:
//   >= 97 % of scams at least suspicious, >= 90 % malicious with the right
//   scam type, no hard negative suspicious or malicious; with and without age.
// DRAGNET_VERDICT_REPORT=path writes the tables as Markdown to that file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/url.h"
#include "extractors/brands.h"
#include "extractors/indicators.h"
#include "extractors/lookalike.h"
#include "extractors/page.h"
#include "extractors/rules.h"
#include "extractors/verdict.h"

namespace dragnet::extractors {
namespace {

const std::string kCorpus = DRAGNET_SOURCE_DIR "/tests/fixtures/verdict/corpus";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

struct Entry {
  std::string file, url, cls, type, lang, brand;
  std::optional<long> age;
};

std::vector<Entry> Index() {
  std::vector<Entry> out;
  std::istringstream in(Slurp(kCorpus + "/index.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::istringstream ls(line);
    std::string col;
    while (std::getline(ls, col, '\t')) f.push_back(col);
    if (f.size() != 7) {
      ADD_FAILURE() << "index.tsv: 7 columns expected: " << line;
      continue;
    }
    Entry e{f[0], f[1], f[2], f[3], f[4], f[6], std::nullopt};
    if (f[5] != "-") e.age = std::stol(f[5]);
    out.push_back(e);
  }
  return out;
}

struct Scored {
  Verdict v;
  std::vector<BrandFinding> brands;
};

class Scorer {
 public:
  Scorer() {
    auto r = RuleSet::Load(DRAGNET_SOURCE_DIR "/config/rules.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) rules_ = std::move(*r);
    auto c = BrandCatalog::Load(DRAGNET_SOURCE_DIR "/config/brands.toml");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    if (c.ok()) brands_ = std::move(*c);
  }

  // `exempt_own_sites` false: as if no page were on a catalogue brand's
  // domain (how the content rules alone do on the hard negatives).
  Verdict Score(const Entry& e, bool with_age, bool exempt_own_sites = true) const {
    std::vector<Page> pages = {ParsePage(Slurp(kCorpus + "/" + e.file), e.url)};
    ExtractContext ctx;
    ctx.site_url = e.url;
    std::vector<Indicator> indicators = ExtractIndicators(pages, ctx);
    auto u = ParseUrl(e.url);
    EXPECT_TRUE(u.ok()) << e.url;
    TlsInfo tls;
    tls.present = e.url.rfind("https://", 0) == 0;
    tls.verified = tls.present;
    VerdictInput in;
    in.site_url = in.final_url = e.url;
    in.pages = &pages;
    in.indicators = &indicators;
    in.tls = &tls;
    if (with_age) in.domain_age_days = e.age;
    std::string reg = u.ok() ? u->RegistrableDomain() : "";
    in.brands = FindBrands(brands_, pages, reg);
    in.lookalikes = FindLookalikes(brands_, u.ok() ? u->host : "");
    if (exempt_own_sites) in.own_site_brand = OwnSiteBrand(brands_, reg);
    return extractors::Score(rules_, in);
  }

 private:
  RuleSet rules_;
  BrandCatalog brands_;
};

std::string Dump(const Verdict& v) {
  std::string s = "score " + std::to_string(v.score) + " " + v.label + " type=" + v.scam_type +
                  " brand=" + v.brand_impersonated + "\n";
  for (const Reason& r : v.reasons) s += "    " + r.rule + " " + std::to_string(r.weight) + ": " + r.detail + "\n";
  return s;
}

struct Tally {
  int n = 0, flagged = 0, malicious_typed = 0;
};

TEST(VerdictCorpus, MeetsTargetsWithAndWithoutDomainAge) {
  const Scorer scorer;
  const std::vector<Entry> index = Index();
  ASSERT_GE(index.size(), 160u);
  std::ostringstream report;
  for (bool with_age : {true, false}) {
    std::map<std::string, Tally> by_type;
    Tally all;
    int legit = 0, legit_flagged = 0, brand_expected = 0, brand_found = 0;
    std::map<std::string, std::pair<int, int>> rule_fires;  // rule -> (scams, legit)
    std::ostringstream misses;
    for (const Entry& e : index) {
      Verdict v = scorer.Score(e, with_age);
      // DRAGNET_VERDICT_DUMP=1: every page's verdict, for tuning.
      if (std::getenv("DRAGNET_VERDICT_DUMP") != nullptr) std::cout << e.file << ": " << Dump(v);
      for (const Reason& r : v.reasons) {
        auto& rf = rule_fires[r.rule];
        (e.cls == "scam" ? rf.first : rf.second)++;
      }
      if (e.cls == "legit") {
        ++legit;
        if (v.label != "benign") {
          ++legit_flagged;
          misses << "  FALSE POSITIVE " << e.file << " " << e.url << ": " << Dump(v);
        }
        continue;
      }
      Tally& t = by_type[e.type];
      ++t.n, ++all.n;
      bool flagged = v.label == "malicious" || v.label == "suspicious";
      bool typed = v.label == "malicious" && v.scam_type == e.type;
      t.flagged += flagged, all.flagged += flagged;
      t.malicious_typed += typed, all.malicious_typed += typed;
      if (!typed) misses << "  MISS " << e.file << " (" << e.type << "): " << Dump(v);
      if (e.brand != "-") {
        ++brand_expected;
        brand_found += v.brand_impersonated == e.brand;
      }
    }
    auto pct = [](int a, int b) {
      std::ostringstream os;
      os.precision(1);
      os << std::fixed << (b ? 100.0 * a / b : 0.0) << " %";
      return os.str();
    };
    report << "\n### " << (with_age ? "With domain age (as in index.tsv)" : "Without domain age (unknown)") << "\n\n";
    report << "| scam type | pages | at least suspicious | malicious, right type |\n|---|---:|---:|---:|\n";
    for (const auto& [type, t] : by_type) {
      report << "| " << type << " | " << t.n << " | " << t.flagged << " | " << t.malicious_typed << " |\n";
    }
    report << "| **all scams** | " << all.n << " | " << all.flagged << " (" << pct(all.flagged, all.n) << ") | "
           << all.malicious_typed << " (" << pct(all.malicious_typed, all.n) << ") |\n";
    report << "| **hard negatives flagged** | " << legit << " | " << legit_flagged << " | |\n";
    report << "\nBrand named correctly on " << brand_found << " of " << brand_expected
           << " scam pages that imitate a catalogue brand or authority.\n";
    report << "\n| rule | fired on scams | fired on hard negatives |\n|---|---:|---:|\n";
    for (const auto& [rule, f] : rule_fires) report << "| " << rule << " | " << f.first << " | " << f.second << " |\n";
    std::cout << report.str() << "\n" << misses.str();
    SCOPED_TRACE(with_age ? "with domain age" : "without domain age");
    EXPECT_GE(all.flagged * 100, all.n * 97) << "at least suspicious: " << all.flagged << "/" << all.n;
    EXPECT_GE(all.malicious_typed * 100, all.n * 90) << "malicious with the right type: " << all.malicious_typed << "/" << all.n;
    EXPECT_EQ(legit_flagged, 0);
  }
  // Reported, not asserted: the hard negatives with the brand_own_site
  // exemption switched off, i.e. as if their domains were not in the
  // catalogue (a real carrier or bank the catalogue does not know).
  {
    int legit = 0, flagged = 0;
    std::string which;
    for (const Entry& e : index) {
      if (e.cls != "legit") continue;
      ++legit;
      Verdict v = scorer.Score(e, true, false);
      if (v.label == "benign") continue;
      ++flagged;
      which += (which.empty() ? "" : ", ") + e.file.substr(e.file.find('/') + 1) + " (" + std::to_string(v.score) + ")";
    }
    report << "\nWithout the own-site exemption (as if no hard negative's domain were in the brand catalogue): "
           << flagged << " of " << legit << " flagged" << (which.empty() ? "" : ": " + which) << ".\n";
    std::cout << report.str().substr(report.str().rfind("\nWithout the own-site")) << "\n";
  }
  if (const char* path = std::getenv("DRAGNET_VERDICT_REPORT")) {
    std::ofstream out(path);
    out << report.str();
  }
}

TEST(VerdictCorpus, CoversEveryTypeAndTwelveLanguages) {
  std::set<std::string> types, langs;
  int scams = 0, legit = 0;
  for (const Entry& e : Index()) {
    if (e.cls == "scam") {
      ++scams;
      types.insert(e.type);
      langs.insert(e.lang);
    } else {
      ++legit;
    }
  }
  EXPECT_GE(scams, 100);
  EXPECT_GE(legit, 60);
  EXPECT_GE(langs.size(), 12u);
  for (const char* t : {"phishing", "government_impersonation", "investment", "cryptocurrency", "shopping",
                        "employment", "tech_support", "advance_fee", "romance", "lottery", "extortion", "charity"}) {
    EXPECT_TRUE(types.count(t)) << t;
  }
}

}  // namespace
}  // namespace dragnet::extractors
