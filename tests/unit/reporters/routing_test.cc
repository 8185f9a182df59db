// Routing table cases: who gets a report for which kind of site, and why.
#include "reporters/routing.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "reporters/contacts.h"
#include "tests/harness/harness.h"
#include "tests/unit/reporters/reporter_test_util.h"

namespace dragnet::reporters {
namespace {

using test::Investment;
using test::Ip;
using test::Phishing;

class RoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Contacts::Load(dragnet::testing::Fixture("reporters/contacts-test.toml"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    contacts_ = std::move(c).value();
  }
  const Recipient* Find(const RoutePlan& p, const std::string& kind) {
    for (const auto& r : p.recipients) {
      if (r.kind == kind) return &r;
    }
    return nullptr;
  }
  std::vector<std::string> Kinds(const RoutePlan& p) {
    std::vector<std::string> k;
    for (const auto& r : p.recipients) k.push_back(r.kind);
    return k;
  }
  Contacts contacts_;
  ReporterOptions opts_ = test::TestOptions();
};

TEST_F(RoutingTest, PhishingGoesToRegistrarAndHostAndCertOfHostingCountry) {
  RoutePlan p = Route(Phishing(), contacts_, opts_);
  EXPECT_EQ(p.landing_url, "https://secure-login-examplebank.com/verify");
  EXPECT_EQ(Kinds(p), (std::vector<std::string>{"registrar", "hosting", "cert"}));
  const Recipient* reg = Find(p, "registrar");
  EXPECT_EQ(reg->key, "mailto:abuse@registrar.test");
  EXPECT_NE(reg->reason.find("DNS abuse"), std::string::npos) << reg->reason;
  EXPECT_NE(reg->reason.find("IANA ID 1234"), std::string::npos);
  const Recipient* host = Find(p, "hosting");
  EXPECT_EQ(host->address, "abuse@hosting.test");
  EXPECT_NE(host->reason.find("AS64500"), std::string::npos);
  const Recipient* cert = Find(p, "cert");
  EXPECT_EQ(cert->address, "cert@cert-se.test");
  EXPECT_EQ(cert->language, "sv");
}

TEST_F(RoutingTest, FraudOnOldPlainDomainSkipsRegistrarAndSaysWhy) {
  RoutePlan p = Route(Investment(), contacts_, opts_);
  EXPECT_EQ(Kinds(p), (std::vector<std::string>{"hosting", "cert"}));
  ASSERT_FALSE(p.notes.empty());
  bool said = std::any_of(p.notes.begin(), p.notes.end(), [](const std::string& n) {
    return n.find("registrar not asked") != std::string::npos;
  });
  EXPECT_TRUE(said);
}

TEST_F(RoutingTest, FraudOnNewDomainAlsoGoesToRegistrarWithReason) {
  SeedResult r = Investment();
  r.hosting->domain.age_days = 5;
  RoutePlan p = Route(r, contacts_, opts_);
  EXPECT_EQ(Kinds(p), (std::vector<std::string>{"hosting", "registrar", "cert"}));
  EXPECT_NE(Find(p, "registrar")->reason.find("registered 5 days ago"), std::string::npos);
}

TEST_F(RoutingTest, FraudOnBrandBearingDomainGoesToRegistrar) {
  SeedResult r = Investment("https://examplebank-invest.com/");
  r.verdict->brand_impersonated = "ExampleBank";
  r.hosting->domain.name = "examplebank-invest.com";
  RoutePlan p = Route(r, contacts_, opts_);
  ASSERT_NE(Find(p, "registrar"), nullptr);
  EXPECT_NE(Find(p, "registrar")->reason.find("carries the impersonated brand"), std::string::npos);
}

TEST_F(RoutingTest, FraudOnLookalikeDomainGoesToRegistrar) {
  SeedResult r = Investment("https://examp1ebank.com/");
  r.verdict->reasons.push_back({"lookalike_domain", 30, "examp1ebank.com imitates examplebank.com"});
  RoutePlan p = Route(r, contacts_, opts_);
  ASSERT_NE(Find(p, "registrar"), nullptr);
  EXPECT_NE(Find(p, "registrar")->reason.find("lookalike"), std::string::npos);
}

TEST_F(RoutingTest, SharedPlatformGoesToPlatformNeverToApexRegistrarOrNetwork) {
  SeedResult r = Phishing("https://examplebank-login.pages.dev/");
  r.hosting->domain.name = "pages.dev";
  r.hosting->registrar.name = "Platform's Registrar";
  RoutePlan p = Route(r, contacts_, opts_);
  EXPECT_EQ(Find(p, "registrar"), nullptr);
  EXPECT_EQ(Find(p, "hosting"), nullptr);
  const Recipient* pl = Find(p, "platform");
  ASSERT_NE(pl, nullptr);
  EXPECT_EQ(pl->route, "form");
  EXPECT_EQ(pl->address, "https://platform.test/abuse");
  EXPECT_NE(pl->reason.find("registrar of pages.dev"), std::string::npos) << pl->reason;
}

TEST_F(RoutingTest, PlatformApexItselfIsNotATenant) {
  EXPECT_EQ(contacts_.Platform("pages.dev"), nullptr);
  EXPECT_NE(contacts_.Platform("a.b.pages.dev"), nullptr);
  EXPECT_EQ(contacts_.Platform("evilpages.dev"), nullptr);
}

TEST_F(RoutingTest, AllowListedHopsAreNeverReportedAndShortenerGetsOwnRoute) {
  SeedResult r = Phishing();
  r.seed = "https://sho.rt.test/x7";
  r.redirects = {{"https://sho.rt.test/x7", 301, "http", ""},
                 {"https://www.legit-search.test/url?q=x", 302, "http", ""},
                 {"https://secure-login-examplebank.com/verify", 200, "http", ""}};
  RoutePlan p = Route(r, contacts_, opts_);
  EXPECT_EQ(p.landing_url, "https://secure-login-examplebank.com/verify");
  const Recipient* s = Find(p, "shortener");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->url, "https://sho.rt.test/x7");
  EXPECT_EQ(s->address, "abuse@shortener.test");
  for (const auto& rc : p.recipients) {
    EXPECT_EQ(rc.url.find("legit-search.test"), std::string::npos) << rc.kind;
  }
  EXPECT_TRUE(std::any_of(p.notes.begin(), p.notes.end(),
                          [](const std::string& n) { return n.find("allow-listed") != std::string::npos; }));
}

TEST_F(RoutingTest, CloakingToAllowListedSiteReportsTheSeedWithoutForeignHostingFacts) {
  SeedResult r = Phishing("https://bank.example/");  // final hop: the real bank
  r.seed = "https://examplebank-secure.com/";
  r.redirects = {{"https://examplebank-secure.com/", 302, "http", ""}, {"https://bank.example/", 200, "http", ""}};
  RoutePlan p = Route(r, contacts_, opts_);
  EXPECT_EQ(p.landing_url, "https://examplebank-secure.com/");
  EXPECT_EQ(Find(p, "registrar"), nullptr);  // the hosting facts are the bank's
  EXPECT_EQ(Find(p, "hosting"), nullptr);
}

TEST_F(RoutingTest, EverythingAllowListedMeansNoReport) {
  SeedResult r = Phishing("https://www.bank.example/login");
  RoutePlan p = Route(r, contacts_, opts_);
  EXPECT_TRUE(p.landing_url.empty());
  EXPECT_TRUE(p.recipients.empty());
}

TEST_F(RoutingTest, CdnReplacesPerIpAbuse) {
  SeedResult r = Phishing();
  Cdn cdn;
  cdn.name = "Example CDN";
  cdn.matched_by = "asn:64496";
  cdn.abuse.email = "abuse@cdn.test";
  cdn.abuse.source = "cdn";
  r.hosting->cdn = cdn;
  RoutePlan p = Route(r, contacts_, opts_);
  EXPECT_EQ(Find(p, "hosting"), nullptr);
  ASSERT_NE(Find(p, "cdn"), nullptr);
  EXPECT_EQ(Find(p, "cdn")->address, "abuse@cdn.test");
}

TEST_F(RoutingTest, OverrideByIanaIdReroutesRegistrarToWebhook) {
  SeedResult r = Phishing();
  r.hosting->registrar.iana_id = "9999";
  RoutePlan p = Route(r, contacts_, opts_);
  const Recipient* reg = Find(p, "registrar");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->key, "webhook:registrar-api");
  EXPECT_NE(reg->reason.find("registrar 9999 wants the webhook"), std::string::npos);
}

