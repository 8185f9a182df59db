// Indicator families, per type: positive, obfuscated and decoy cases across
// English, Swedish, Vietnamese, Thai, Chinese, Spanish and Indonesian pages.
#include "extractors/indicators.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "extractors/page.h"
#include "extractors/scan_text.h"

namespace dragnet::extractors {
namespace {

// "type=value" of every indicator of `types` (all when empty) on one page.
std::set<std::string> Extract(const std::string& html, const std::string& url = "https://scam.example.com/",
                              std::set<std::string> types = {}, const ExtractContext& ctx_in = {},
                              const ExtractOptions& opts = {}) {
  Page p = ParsePage(html, url);
  ExtractContext ctx = ctx_in;
  if (ctx.site_url.empty()) ctx.site_url = url;
  std::set<std::string> out;
  for (const Indicator& i : ExtractIndicators({p}, ctx, opts)) {
    if (types.empty() || types.count(i.type)) out.insert(i.type + "=" + i.value);
  }
  return out;
}

using S = std::set<std::string>;

// ------------------------------------------------------------------ email ---

TEST(Email, PlainMailtoAttributeScriptAcrossLanguages) {
  EXPECT_EQ(Extract(R"(<p>Contact: Support@Bank-Help.com</p>)", "https://x.example.com/", {"email"}),
            S{"email=support@bank-help.com"});
  EXPECT_EQ(Extract(R"(<p>Kontakta oss på kundtjanst@swedbank-sakerhet.se idag</p>)", "https://x.example.com/", {"email"}),
            S{"email=kundtjanst@swedbank-sakerhet.se"});
  EXPECT_EQ(Extract(R"(<p>Liên hệ: hotro@vietcombank-xacminh.vn ngay</p>)", "https://x.example.com/", {"email"}),
            S{"email=hotro@vietcombank-xacminh.vn"});
  EXPECT_EQ(Extract(R"(<p>ติดต่อ:ฝ่ายบริการ kerry.th.support@gmail.com ด่วน</p>)", "https://x.example.com/", {"email"}),
            S{"email=kerry.th.support@gmail.com"});
  EXPECT_EQ(Extract(R"(<p>客服邮箱：kefu888@qq.com（24小时）</p>)", "https://x.example.com/", {"email"}),
            S{"email=kefu888@qq.com"});
  EXPECT_EQ(Extract(R"(<p>Escríbanos a atencion.cliente@correos-envio.es</p>)", "https://x.example.com/", {"email"}),
            S{"email=atencion.cliente@correos-envio.es"});
  EXPECT_EQ(Extract(R"(<p>Hubungi cs@tokopedia-hadiah.co.id sekarang</p>)", "https://x.example.com/", {"email"}),
            S{"email=cs@tokopedia-hadiah.co.id"});
  EXPECT_EQ(Extract(R"(<a href="mailto:billing@pay-secure.net?subject=hi">mail</a>)", "https://x.example.com/", {"email"}),
            S{"email=billing@pay-secure.net"});
  EXPECT_EQ(Extract(R"(<script>var to = "drop" + "box@loot-collect.ru"; var b = 'admin@loot-collect.ru';</script>)",
                    "https://x.example.com/", {"email"}),
            (S{"email=dropbox@loot-collect.ru", "email=admin@loot-collect.ru"}));
}

TEST(Email, ObfuscatedForms) {
  EXPECT_EQ(Extract(R"(<p>mail: payments [at] fast-refund [dot] com</p>)", "https://x.example.com/", {"email"}),
            S{"email=payments@fast-refund.com"});
  EXPECT_EQ(Extract(R"(<p>info(at)kampanj-vinst(dot)se</p>)", "https://x.example.com/", {"email"}),
            S{"email=info@kampanj-vinst.se"});
  EXPECT_EQ(Extract(R"(<p>win&#64;prize-claim&#46;org and a&#8203;b&#8203;c@zero-width.info</p>)",
                    "https://x.example.com/", {"email"}),
            (S{"email=win@prize-claim.org", "email=abc@zero-width.info"}));
  EXPECT_EQ(Extract(R"(<p>hỗ trợ: cskh＠vnpost-giaohang.vn</p>)", "https://x.example.com/", {"email"}),
            S{"email=cskh@vnpost-giaohang.vn"});
  EXPECT_EQ(Extract(R"(<p>name {at} host.example-mail.de</p>)", "https://x.example.com/", {"email"}),
            S{"email=name@host.example-mail.de"});
}

TEST(Email, Decoys) {
  EXPECT_EQ(Extract(R"(<style>@media (max-width: 600px) { a { } } @import url(x.css);</style>
      <img src="/img/logo@2x.png" srcset="/img/logo@3x.png 3x">
      <input type="email" placeholder="you@example.com">
      <p>Example: name@example.org, user@test.test, someone@domain.com</p>
      <script>import x from "lib@1.2.3"; var dsn = "https://abc123@o4501.ingest.sentry.io/42";</script>
      <p>@font-face and x@localhost and a@b</p>)",
                    "https://x.example.com/", {"email"}),
            S{});
}

// ------------------------------------------------------------------ phone ---

TEST(Phone, RegionFromPageAndInternationalForms) {
  EXPECT_EQ(Extract(R"(<html lang="sv"><p>Ring oss: 08-123 456 78 eller +46 70 123 45 67</p></html>)",
                    "https://x.example.com/", {"phone"}),
            (S{"phone=+46812345678", "phone=+46701234567"}));
  EXPECT_EQ(Extract(R"(<html lang="vi"><p>Hotline: 0912 345 678 (miễn phí)</p></html>)", "https://x.example.com/", {"phone"}),
            S{"phone=+84912345678"});
  EXPECT_EQ(Extract(R"(<html lang="th"><p>โทร 081-234-5678 ตลอด 24 ชม.</p></html>)", "https://x.example.com/", {"phone"}),
            S{"phone=+66812345678"});
  EXPECT_EQ(Extract(R"(<html lang="zh-CN"><p>客服电话：138 0013 8000</p></html>)", "https://x.example.com/", {"phone"}),
            S{"phone=+8613800138000"});
  EXPECT_EQ(Extract(R"(<html lang="es"><p>Llámenos al 612 34 56 78</p></html>)", "https://x.example.com/", {"phone"}),
            S{"phone=+34612345678"});
  EXPECT_EQ(Extract(R"(<html lang="id"><p>Hubungi HP: 0812-3456-7890</p></html>)", "https://x.example.com/", {"phone"}),
            S{"phone=+6281234567890"});
  // The ccTLD decides when there is no lang; tel: links count without words.
  EXPECT_EQ(Extract(R"(<a href="tel:0812345678">ring</a>)", "https://bank-login.se/", {"phone"}),
            S{"phone=+46812345678"});
  // Hosting country as the hint.
  ExtractContext ctx;
  ctx.region_hint = "gb";
  EXPECT_EQ(Extract(R"(<p>Call 020 7946 0018 now</p>)", "https://x.example.com/", {"phone"}, ctx),
            S{"phone=+442079460018"});
}

TEST(Phone, Decoys) {
  EXPECT_EQ(Extract(R"(<html lang="sv"><p>Datum: 2024-05-12 och 12.05.2024, kl 10.00-17.00.</p>
      <p>Pris: 1.299.000 đ, 12 999 kr, $1,234,567.00, 4 990:-</p>
      <p>Ordernummer 0701234567, Order #46701234567, ID: 0812345678</p>
      <p>Sändnings-ID 08123456789 och SKU ABC0812345678</p>
      <p>Tracking https://track.example.se/0812345678 kod=0701234567</p>
      <p>Just digits 0701234567 alone</p>
      <input placeholder="+46 70 123 45 67"></html>)",
                    "https://x.example.com/", {"phone"}),
            S{});
  EXPECT_EQ(Extract(R"(<html lang="vi"><p>Mã đơn hàng: 0912345678 — Giá 1.500.000đ</p></html>)", "https://x.example.com/",
                    {"phone"}),
            S{});
  EXPECT_EQ(Extract(R"(<html lang="zh"><p>订单号：13800138000，价格 ¥ 1380 0138</p></html>)", "https://x.example.com/",
                    {"phone"}),
            S{});
  // Decimal prices in a coin table (seen in bulk on crypto pages): a digit
  // run and a two-digit fraction, even on an Indonesian or Swedish page.
  EXPECT_EQ(Extract(R"(<html lang="id"><table><tr><td>USDT</td><td>31164.36</td></tr>
      <tr><td>BTC</td><td>11053.63</td><td>0812.5</td></tr></table></html>)",
                    "https://x.example.com/", {"phone"}),
            S{});
  EXPECT_EQ(Extract(R"(<html lang="sv"><p>Kurs 11053.63 idag</p></html>)", "https://x.example.com/", {"phone"}), S{});
  // Invalid numbers never come out, even next to a phone word.
  EXPECT_EQ(Extract(R"(<p>Tel: +46 00 000 00 00, phone +1 555 0100</p>)", "https://x.example.com/", {"phone"}), S{});
}

