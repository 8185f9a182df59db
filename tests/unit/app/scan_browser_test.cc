// `dragnet scan` with the browser stage, end to end: the built binary,
// nginx serving the browser fixture sites, a real headless Chromium. What
// an analyst relies on: indicators that only a browser sees, sourced to the
// render; cloaking by user agent detected with the profile that sees the
// scam; screenshots in the evidence store that `evidence verify` checks;
// the report attaching the screenshot and defanged HTML.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet::app {
namespace {

using nlohmann::json;
using testing::NginxServer;
using testing::RunResult;
using testing::TempDir;

const char* kSites = R"(
  map $http_user_agent $cloak_page {
    ~*(android|iphone|mobile) /scam.html;
    default /benign.html;
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name delayed.test;
    root {{FIXTURES}}/sites/browser/delayed.test;
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name cloak.test;
    root {{FIXTURES}}/sites/browser/cloak.test;
    location = / { try_files $cloak_page =404; }
  }
)";

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '{') out.push_back(json::parse(line));
  }
  return out;
}

TEST(ScanBrowser, RenderedIndicatorsCloakingScreenshotsAndReports) {
  NginxServer nginx(kSites);
  TempDir dir;
  std::string state = dir.File("state");
  std::string port = std::to_string(nginx.port());
  std::string contacts = dir.File("contacts.toml");
  // The scammers' mail domain routes the report (no hosting lookup here).
  testing::WriteAll(contacts,
                    "[[providers]]\nemail_domains = [\"postnord-parcel-fees.com\", \"secure-bank-helpdesk.com\"]\n"
                    "name = \"Test Mail\"\nemail = \"abuse@mail.invalid\"\nsource = \"https://mail.invalid/abuse\"\n");
  std::string cfg = dir.File("dragnet.toml");
  testing::WriteAll(cfg, "[general]\nstate_dir = \"" + state + "\"\n[crawl]\nallow_private = true\nresolve = [\"*:" +
                             port + ":127.0.0.1\"]\n[browser]\nenabled = true\npool_size = 1\n"
                             "[reporter]\norg = \"Test CERT\"\ncontact_email = \"cert@dragnet.invalid\"\n"
                             "domain = \"dragnet.invalid\"\n[contacts]\nfile = \"" + contacts +
                             "\"\n[delivery]\nenabled = false\n");
  std::string delayed = "http://delayed.test:" + port + "/";
  std::string cloak = "http://cloak.test:" + port + "/";
  RunResult r = testing::Run({testing::DragnetBinary(), "--config", cfg, "--log-level", "warn", "scan", "--json",
                              "--no-locate", delayed, cloak},
                             "", 180000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 2u) << r.out;
  // Documents come in completion order (the cloaking site may finish first,
  // as under ASan): find each by its seed.
  if (docs[0]["seed"] != delayed) std::swap(docs[0], docs[1]);
  ASSERT_EQ(docs[0]["seed"], delayed) << r.out;
  ASSERT_EQ(docs[1]["seed"], cloak) << r.out;

  // ---- a page built by JavaScript after a delay ----
  const json& d = docs[0];
  ASSERT_EQ(d["captures"].size(), 2u) << d.dump();
  for (const json& c : d["captures"]) {
    EXPECT_EQ(c["status"], 200) << c.dump();
    EXPECT_EQ(c["title"], "Nordbank – Verify your account");
    EXPECT_EQ(c["screenshot_sha256"].get<std::string>().size(), 64u);
    EXPECT_EQ(c["dom_sha256"].get<std::string>().size(), 64u);
  }
  bool rendered_email = false;
  for (const json& ind : d["indicators"]) {
    if (ind["type"] == "email" && ind["value"] == "account-verify@secure-bank-helpdesk.com") {
      rendered_email = true;
      EXPECT_EQ(ind["source"], "rendered:desktop") << ind.dump();
    }
  }
  EXPECT_TRUE(rendered_email) << d["indicators"].dump();
  // The verdict sees the login form the script built.
  EXPECT_NE(d["verdict"]["label"], "benign") << d["verdict"].dump();

  // ---- a site that cloaks by user agent ----
  const json& c = docs[1];
  ASSERT_TRUE(c["cloaking"].is_object()) << c.dump();
  EXPECT_TRUE(c["cloaking"]["detected"].get<bool>());
  EXPECT_EQ(c["cloaking"]["profiles"], json::array({"mobile"}));
  EXPECT_NE(c["cloaking"]["detail"].get<std::string>().find("Mobile Safari"), std::string::npos);
  bool rule = false;
  for (const json& reason : c["verdict"]["reasons"]) rule |= reason["rule"] == "cloaking";
  EXPECT_TRUE(rule) << c["verdict"].dump();
  EXPECT_EQ(c["verdict"]["label"], "malicious") << c["verdict"].dump();
  EXPECT_EQ(c["captures"][1]["title"], "PostNord – customs fee due");

  // ---- screenshots are evidence, and verify ----
  for (const json& doc : docs) {
    std::string manifest = doc["evidence_manifest"];
    ASSERT_TRUE(std::filesystem::exists(manifest));
    json m = json::parse(testing::ReadAll(manifest));
    int shots = 0;
    for (const json& e : m["entries"]) shots += e["via"].get<std::string>().rfind("screenshot:", 0) == 0;
    EXPECT_EQ(shots, 2) << manifest;
  }
  RunResult v = testing::Run({testing::DragnetBinary(), "evidence", "verify", state + "/evidence"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  // ---- the report attaches the screenshot of the profile that saw it ----
  std::string mobile_png = c["captures"][1]["screenshot_sha256"];
  bool found = false;
  for (const auto& e : std::filesystem::recursive_directory_iterator(state + "/outbox")) {
    if (e.path().extension() != ".eml") continue;
    std::string text = testing::ReadAll(e.path().string());
    if (text.find(c["case_id"].get<std::string>()) == std::string::npos) continue;
    found = true;
    EXPECT_NE(text.find("Content-Type: image/png"), std::string::npos) << e.path();
    EXPECT_NE(text.find("screenshot-mobile-" + mobile_png.substr(0, 16) + ".png"), std::string::npos) << e.path();
    EXPECT_EQ(text.find(".html.gz\""), std::string::npos) << "captured HTML is defanged: " << e.path();
    EXPECT_NE(text.find(".html.txt.gz"), std::string::npos) << e.path();
    EXPECT_NE(text.find("mobile"), std::string::npos);
  }
  EXPECT_TRUE(found) << "no report for the cloaking site";
}

}  // namespace
}  // namespace dragnet::app