TEST_F(RoutingTest, SuppressionByAsnKeepsRecipientMarkedSuppressed) {
  SeedResult r = Phishing();
  r.hosting->ips = {Ip("198.51.100.7", 64511, "Quiet Net", "NL", "abuse@quiet.test")};
  RoutePlan p = Route(r, contacts_, opts_);
  const Recipient* h = Find(p, "hosting");
  ASSERT_NE(h, nullptr);
  EXPECT_TRUE(h->suppressed);
  EXPECT_NE(h->reason.find("trusted-notifier program"), std::string::npos);
  EXPECT_EQ(Find(p, "cert")->address, "cert@cert-nl.test");  // CERT by hosting country NL
}

TEST_F(RoutingTest, SuppressionByDomainSuffixCoversEveryRecipient) {
  SeedResult r = Phishing("https://portal.gov.test/login");
  RoutePlan p = Route(r, contacts_, opts_);
  ASSERT_FALSE(p.recipients.empty());
  for (const auto& rc : p.recipients) EXPECT_TRUE(rc.suppressed) << rc.kind;
}

TEST_F(RoutingTest, RegistryPolicy) {
  SeedResult r = Phishing("https://examplebank-login.se/");
  r.hosting->domain.name = "examplebank-login.se";
  opts_.registry_policy = "never";
  EXPECT_EQ(Find(Route(r, contacts_, opts_), "registry"), nullptr);
  opts_.registry_policy = "cctld";
  ASSERT_NE(Find(Route(r, contacts_, opts_), "registry"), nullptr);
  EXPECT_EQ(Find(Route(r, contacts_, opts_), "registry")->address, "abuse@registry-se.test");
  EXPECT_EQ(Find(Route(Phishing(), contacts_, opts_), "registry"), nullptr);  // .com is not a ccTLD
  opts_.registry_policy = "escalation";
  EXPECT_EQ(Find(Route(Phishing(), contacts_, opts_), "registry"), nullptr);
  RouteContext again{true};
  ASSERT_NE(Find(Route(Phishing(), contacts_, opts_, again), "registry"), nullptr);
}

