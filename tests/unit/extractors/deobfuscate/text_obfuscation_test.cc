// extractors/deobfuscate/text_obfuscation.h: spelled-out "@" and "." in 12+
// languages, brackets, spaced symbols, page-declared substitutes, full-width
// and native digits, zero-width characters and soft hyphens; prose that
// only looks like it is left alone.
#include "extractors/deobfuscate/text_obfuscation.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

std::string N(std::string_view in, const std::vector<std::string>& subs = {}) {
  std::string out;
  return NormalizeObfuscatedText(in, subs, out) ? out : std::string(in);
}

TEST(TextObfuscation, BracketedWordsInManyLanguages) {
  EXPECT_EQ(N("mail: payments [at] fast-refund [dot] com"), "mail: payments@fast-refund.com");
  EXPECT_EQ(N("info(at)kampanj-vinst(dot)se"), "info@kampanj-vinst.se");
  EXPECT_EQ(N("atencion (arroba) outlet-zapas (punto) es"), "atencion@outlet-zapas.es");   // es
  EXPECT_EQ(N("kundenservice (at) sparkasse-sicherheit (punkt) de"), "kundenservice@sparkasse-sicherheit.de");  // de
  EXPECT_EQ(N("yatirim [et] kripto-kazanc [nokta] com"), "yatirim@kripto-kazanc.com");     // tr
  EXPECT_EQ(N("hr [собака] rabota [точка] ru"), "hr@rabota.ru");                           // ru
  EXPECT_EQ(N("support［アットマーク］sagawa-fuzai［ドット］jp"), "support@sagawa-fuzai.jp");   // ja (full-width brackets)
  EXPECT_EQ(N("cskh (a) shop [chấm] vn"), "cskh@shop.vn");                                   // vi
  EXPECT_EQ(N("john[dot]ramirez[at]gmail[dot]com"), "john.ramirez@gmail.com");              // spelled dots in the local part
  EXPECT_EQ(N("info[@]scam[.]top"), "info@scam.top");
}

TEST(TextObfuscation, SpacedWords) {
  EXPECT_EQ(N("kontakt snabel-a krypto-vinst punkt se"), "kontakt@krypto-vinst.se");      // sv
  EXPECT_EQ(N("reklamacje małpa paczki-serwis kropka pl"), "reklamacje@paczki-serwis.pl"); // pl
  EXPECT_EQ(N("spedizioni chiocciola poste-servizi punto it"), "spedizioni@poste-servizi.it");  // it
  EXPECT_EQ(N("meldingen apenstaartje pas-service punt nl"), "meldingen@pas-service.nl");  // nl
  EXPECT_EQ(N("reclamation.colis arobase orange point fr"), "reclamation.colis@orange.fr"); // fr
  EXPECT_EQ(N("apoio arroba ctt-encomendas ponto pt"), "apoio@ctt-encomendas.pt");         // pt
  EXPECT_EQ(N("cs 골뱅이 cj-taekbae 닷 kr"), "cs@cj-taekbae.kr");                             // ko
  EXPECT_EQ(N("jtgl-kefu 艾特 163 点 com"), "jtgl-kefu@163.com");                             // zh
  EXPECT_EQ(N("admin แอท gmail จุด com"), "admin@gmail.com");                                 // th
  EXPECT_EQ(N("support at fast-refund dot com"), "support@fast-refund.com");                 // en
  EXPECT_EQ(N("sales @ shop-deal . com"), "sales@shop-deal.com");
}

TEST(TextObfuscation, ProseIsLeftAlone) {
  std::string out;
  EXPECT_FALSE(NormalizeObfuscatedText("Visit us at shop.com for deals", {}, out));     // ambiguous "at", real dot
  EXPECT_FALSE(NormalizeObfuscatedText("Meet me at the station", {}, out));
  EXPECT_FALSE(NormalizeObfuscatedText("Marie et le point de vue", {}, out));            // "et"/"point" are French words
  EXPECT_FALSE(NormalizeObfuscatedText("Voy a Madrid punto de encuentro", {}, out));     // and "a"/"punto" Spanish ones
  EXPECT_FALSE(NormalizeObfuscatedText("mail (at) host [dot] nosuchsuffix", {}, out));    // no public suffix
  EXPECT_FALSE(NormalizeObfuscatedText("plain info@x.com stays", {}, out));
  EXPECT_FALSE(NormalizeObfuscatedText("", {}, out));
}

TEST(TextObfuscation, PageDeclaredSubstitutes) {
  std::vector<std::string> subs = FindAtSubstitutes("メール：info★brand.jp（★を@に変えて送信してください）");
  ASSERT_EQ(subs, std::vector<std::string>{"★"});
  EXPECT_EQ(N("info★brand-outlet.jp", subs), "info@brand-outlet.jp");
  EXPECT_EQ(FindAtSubstitutes("Email otc-kefu#qq.com (replace # with @)"), std::vector<std::string>{"#"});
  EXPECT_EQ(FindAtSubstitutes("thay # bằng @ khi gửi"), std::vector<std::string>{"#"});
  EXPECT_TRUE(FindAtSubstitutes("# of items: 3 @ $5").empty());
  EXPECT_TRUE(FindAtSubstitutes("Issue #12 mentions nobody").empty());
  EXPECT_EQ(N("otc-kefu#qq.com"), "otc-kefu#qq.com");  // no declaration, no rewrite
}

TEST(TextObfuscation, DigitsAndInvisibleCharacters) {
  EXPECT_EQ(N("โทร ๐๘๑-๒๓๔-๕๖๗๘"), "โทร 081-234-5678");           // Thai
  EXPECT_EQ(N("واتساب: ٠٥٠ ١٢٣ ٤٥٦٧"), "واتساب: 050 123 4567");     // Arabic-Indic
  EXPECT_EQ(N("+۹۷۱ ۵۰"), "+971 50");                                 // Persian
  EXPECT_EQ(N("कॉल करें: ९८७६५ ४३२१०"), "कॉल करें: 98765 43210");     // Devanagari
  EXPECT_EQ(N("電話：０９０－１２３４"), "電話:090-1234");                // full-width digits and punctuation
  EXPECT_EQ(N("service＠tw-shop．com"), "service@tw-shop.com");
  EXPECT_EQ(N("cskh\u200b.shop\u200c@\u200dx\u2060.vn\ufeff"), "cskh.shop@x.vn");
  EXPECT_EQ(N("0151\u00ad2345\u00ad6789"), "015123456789");
}

TEST(TextObfuscation, OutputIsNeverLongerThanTheInput) {
  for (std::string_view s : {"a [at] b [dot] cc", "１２３", "x\u200by", "q (arroba) w (punto) es"}) {
    EXPECT_LE(N(s).size(), s.size()) << s;
  }
}

}  // namespace
}  // namespace dragnet::extractors::deob
