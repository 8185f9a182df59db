// Scam-type fixture pages: each tests/fixtures/pages/<name>/page.html is
// parsed and extracted, and the indicator set must equal expected.json
// exactly (type, value, source): nothing missing, nothing extra.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "extractors/indicators.h"
#include "extractors/page.h"

namespace dragnet::extractors {
namespace {

std::string Dir() { return std::string(DRAGNET_SOURCE_DIR) + "/tests/fixtures/pages/"; }

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FixturePage : public testing::TestWithParam<std::string> {};

TEST_P(FixturePage, IndicatorsMatchExactly) {
  const std::string dir = Dir() + GetParam() + "/";
  const std::string html = Read(dir + "page.html");
  ASSERT_FALSE(html.empty()) << dir;
  nlohmann::json expected = nlohmann::json::parse(Read(dir + "expected.json"));
  const std::string url = expected["url"];
  Page page = ParsePage(html, url);
  EXPECT_FALSE(page.truncated);
  ExtractContext ctx;
  ctx.site_url = url;
  ctx.region_hint = expected.value("region_hint", "");
  std::vector<Indicator> got = ExtractIndicators({page}, ctx);

  using Row = std::tuple<std::string, std::string, std::string>;
  std::set<Row> want_rows, got_rows;
  for (const auto& e : expected["indicators"]) want_rows.emplace(e["type"], e["value"], e["source"]);
  nlohmann::json actual = nlohmann::json::array();
  for (const Indicator& i : got) {
    got_rows.emplace(i.type, i.value, i.source);
    actual.push_back({{"type", i.type}, {"value", i.value}, {"source", i.source}});
    EXPECT_EQ(i.pages, std::vector<std::string>{url});
    EXPECT_GE(i.count, 1);
  }
  for (const Row& r : want_rows) {
    EXPECT_TRUE(got_rows.count(r)) << "missing " << std::get<0>(r) << "=" << std::get<1>(r) << " (" << std::get<2>(r) << ")";
  }
  for (const Row& r : got_rows) {
    EXPECT_TRUE(want_rows.count(r)) << "extra " << std::get<0>(r) << "=" << std::get<1>(r) << " (" << std::get<2>(r) << ")";
  }
  if (want_rows != got_rows) ADD_FAILURE() << "actual:\n" << actual.dump(1);
}

INSTANTIATE_TEST_SUITE_P(ScamTypes, FixturePage,
                         testing::Values("phishing_bank_sv", "crypto_investment_vi", "fake_shop_es", "job_task_id",
                                         "tech_support_en", "parcel_th", "fake_fine_zh"));

}  // namespace
}  // namespace dragnet::extractors