// The demo's Swedish page: "SE-4471-2026" came out as +4644712026 (the "SE"
// dropped, 4471-2026 read as a Kristianstad number next to "Ring oss").
TEST(Phone, ZaloAndViberLinksCarryNumbers) {
  EXPECT_EQ(Extract(R"(<a href="https://zalo.me/0934567890">Zalo</a><a href="viber://chat?number=%2B380501234567">V</a>
      <a href="https://zalo.me/g/abcdef">group</a>)", "https://x.example.com/", {"phone"}),
            (S{"phone=+84934567890", "phone=+380501234567"}));
}

TEST(Phone, RegionsFromThePagesOwnNumbersAndTheBrandsCountry) {
  // No lang, no ccTLD: the page's +46 number says national numbers are Swedish.
  EXPECT_EQ(Extract("<p>Växel +46 8 123 456 78. Mobil: 070-123 45 67</p>", "https://x.example.com/", {"phone"}),
            (S{"phone=+46812345678", "phone=+46701234567"}));
  // The impersonated brand's country (the pipeline passes it).
  ExtractContext ctx;
  ctx.brand_countries = {"TH"};
  EXPECT_EQ(Extract("<p>Call center 081-234-5678</p>", "https://x.example.com/", {"phone"}, ctx),
            S{"phone=+66812345678"});
  EXPECT_EQ(Extract("<p>Call center 081-234-5678</p>", "https://x.example.com/", {"phone"}), S{});
}

