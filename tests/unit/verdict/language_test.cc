#include "extractors/language.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <unicode/utf8.h>

namespace dragnet::extractors {
namespace {

std::vector<std::string> Found(const TermMatcher& m, std::string_view text) {
  std::vector<std::string> out;
  for (const TermHit& h : m.Find(FoldText(text))) out.push_back(m.term(h.id));
  return out;
}

TEST(FoldTextTest, LowercasesFoldsWidthAndDropsZeroWidth) {
  EXPECT_EQ(FoldText("PayPal"), "paypal");
  EXPECT_EQ(FoldText("Pay\u200bPal"), "paypal");          // zero-width space hides nothing
  EXPECT_EQ(FoldText("\uFF30\uFF41\uFF59"), "pay");        // full-width letters
  EXPECT_EQ(FoldText("ĐƠN HÀNG"), "đơn hàng");            // Vietnamese keeps its diacritics
  EXPECT_EQ(FoldText("Straße"), "strasse");
}

TEST(FoldTextTest, InvalidUtf8BecomesReplacementCharacter) {
  std::string folded = FoldText(std::string("ab\xff\xfe" "cd"));
  EXPECT_NE(folded.find("ab"), std::string::npos);
  EXPECT_NE(folded.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(FoldTextTest, InputCappedAtLimitOnCharacterBoundary) {
  // kMaxFoldInputBytes of 'a' then a 3-byte character straddling the cap.
  std::string big(kMaxFoldInputBytes - 1, 'a');
  big += "\u0E01";  // Thai ko kai, 3 bytes: the cap falls inside it
  big += "zzz";
  std::string folded = FoldText(big);
  EXPECT_EQ(folded.size(), kMaxFoldInputBytes - 1);
  EXPECT_EQ(folded.find('z'), std::string::npos);
}

TEST(FoldTextTest, ExpandingCharactersAreCappedOnOutput) {
  // U+FDFA folds to 18 characters (33 bytes): a page of them would grow 11x.
  std::string evil;
  while (evil.size() + 3 <= kMaxFoldInputBytes) evil += "\uFDFA";
  std::string folded = FoldText(evil);
  EXPECT_LE(folded.size(), kMaxFoldOutputBytes);
  EXPECT_GT(folded.size(), kMaxFoldOutputBytes - 64);
  // Still valid UTF-8 at the cut.
  int32_t i = 0, n = static_cast<int32_t>(folded.size()), bad = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(folded.data(), i, n, c);
    if (c < 0) ++bad;
  }
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(FoldText("\uFDFA").size(), 33u);
}

TEST(TermMatcherTest, LatinTermsNeedWordBoundaries) {
  auto m = TermMatcher::Build({"ups", "bank"});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(Found(*m, "Track your UPS parcel"), std::vector<std::string>{"ups"});
  EXPECT_TRUE(Found(*m, "groups and startups").empty());
  EXPECT_TRUE(Found(*m, "Handelsbanken").empty());
  EXPECT_EQ(Found(*m, "ups-tracking"), std::vector<std::string>{"ups"});
}

TEST(TermMatcherTest, ThaiAndChineseTermsMatchInsideRunningText) {
  auto m = TermMatcher::Build({"พัสดุ", "收益", "paypal"});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Found(*m, "แจ้งเตือนพัสดุของคุณ"), std::vector<std::string>{"พัสดุ"});
  EXPECT_EQ(Found(*m, "每日收益3%"), std::vector<std::string>{"收益"});
  // A Latin brand glued to Thai text is still a word of its own.
  EXPECT_EQ(Found(*m, "เข้าสู่ระบบPayPalทันที"), std::vector<std::string>{"paypal"});
}

TEST(TermMatcherTest, StarMakesAPrefix) {
  auto m = TermMatcher::Build({"bötes*", "crypto"});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Found(*m, "Bötesbelopp: 500 kr"), std::vector<std::string>{"bötes"});
  EXPECT_TRUE(Found(*m, "cryptocurrency").empty());
}

TEST(TermMatcherTest, CountsRepeatsAndReportsFirstOffset) {
  auto m = TermMatcher::Build({"dhl"});
  ASSERT_TRUE(m.ok());
  std::string text = FoldText("x DHL y dhl z Dhl");
  auto hits = m->Find(text);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].count, 3);
  EXPECT_EQ(text.substr(hits[0].begin, hits[0].end - hits[0].begin), "dhl");
}

TEST(TermMatcherTest, MatchCountIsCapped) {
  auto m = TermMatcher::Build({"spam"});
  ASSERT_TRUE(m.ok());
  std::string text;
  for (int i = 0; i < kMaxTermMatches + 500; ++i) text += "spam ";
  auto hits = m->Find(text);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].count, kMaxTermMatches);
}