TEST_F(RoutingTest, CertOnlyWhenConfiguredAndEnabled) {
  SeedResult r = Phishing();
  r.hosting->ips = {Ip("192.0.2.5", 64499, "Far Away Hosting", "BR", "abuse@far.test")};
  EXPECT_EQ(Find(Route(r, contacts_, opts_), "cert"), nullptr);  // no CERT configured for BR
  opts_.notify_cert = false;
  EXPECT_EQ(Find(Route(Phishing(), contacts_, opts_), "cert"), nullptr);
}

TEST_F(RoutingTest, MailAndMessagingProvidersOfScammerContacts) {
  SeedResult r = Investment();
  Indicator mail;
  mail.type = "email";
  mail.value = "support.desk@freemail.test";
  Indicator tg;
  tg.type = "telegram";
  tg.value = "@yield_manager";
  Indicator other;
  other.type = "email";
  other.value = "x@unknown-mail.test";
  r.indicators = {mail, tg, other};
  RoutePlan p = Route(r, contacts_, opts_);
  std::vector<const Recipient*> prov;
  for (const auto& rc : p.recipients) {
    if (rc.kind == "provider") prov.push_back(&rc);
  }
  ASSERT_EQ(prov.size(), 2u);
  EXPECT_EQ(prov[0]->address, "abuse@freemail.test");
  EXPECT_EQ(prov[0]->accounts, std::vector<std::string>{"support.desk@freemail.test"});
  EXPECT_EQ(prov[1]->address, "abuse@messenger.test");
  EXPECT_NE(prov[1]->reason.find("@yield_manager"), std::string::npos);
}