TEST(Phone, LetterPrefixedReferenceNumbersAreNotPhones) {
  EXPECT_EQ(Extract(R"(<html lang="sv"><p>Ring oss om ärende SE-4471-2026.</p>
      <p>Telefon: faktura INV-0701-234567, kund AB-08-123 456 78, ordernr ORD-46701234567</p></html>)",
                    "https://x.example.com/", {"phone"}),
            S{});
  // A real number beside one is still found.
  EXPECT_EQ(Extract(R"(<html lang="sv"><p>Ring oss på 08-123 456 78 om ärende SE-4471-2026.</p></html>)",
                    "https://x.example.com/", {"phone"}),
            S{"phone=+46812345678"});
}

// ----------------------------------------------------------------- crypto ---

TEST(Crypto, ValidAddressesInTextAttributesScripts) {
  EXPECT_EQ(Extract(R"(<p>Gửi BTC tới 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 hoặc bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4</p>
      <div data-addr="3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"></div>
      <script>var taproot = "BC1P0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQZK5JJ0";</script>
      <p>ETH: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, 0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359</p>
      <p>USDT TRC20：TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL</p>)",
                    "https://x.example.com/", {"btc", "eth", "tron"}),
            (S{"btc=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "btc=bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
               "btc=3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
               "btc=bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
               "eth=0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "eth=0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
               "tron=TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"}));
}