TEST(TermMatcherTest, RejectsEmptyAndOversizedTerms) {
  EXPECT_FALSE(TermMatcher::Build({"ok", ""}).ok());
  EXPECT_FALSE(TermMatcher::Build({"\u200b"}).ok());  // folds to nothing
  auto big = TermMatcher::Build({std::string(kMaxTermBytes + 1, 'a')});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), Code::kLimitExceeded);
  std::vector<std::string> many(kMaxTerms + 1, "x");
  EXPECT_EQ(TermMatcher::Build(many).status().code(), Code::kLimitExceeded);
}

TEST(TermMatcherTest, SharedBetweenThreads) {
  auto m = TermMatcher::Build({"paypal", "พัสดุ"});
  ASSERT_TRUE(m.ok());
  const TermMatcher& shared = *m;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto hits = shared.Find(FoldText("PayPal พัสดุของคุณ"));
        if (hits.size() != 2) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  // Copies share the database and stay usable after the original is gone.
  TermMatcher copy = shared;
  m = TermMatcher::Build({"x"});
  EXPECT_EQ(copy.Find("paypal").size(), 1u);
}

TEST(TermMatcherTest, EmptyMatcherFindsNothing) {
  TermMatcher m;
  EXPECT_TRUE(m.Find("anything").empty());
}

TEST(LanguageTest, DetectsScriptsAndStopWords) {
  EXPECT_EQ(DetectTextLanguage("พัสดุของคุณจัดส่งไม่สำเร็จ กรุณาชำระค่าจัดส่ง"), "th");
  EXPECT_EQ(DetectTextLanguage("智能量化交易，让您的资产稳定增长，每日收益"), "zh");
  EXPECT_EQ(DetectTextLanguage("お客様のアカウントは一時的にロックされています"), "ja");
  EXPECT_EQ(DetectTextLanguage("Ваш аккаунт заблокирован, подтвердите личность"), "ru");
  EXPECT_EQ(DetectTextLanguage("Chúng tôi đang tuyển cộng tác viên làm việc tại nhà"), "vi");
  EXPECT_EQ(DetectTextLanguage("Du har en obetald trängselskatt och det är viktigt att du betalar den för att inte få böter"), "sv");
  EXPECT_EQ(DetectTextLanguage("Your account has been suspended and you will need to verify it with us"), "en");
  EXPECT_EQ(DetectTextLanguage("Todas las zapatillas con el mejor precio de la tienda, para usted y su familia"), "es");
  EXPECT_EQ(DetectTextLanguage("Kami sedang mencari pekerja untuk tugas harian yang bisa dikerjakan dari rumah dan dapat uang"), "id");
  EXPECT_EQ(DetectTextLanguage("ok"), "");
  EXPECT_EQ(DetectTextLanguage("12345 67890 !!!"), "");
}

TEST(LanguageTest, OnlyTheSampleIsRead) {
  std::string en;
  while (en.size() < kMaxLanguageSampleBytes) en += "the account and your password for this ";
  // Past the sample: a page's worth of Thai the detector never reaches.
  std::string thai;
  for (int i = 0; i < 20000; ++i) thai += "พัสดุของคุณ";
  EXPECT_EQ(DetectTextLanguage(en + thai), "en");
  EXPECT_EQ(DetectTextLanguage(thai + en), "th");
}

TEST(LanguageTest, HtmlLangWinsUnlessTextClearlyDisagrees) {
  Page p;
  p.lang = "sv-SE";
  p.text = "Logga in";
  EXPECT_EQ(DetectPageLanguage(p), "sv");
  p.lang = "nb";
  EXPECT_EQ(DetectPageLanguage(p), "no");
  // A template's lang="en" on a page written in Vietnamese.
  p.lang = "en";
  p.text = "Chúng tôi đang tuyển cộng tác viên làm việc tại nhà, nhận hoa hồng hàng ngày";
  EXPECT_EQ(DetectPageLanguage(p), "vi");
  p.lang = "not a tag";
  p.text = "พัสดุของคุณจัดส่งไม่สำเร็จ กรุณาชำระค่าจัดส่ง";
  EXPECT_EQ(DetectPageLanguage(p), "th");
}

TEST(LanguageTest, SitePrefersFinalPage) {
  Page a, b;
  a.url = "https://a.example/";
  a.lang = "en";
  a.text = "hello";
  b.url = "https://b.example/";
  b.lang = "th";
  EXPECT_EQ(DetectLanguage({a, b}, "https://b.example/"), "th");
  EXPECT_EQ(DetectLanguage({a, b}, ""), "en");
  EXPECT_EQ(DetectLanguage({}, ""), "");
}

}  // namespace
}  // namespace dragnet::extractors
