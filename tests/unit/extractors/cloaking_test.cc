// DetectCloaking: pure comparison of what each view of a site saw.
#include "extractors/cloaking.h"

#include <gtest/gtest.h>

namespace dragnet::extractors {
namespace {

Page MakePage(const std::string& url, const std::string& title, const std::string& text, bool card = false) {
  Page p;
  p.url = url;
  p.title = title;
  p.text = text;
  if (card) {
    Form f;
    f.has_card = true;
    p.forms.push_back(f);
  }
  return p;
}

const char* kGarden = "Garden tips for the spring. Prune roses early, water in the morning and mulch the beds.";
const char* kScam = "Your parcel is on hold. A customs fee of 29 SEK must be paid within 24 hours. Card number CVV";

TEST(TextSimilarityTest, IdenticalDisjointAndPartialTexts) {
  EXPECT_DOUBLE_EQ(TextSimilarity("a bb cc", "cc BB a"), 1.0);  // case and order do not matter; 1-letter words ignored
  EXPECT_DOUBLE_EQ(TextSimilarity("", ""), 1.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("alpha beta", "gamma delta"), 0.0);
  EXPECT_NEAR(TextSimilarity("alpha beta gamma", "alpha beta delta"), 0.5, 1e-9);
  EXPECT_GT(TextSimilarity("Köp nu för 29 kr", "köp nu för 29 kr idag"), 0.7);  // UTF-8 words
}

TEST(CloakingTest, MobileOnlyScamIsDetectedWithTheProfileThatSawIt) {
  Page stat = MakePage("http://x.test/", "Garden tips", kGarden);
  Page desk = MakePage("http://x.test/", "Garden tips", kGarden);
  Page mob = MakePage("http://x.test/", "PostNord – customs fee due", kScam, true);
  std::vector<CloakingView> v = {{"static", "Crawler/1.0", "http://x.test/", &stat, 0},
                                 {"desktop", "Desktop UA", "http://x.test/", &desk, 5},
                                 {"mobile", "Mobile UA", "http://x.test/", &mob, 75}};
  Cloaking c = DetectCloaking(v);
  EXPECT_TRUE(c.detected);
  EXPECT_EQ(c.profiles, std::vector<std::string>{"mobile"});
  EXPECT_NE(c.detail.find("text similarity"), std::string::npos) << c.detail;
  EXPECT_NE(c.detail.find("a card form vs none"), std::string::npos) << c.detail;
  EXPECT_NE(c.detail.find("Visible with a browser with the mobile profile, User-Agent 'Mobile UA'"), std::string::npos)
      << c.detail;
}

TEST(CloakingTest, RedirectOfTheCrawlerElsewhereIsMaterial) {
  Page stat = MakePage("https://www.google.com/", "Google", "Search");
  Page mob = MakePage("http://x.test/login", "Login", "Search", false);
  mob.forms.push_back(Form{});
  mob.forms.back().has_password = true;
  std::vector<CloakingView> v = {{"static", "UA", "https://www.google.com/", &stat, 0},
                                 {"mobile", "M", "http://x.test/login", &mob, 60}};
  Cloaking c = DetectCloaking(v);
  EXPECT_TRUE(c.detected);
  EXPECT_NE(c.detail.find("ended on x.test vs google.com"), std::string::npos) << c.detail;
}

TEST(CloakingTest, DifferentButEquallyHarmlessViewsAreNotCloaking) {
  Page a = MakePage("http://news.test/", "News at 10", "Storm hits coast, trains cancelled");
  Page b = MakePage("http://news.test/", "News at 11", "Election results are in, turnout high");
  Cloaking c = DetectCloaking({{"static", "", "http://news.test/", &a, 0}, {"mobile", "", "http://news.test/", &b, 10}});
  EXPECT_FALSE(c.detected);
  EXPECT_TRUE(c.profiles.empty());
}

TEST(CloakingTest, SameScamEverywhereIsNotCloaking) {
  Page a = MakePage("http://x.test/", "Pay fee", kScam, true);
  Page b = MakePage("http://x.test/", "Pay fee", kScam, true);
  Cloaking c = DetectCloaking({{"static", "", "http://x.test/", &a, 70}, {"mobile", "", "http://x.test/", &b, 75}});
  EXPECT_FALSE(c.detected);
}

TEST(CloakingTest, ScoreGapWithoutMaterialDifferenceIsNotCloaking) {
  // The browser saw one more indicator in the same page: not cloaking.
  Page a = MakePage("http://x.test/", "Shop", "Cheap shoes sale today only");
  Page b = MakePage("http://x.test/", "Shop", "Cheap shoes sale today only now");
  Cloaking c = DetectCloaking({{"static", "", "http://x.test/", &a, 10}, {"desktop", "", "http://x.test/", &b, 40}});
  EXPECT_FALSE(c.detected);
}

TEST(CloakingTest, AViewThatSawNothingIsLeftOut) {
  Page a = MakePage("http://x.test/", "Shop", kScam, true);
  Cloaking c = DetectCloaking({{"static", "", "http://x.test/", &a, 70}, {"mobile", "", "", nullptr, 0}});
  EXPECT_FALSE(c.detected);
}

}  // namespace
}  // namespace dragnet::extractors