TEST(Crypto, Decoys) {
  EXPECT_EQ(Extract(R"(<p>1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 (bad checksum)
      bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5 bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
      tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx (testnet)
      mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn (testnet base58)
      0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD (bad EIP-55)
      0x0000000000000000000000000000000000000000
      tx 0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b
      TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM</p>)",
                    "https://x.example.com/", {"btc", "eth", "tron", "xmr"}),
            S{});
}

// ------------------------------------------------------------------- iban ---

TEST(Iban, GroupedCompactAndDecoys) {
  EXPECT_EQ(Extract(R"(<p>Betala till SE45 5000 0000 0583 9825 7466 senast idag.</p>
      <p>IBAN: GB82WEST12345698765432</p><p>Cuenta ES91 2100 0418 4502 0005 1332</p>
      <p>Wrong: SE45 5000 0000 0583 9825 7467, DE89 3704 0044 0532 0130 01, XX12 3456</p>)",
                    "https://x.example.com/", {"iban"}),
            (S{"iban=SE4550000000058398257466", "iban=GB82WEST12345698765432", "iban=ES9121000418450200051332"}));
}

// ------------------------------------------------------------------- card ---

TEST(Card, NeedsCardContext) {
  EXPECT_EQ(Extract(R"(<p>Test card: 4242 4242 4242 4242</p><p>Kortnummer 5555-5555-5555-4444</p>
      <p>Số thẻ 378282246310005</p><p>Order 4012888888881881 shipped</p><p>4000056655665556</p>
      <p>visa 4242 4242 4242 4241</p>)",
                    "https://x.example.com/", {"card"}),
            (S{"card=4242424242424242", "card=5555555555554444", "card=378282246310005"}));
}

// ---------------------------------------------------------------- telegram ---

TEST(Telegram, LinksAndHandlesNearTheWord) {
  EXPECT_EQ(Extract(R"(<a href="https://t.me/CryptoProfitVIP">join</a><a href="https://telegram.me/s/Signal_Channel">s</a>
      <a href="tg://resolve?domain=support_desk">app</a><a href="https://t.me/+AbCdEf123">invite</a>
      <a href="https://t.me/joinchat/XYZ">old invite</a>
      <p>Telegram: @Admin_Nguyen</p><p>ติดต่อทาง เทเลแกรม @thai_helper99</p><p>电报 @zhongguo_kefu</p>
      <p>Telegram — liên hệ <b>@</b>vn_support_team</p>
      <p>Follow @not_telegram_related on our blog</p><style>@media print {}</style>)",
                    "https://x.example.com/", {"telegram"}),
            (S{"telegram=cryptoprofitvip", "telegram=signal_channel", "telegram=support_desk", "telegram=admin_nguyen",
               "telegram=thai_helper99", "telegram=zhongguo_kefu", "telegram=vn_support_team"}));
}

TEST(Telegram, BotTokenInScript) {
  EXPECT_EQ(Extract(R"(<script>fetch("https://api.telegram.org/bot5012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0/sendMessage?chat_id=1")</script>
      <p>123:short</p>)",
                    "https://x.example.com/", {"telegram_bot_token"}),
            S{"telegram_bot_token=5012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"});
}

// ---------------------------------------------------------------- whatsapp ---

TEST(Whatsapp, AllLinkForms) {
  EXPECT_EQ(Extract(R"(<a href="https://wa.me/46701234567">wa</a>
      <a href="https://api.whatsapp.com/send?phone=6281234567890&text=Halo">wa2</a>
      <a href="whatsapp://send?text=hi&phone=%2B84912345678">wa3</a>
      <a href="https://wa.me/123">short</a><a href="https://wa.me/message/ABCDEF">msg</a>)",
                    "https://x.example.com/", {"whatsapp"}),
            (S{"whatsapp=+46701234567", "whatsapp=+6281234567890", "whatsapp=+84912345678"}));
}

