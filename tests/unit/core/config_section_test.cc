#include "core/config_section.h"

#include <gtest/gtest.h>

namespace dragnet {
namespace {

toml::table Parse(const char* text) { return toml::parse(text); }

TEST(ConfigSectionTest, ReadsTypedValuesAndKeepsDefaults) {
  auto root = Parse("[crawl]\ndepth = 3\ntimeout = \"30s\"\nbody = \"5MiB\"\nnames = [\"a\", \"b\"]\n");
  ConfigSection s(&root, "crawl");
  int depth = 2, missing = 7;
  int64_t timeout = 0, body = 0;
  std::vector<std::string> names;
  ASSERT_TRUE(s.Get("depth", depth).ok());
  ASSERT_TRUE(s.Get("missing", missing).ok());
  ASSERT_TRUE(s.GetDuration("timeout", timeout).ok());
  ASSERT_TRUE(s.GetBytes("body", body).ok());
  ASSERT_TRUE(s.Get("names", names).ok());
  EXPECT_EQ(depth, 3);
  EXPECT_EQ(missing, 7);
  EXPECT_EQ(timeout, 30000);
  EXPECT_EQ(body, 5 * 1024 * 1024);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(s.Finish().ok());
}

TEST(ConfigSectionTest, UnknownKeyIsAnErrorNamingTheKey) {
  auto root = Parse("[crawl]\ndepth = 3\ndepht = 4\n");
  ConfigSection s(&root, "crawl");
  int depth = 0;
  ASSERT_TRUE(s.Get("depth", depth).ok());
  Status st = s.Finish();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("crawl.depht"), std::string::npos) << st.message();
}

TEST(ConfigSectionTest, WrongTypeAndBareDurationAreErrors) {
  auto root = Parse("[crawl]\ndepth = \"two\"\ntimeout = 30\n");
  ConfigSection s(&root, "crawl");
  int depth = 0;
  int64_t timeout = 0;
  Status a = s.Get("depth", depth);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.message().find("crawl.depth"), std::string::npos);
  EXPECT_FALSE(s.GetDuration("timeout", timeout).ok());
}

TEST(ConfigSectionTest, NestedTablesAndUnknownSections) {
  auto root = Parse("[delivery.smtp]\nurl = \"smtp://127.0.0.1:2525\"\n[bogus]\nx = 1\n");
  ConfigSection s(&root, "delivery.smtp");
  std::string url;
  ASSERT_TRUE(s.Get("url", url).ok());
  EXPECT_EQ(url, "smtp://127.0.0.1:2525");
  Status st = CheckSections(root, {"delivery"});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("bogus"), std::string::npos);
}

TEST(ConfigSectionTest, ParseErrorNamesFileAndLine) {
  auto r = LoadTomlFile("/nonexistent/dragnet.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace dragnet
