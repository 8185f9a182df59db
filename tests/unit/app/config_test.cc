// The example config is the documentation of every key: it must load, and
// a typo in any section must be an error naming the key.
#include "app/config.h"

#include <gtest/gtest.h>

#include "tests/harness/harness.h"

namespace dragnet::app {
namespace {

using dragnet::testing::SourceDir;
using dragnet::testing::TempDir;
using dragnet::testing::WriteAll;

TEST(ConfigTest, ExampleConfigLoadsWithTheDocumentedDefaults) {
  auto c = LoadConfig(SourceDir() + "/config/dragnet.example.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->crawl.depth, 2);
  EXPECT_EQ(c->crawl.max_pages, 50);
  EXPECT_FALSE(c->crawl.allow_private);
  EXPECT_EQ(c->crawl.max_body_bytes, 5 << 20);
  EXPECT_EQ(c->crawl.total_timeout_ms, 30'000);
  EXPECT_EQ(c->reporter.auto_report_threshold, 70);
  EXPECT_FALSE(c->reporter.enabled);
  EXPECT_EQ(c->reporter.rereport_after_ms, 72LL * 3600 * 1000);
  EXPECT_EQ(c->daemon.metrics_listen, "127.0.0.1:9464");
  EXPECT_EQ(c->crawl.evidence_dir, "/var/lib/dragnet/evidence");
  // The extraction and external-script keys (issue #13), as documented.
  EXPECT_TRUE(c->crawl.fetch_scripts);
  EXPECT_EQ(c->crawl.max_scripts, 16);
  EXPECT_EQ(c->crawl.max_script_bytes, 1 << 20);
  EXPECT_EQ(c->crawl.max_scripts_total_bytes, 4 << 20);
  EXPECT_EQ(c->extract.max_decode_depth, 4);
  EXPECT_EQ(c->extract.max_decoded_bytes, 1 << 20);
  EXPECT_EQ(c->extract.max_decoded_string_bytes, 256 << 10);
  EXPECT_EQ(c->extract.decode_time_budget_ms, 50);
  EXPECT_EQ(c->extract.max_html_fragments, 64);
  EXPECT_TRUE(c->extract.platforms_file.empty());
}

TEST(ConfigTest, ExtractionLimitsAreRangeChecked) {
  TempDir d;
  WriteAll(d.File("a.toml"), "[extract]\nmax_decode_depth = 17\n");
  EXPECT_FALSE(LoadConfig(d.File("a.toml")).ok());
  WriteAll(d.File("b.toml"), "[extract]\ndecode_time_budget = \"-1ms\"\n");
  EXPECT_FALSE(LoadConfig(d.File("b.toml")).ok());
  WriteAll(d.File("c.toml"), "[crawl]\nmax_scripts = -1\n");
  EXPECT_FALSE(LoadConfig(d.File("c.toml")).ok());
  WriteAll(d.File("e.toml"), "[extract]\nplatforms_file = \"/nonexistent/platforms.toml\"\n");
  EXPECT_TRUE(LoadConfig(d.File("e.toml")).ok());  // read when the pipeline starts
}

TEST(ConfigTest, UnknownKeysAndSectionsAreErrorsNamingThem) {
  TempDir d;
  WriteAll(d.File("a.toml"), "[crawl]\ndepht = 3\n");
  auto a = LoadConfig(d.File("a.toml"));
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("crawl.depht"), std::string::npos);
  WriteAll(d.File("b.toml"), "[crawler]\ndepth = 3\n");
  auto b = LoadConfig(d.File("b.toml"));
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("crawler"), std::string::npos);
  WriteAll(d.File("c.toml"), "[delivery.smtp]\nurll = \"smtp://127.0.0.1:25\"\n");
  auto c = LoadConfig(d.File("c.toml"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("delivery.smtp.urll"), std::string::npos);
}

TEST(ConfigTest, DurationsNeedUnitsAndBadValuesAreRejected) {
  TempDir d;
  WriteAll(d.File("a.toml"), "[crawl]\ntotal_timeout = 30\n");
  EXPECT_FALSE(LoadConfig(d.File("a.toml")).ok());
  WriteAll(d.File("b.toml"), "[crawl]\ntotal_timeout = \"500ms\"\nmax_body_bytes = \"1MiB\"\n");
  auto b = LoadConfig(d.File("b.toml"));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->crawl.total_timeout_ms, 500);
  EXPECT_EQ(b->crawl.max_body_bytes, 1 << 20);
  WriteAll(d.File("c.toml"), "[crawl]\ndepth = -1\n");
  EXPECT_FALSE(LoadConfig(d.File("c.toml")).ok());
}

// Sizes and durations that overflow 64 bits, or fall outside a sane range,
// are errors naming the key and the range (before: "99999999999999GiB"
// wrapped to a negative cap, and 0 was accepted).
TEST(ConfigTest, SizesAndDurationsAreRangeCheckedAndNeverOverflow) {
  TempDir d;
  struct {
    std::string line, want;
  } cases[] = {
      {"max_body_bytes = \"99999999999999GiB\"", "crawl.max_body_bytes': size '99999999999999GiB' is too large"},
      {"max_body_bytes = 0", "'crawl.max_body_bytes' must be between 1KiB and 1GiB (got 0B)"},
      {"max_body_bytes = \"2GiB\"", "'crawl.max_body_bytes' must be between 1KiB and 1GiB (got 2GiB)"},
      {"total_timeout = \"1ms\"", "'crawl.total_timeout' must be between 100ms and 1h (got 1ms)"},
      {"site_timeout = \"106751991167d\"", "crawl.site_timeout"},
      {"max_decoded_bytes = -5", "crawl.max_decoded_bytes"},
      {"max_pages = 0", "'crawl.max_pages' must be between 1 and 100000 (got 0)"},
  };
  for (const auto& c : cases) {
    WriteAll(d.File("x.toml"), "[crawl]\n" + c.line + "\n");
    auto r = LoadConfig(d.File("x.toml"));
    ASSERT_FALSE(r.ok()) << c.line;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << c.line;
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << c.line << " -> " << r.status().message();
  }
  WriteAll(d.File("ok.toml"), "[crawl]\nmax_body_bytes = \"1GiB\"\nsite_timeout = \"0s\"\n");
  auto ok = LoadConfig(d.File("ok.toml"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->crawl.max_body_bytes, 1LL << 30);
  EXPECT_EQ(ok->crawl.site_timeout_ms, 0);
}

TEST(ConfigTest, FlagsAreValidatedLikeTheFileAndMoveDerivedPaths) {
  TempDir d;
  WriteAll(d.File("a.toml"), "[general]\nstate_dir = \"/srv/a\"\n");
  // A flag cannot bypass the range checks the file gets.
  auto bad = LoadConfig(d.File("a.toml"), [](Config& c) { c.crawl.depth = 99; });
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("crawl.depth"), std::string::npos);
  // A malformed --resolve pin is an input error before anything is fetched.
  auto pin = LoadConfig(d.File("a.toml"), [](Config& c) { c.crawl.resolve = {"not-a-pin"}; });
  ASSERT_FALSE(pin.ok());
  EXPECT_EQ(pin.status().code(), Code::kInvalidArgument);
  // Moving state_dir moves the evidence folder and the outbox with it.
  auto moved = LoadConfig(d.File("a.toml"), [](Config& c) { c.general.state_dir = "/srv/b"; });
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->crawl.evidence_dir, "/srv/b/evidence");
  EXPECT_EQ(moved->reporter.outbox_dir, "/srv/b/outbox");
}

// [evidence]: the key folder follows state_dir (never inside the evidence
// folder), and TSA settings are range-checked.
TEST(ConfigTest, EvidenceSectionDefaultsAndChecks) {
  auto c = LoadConfig(SourceDir() + "/config/dragnet.example.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->evidence.key_dir, "/var/lib/dragnet/keys");
  EXPECT_TRUE(c->evidence.tsa_url.empty());
  EXPECT_EQ(c->evidence.tsa_timeout_ms, 30'000);
  TempDir d;
  WriteAll(d.File("a.toml"), "[general]\nstate_dir = \"/srv/a\"\n[crawl]\nevidence_dir = \"/mnt/ev\"\n");
  auto a = LoadConfig(d.File("a.toml"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->evidence.key_dir, "/srv/a/keys");
  WriteAll(d.File("b.toml"), "[evidence]\ntsa_url = \"ftp://tsa.example/\"\n");
  auto b = LoadConfig(d.File("b.toml"));
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("evidence.tsa_url"), std::string::npos);
  WriteAll(d.File("c.toml"), "[evidence]\ntsa_timeout = \"10ms\"\n");
  auto t = LoadConfig(d.File("c.toml"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("evidence.tsa_timeout"), std::string::npos);
  WriteAll(d.File("d.toml"), "[evidence]\nkey_dri = \"/x\"\n");
  auto k = LoadConfig(d.File("d.toml"));
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("evidence.key_dri"), std::string::npos);
}

TEST(ConfigTest, ExplicitMissingFileIsAnError) {
  auto r = LoadConfig("/nonexistent/dragnet.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace dragnet::app