// --------------------------------------------------------------- analytics ---

TEST(Analytics, GaGtmPixel) {
  EXPECT_EQ(Extract(R"(<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ9"></script>
      <script>gtag('config', 'UA-12345678-2'); (function(w){})(window,'GTM-W8KX2QP');
      fbq('init', '1234567890123456'); var shoe = "G-SHOCKWAVE";</script>
      <noscript><img src="https://www.facebook.com/tr?id=9876543210987&ev=PageView"></noscript>)",
                    "https://x.example.com/", {"analytics_ga", "analytics_gtm", "fb_pixel"}),
            (S{"analytics_ga=G-ABC123XYZ9", "analytics_ga=UA-12345678-2", "analytics_gtm=GTM-W8KX2QP",
               "fb_pixel=1234567890123456", "fb_pixel=9876543210987"}));
}

// -------------------------------------------------------------- url, domain ---

TEST(Url, OutsideTheSiteOnly) {
  EXPECT_EQ(Extract(R"(<a href="/local">l</a><a href="https://www.scam-site.top/x">same site</a>
      <a href="https://evil.drop-zone.org/a?b=1">out</a><form action="https://collect.xn--bcher-kva.de/p"></form>
      <script src="https://cdn.kitfiles.net/x.js"></script><iframe src="http://203.0.113.7/frame"></iframe>
      <a href="https://www.example.org/">reserved name</a>)",
                    "https://scam-site.top/", {"url", "domain"}),
            (S{"url=https://evil.drop-zone.org/a?b=1", "domain=drop-zone.org", "url=https://collect.xn--bcher-kva.de/p",
               "domain=xn--bcher-kva.de", "url=https://cdn.kitfiles.net/x.js", "domain=kitfiles.net",
               "url=http://203.0.113.7/frame"}));
}

TEST(Url, WrittenOutInTextScriptsAndDecodedContent) {
  EXPECT_EQ(Extract(R"(<p>Mirror: https://mirror-two.shop/login. Backup www.backup-site.vip!</p>
      <!-- old panel https://panel.oldkit.xyz/admin.php -->
      <script>var api = "https://" + "collector" + ".top/save.php"; var ws = 'wss://live.chat-panel.icu/ws';
      var ns = "http://www.w3.org/2000/svg"; $.post('/local/api');</script>)",
                    "https://scam-site.top/", {"url", "domain"}),
            (S{"url=https://mirror-two.shop/login", "domain=mirror-two.shop", "url=http://www.backup-site.vip/",
               "domain=backup-site.vip", "url=https://panel.oldkit.xyz/admin.php", "domain=oldkit.xyz",
               "url=https://collector.top/save.php", "domain=collector.top", "url=wss://live.chat-panel.icu/ws",
               "domain=chat-panel.icu"}));
}

TEST(Url, PlatformsCarriedByTypedIndicatorsAreNotBareUrls) {
  EXPECT_EQ(Extract(R"(<a href="https://t.me/+AbCdEfGhIjKlMnOp">join</a><a href="https://wa.me/6281234567890">wa</a>
      <script src="https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ9"></script>
      <script src="https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>
      <script src="https://cdn.jsdelivr.net/gh/kitdev/panel@main/loader.js"></script>
      <link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">)",
                    "https://scam-site.top/", {"url", "domain"}),
            (S{"url=https://cdn.jsdelivr.net/gh/kitdev/panel@main/loader.js", "domain=jsdelivr.net"}));
}

// --------------------------------------------------------------------- ip ---