TEST_F(RoutingTest, InviteLinksGroupsAndLineIdsGoToTheirPlatformAsLinks) {
  SeedResult r = Investment();
  auto ind = [](const char* type, const char* value) {
    Indicator i;
    i.type = type;
    i.value = value;
    return i;
  };
  r.indicators = {ind("telegram_invite", "Xk3mPq7LbN2vR8sT"), ind("telegram", "dautu_vip"),
                  ind("whatsapp_group", "GxT4pLm9QwErTy7UiOp2Zs"), ind("line", "@thpost.help"),
                  ind("line", "goldvip.th"), ind("whatsapp", "+6281234567890"), ind("phone", "+6281234567890")};
  RoutePlan p = Route(r, contacts_, opts_);
  const Recipient* tg = nullptr;
  const Recipient* chat = nullptr;
  for (const auto& rc : p.recipients) {
    if (rc.kind == "provider" && rc.address == "abuse@messenger.test") tg = &rc;
    if (rc.kind == "provider" && rc.address == "https://chat.test/report") chat = &rc;
  }
  ASSERT_NE(tg, nullptr);
  EXPECT_EQ(tg->accounts, (std::vector<std::string>{"https://t.me/+Xk3mPq7LbN2vR8sT", "@dautu_vip"}));
  ASSERT_NE(chat, nullptr);
  EXPECT_EQ(chat->route, "form");
  EXPECT_EQ(chat->accounts,
            (std::vector<std::string>{"https://chat.whatsapp.com/GxT4pLm9QwErTy7UiOp2Zs", "https://line.me/R/ti/p/@thpost.help",
                                      "https://line.me/R/ti/p/~goldvip.th", "+6281234567890"}));
}

TEST(ContactsTest, TheShippedTableRoutesEveryMessagingType) {
  auto c = Contacts::Load(std::string(DRAGNET_SOURCE_DIR) + "/config/contacts.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  for (const char* t : {"telegram", "telegram_invite", "telegram_bot_token", "whatsapp", "whatsapp_group", "line"}) {
    EXPECT_NE(c->ProviderForIndicator(t), nullptr) << t;
  }
}

TEST_F(RoutingTest, HostileRdapAddressIsRefusedNotUsed) {
  SeedResult r = Phishing();
  r.hosting->registrar.abuse.email = "abuse@registrar.test\r\nBcc: victim@example.org";
  RoutePlan p = Route(r, contacts_, opts_);
  const Recipient* reg = Find(p, "registrar");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->route, "none");
  EXPECT_NE(reg->reason.find("refused"), std::string::npos);
}

TEST(ContactsTest, RefusesAddressWithoutSourceAndUnknownKeys) {
  auto a = Contacts::Parse("[certs.SE]\nname = \"X\"\nemail = \"cert@x.test\"\n", "t.toml");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("source"), std::string::npos);
  auto b = Contacts::Parse("[certs.SE]\nname = \"X\"\nemail = \"cert@x.test\"\nsource = \"s\"\nmail = 1\n", "t.toml");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("unknown key 'mail'"), std::string::npos);
  auto c = Contacts::Parse("[[overrides]]\nname = \"x\"\nasn = 1\ntld = \"se\"\naction = \"suppress\"\n", "t.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("exactly one"), std::string::npos);
  auto d = Contacts::Parse("[certs.SE\n", "broken.toml");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("broken.toml:1"), std::string::npos);
}

TEST(ContactsTest, EntryCountIsCapped) {
  std::string text;
  for (size_t i = 0; i <= kMaxContactsEntries; ++i) {
    text += "[[providers]]\nindicator_types = [\"t" + std::to_string(i) + "\"]\nname = \"p\"\nwebhook = \"w\"\n";
  }
  auto c = Contacts::Parse(text, "big.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kLimitExceeded);
}

TEST(ContactsTest, ShippedContactsFileLoadsAndEveryAddressHasASource) {
  auto c = Contacts::Load(dragnet::testing::SourceDir() + "/config/contacts.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_NE(c->Cert("SE"), nullptr);
  EXPECT_NE(c->Platform("x.pages.dev"), nullptr);
  EXPECT_NE(c->Platform("x.github.io"), nullptr);
  EXPECT_NE(c->Platform("x.web.app"), nullptr);
  EXPECT_NE(c->Platform("x.blogspot.com"), nullptr);
  EXPECT_TRUE(c->AllowListed("www.google.com"));
}

}  // namespace
}  // namespace dragnet::reporters