TEST(Ip, LiteralsNotVersions) {
  EXPECT_EQ(Extract(R"(<p>Server 198.51.100.23 and [2001:db8::1] / 2001:DB8:0:0:8:800:200C:417A</p>
      <p>Version 1.2.3.4, v10.0.0.1, jquery-3.6.0.1, 1.2.3.4.5, 256.1.1.1, 01.02.03.04, 12:30:45</p>
      <style>a::before{}</style><a href="http://192.0.2.44:8080/login">x</a>)",
                    "https://x.example.com/", {"ipv4", "ipv6"}),
            (S{"ipv4=198.51.100.23", "ipv6=2001:db8::1", "ipv6=2001:db8::8:800:200c:417a", "ipv4=192.0.2.44"}));
}

// ------------------------------------------------------------ base64/atob ---

TEST(Decode, Base64AttributeAndAtobLiteral) {
  // "Contact: loot@evil-drop.com" / "wallet 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
  std::string html = R"(<div data-x="Q29udGFjdDogbG9vdEBldmlsLWRyb3AuY29t"></div>
      <script>var w = atob("d2FsbGV0IDFCdkJNU0VZc3RXZXRxVEZuNUF1NG00R0ZnN3hKYU5WTjI=");</script>)";
  EXPECT_EQ(Extract(html, "https://x.example.com/", {"email", "btc"}),
            (S{"email=loot@evil-drop.com", "btc=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"}));
  ExtractOptions off;
  off.max_decode_depth = 0;
  EXPECT_EQ(Extract(html, "https://x.example.com/", {"email", "btc"}, {}, off), S{});
}

TEST(Decode, NestedBase64UpToTheDepthLimit) {
  // base64("Q29udGFjdDogbG9vdEBldmlsLWRyb3AuY29t"): two levels.
  std::string twice = R"(<div data-x="UTI5dWRHRmpkRG9nYkc5dmRFQmxkbWxzTFdSeWIzQXVZMjl0"></div>)";
  EXPECT_EQ(Extract(twice, "https://x.example.com/", {"email"}), S{"email=loot@evil-drop.com"});
  ExtractOptions one;
  one.max_decode_depth = 1;
  EXPECT_EQ(Extract(twice, "https://x.example.com/", {"email"}, {}, one), S{});
  // atob(atob(...)) in a script, the same two levels.
  std::string js = R"(<script>var m = atob(atob("UTI5dWRHRmpkRG9nYkc5dmRFQmxkbWxzTFdSeWIzQXVZMjl0"));</script>)";
  EXPECT_EQ(Extract(js, "https://x.example.com/", {"email"}), S{"email=loot@evil-drop.com"});
  EXPECT_EQ(Extract(js, "https://x.example.com/", {"email"}, {}, one), S{});
}

TEST(Decode, LimitsHitAreReported) {
  Page p = ParsePage(R"(<div data-x="UTI5dWRHRmpkRG9nYkc5dmRFQmxkbWxzTFdSeWIzQXVZMjl0"></div>)",
                     "https://x.example.com/");
  ExtractContext ctx;
  ExtractOptions one;
  one.max_decode_depth = 1;
  ExtractReport report;
  ExtractIndicators({p}, ctx, one, &report);
  EXPECT_EQ(report.limits_hit, std::vector<std::string>{"extract_decode_depth"});
  ExtractOptions no_time;
  no_time.decode_time_budget_ms = 0;  // 0 = no limit
  ExtractReport r2;
  ExtractIndicators({p}, ctx, no_time, &r2);
  EXPECT_TRUE(r2.limits_hit.empty());
}

TEST(Decode, DecodedBytesBudget) {
  ExtractOptions small;
  small.max_decoded_bytes = 8;
  EXPECT_EQ(Extract(R"(<div data-x="Q29udGFjdDogbG9vdEBldmlsLWRyb3AuY29t"></div>)", "https://x.example.com/",
                    {"email"}, {}, small),
            S{});
}

// ------------------------------------------------------ merging, registry ---

TEST(Merge, OneEntryPerTypeValueWithPagesAndCount) {
  Page a = ParsePage("<p>a@scam-mail.com and A@SCAM-MAIL.COM</p>", "https://s.example.com/1");
  Page b = ParsePage("<p>write a@scam-mail.com</p><a href='mailto:z@scam-mail.com'>z</a>", "https://s.example.com/2");
  ExtractContext ctx;
  ctx.site_url = "https://s.example.com/";
  auto inds = ExtractIndicators({a, b}, ctx);
  std::vector<std::string> got;
  for (const auto& i : inds) got.push_back(i.type + "=" + i.value);
  std::vector<std::string> want = {"email=a@scam-mail.com", "email=z@scam-mail.com"};
  ASSERT_EQ(got, want);
  EXPECT_EQ(inds[0].count, 3);
  EXPECT_EQ(inds[0].raw, "a@scam-mail.com");
  EXPECT_EQ(inds[0].source, "text");
  EXPECT_EQ(inds[0].pages, (std::vector<std::string>{"https://s.example.com/1", "https://s.example.com/2"}));
  EXPECT_EQ(inds[1].source, "attribute");
}

// Past a few dozen indicators the merge switches from a linear search to a
// hash index; entries on both sides of the switch still merge.
TEST(Merge, ManyIndicatorsMergeAcrossTheIndexSwitch) {
  std::string html = "<p>";
  for (int i = 0; i < 80; ++i) html += "box" + std::to_string(i) + "@scam-mail.com ";
  html += "</p>";
  Page a = ParsePage(html, "https://s.example.com/1");
  Page b = ParsePage(html + "<p>box7@scam-mail.com</p>", "https://s.example.com/2");
  ExtractContext ctx;
  ctx.site_url = "https://s.example.com/";
  auto inds = ExtractIndicators({a, b}, ctx);
  ASSERT_EQ(inds.size(), 80u);
  for (size_t i = 1; i < inds.size(); ++i) EXPECT_LT(inds[i - 1].value, inds[i].value);
  for (const auto& i : inds) {
    EXPECT_EQ(i.count, i.value == "box7@scam-mail.com" ? 3 : 2) << i.value;
    EXPECT_EQ(i.pages, (std::vector<std::string>{"https://s.example.com/1", "https://s.example.com/2"})) << i.value;
  }
}

// The per-thread memo of libphonenumber verdicts never holds more than its
// named bound, and answers as libphonenumber does before and after it empties.
TEST(Limits, PhoneVerdictMemoStaysBounded) {
  scan::PageHints hints;
  for (size_t i = 0; i < scan::kMaxMemoNumbers + 100; ++i) {
    std::string n = "+4670" + std::to_string(1000000 + i);
    std::string got = scan::CachedE164(hints, n, "ZZ");
    if (i % 1000 == 0 || i >= scan::kMaxMemoNumbers) {
      EXPECT_EQ(got, scan::ValidE164(n, "ZZ")) << n;
    }
    ASSERT_LE(scan::CachedE164Entries(), scan::kMaxMemoNumbers);
  }
  EXPECT_EQ(scan::CachedE164(hints, "+46701234567", "ZZ"), "+46701234567");
}

TEST(Registry, FamiliesCanBeDisabledByName) {
  std::vector<std::string> want = {"email", "phone", "crypto", "iban", "card", "telegram", "whatsapp", "line",
                                   "analytics", "url", "ip"};
  EXPECT_EQ(IndicatorFamilies(), want);
  ExtractOptions opts;
  opts.disabled = {"email", "url"};
  EXPECT_EQ(Extract("<p>a@scam-mail.com</p><a href='https://o.example.org/'>x</a>", "https://x.example.com/", {}, {}, opts),
            S{});
}

TEST(Limits, MaxTextBytesBoundsTheScan) {
  ExtractOptions opts;
  opts.max_text_bytes = 10;
  EXPECT_EQ(Extract("<p>0123456789 late@scam-mail.com</p>", "https://x.example.com/", {"email"}, {}, opts), S{});
}

}  // namespace
}  // namespace dragnet::extractors
