// The console in a real browser: nginx serves fixture scam sites (one with
// a hostile <title>), `dragnet scan` with the browser stage builds the
// state (cases waiting for review, screenshots in the evidence store),
// `dragnet users` adds an analyst and a viewer, `dragnet serve` runs on a
// free loopback port, and console_browser_test.py drives Chromium through
// chromedriver (Selenium): login, queue, case page with its screenshot
// loaded, approve and reject, search by wallet, CSRF, hostile markup inert,
// a viewer cannot approve, logout. Then the CLI must agree with what the
// browser did. Screenshots of the main pages land in docs/console/ with
// DRAGNET_UPDATE_SCREENSHOTS=1 (else in the test's temp dir).
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet {
namespace {

using nlohmann::json;
using testing::RunResult;

const char* kSites = R"(
  server { listen 127.0.0.1:{{PORT}}; server_name btc-profit-club.com;
           root {{FIXTURES}}/sites/demo/btc-profit-club.com; }
  server { listen 127.0.0.1:{{PORT}}; server_name swedbank-secure-login.com;
           root {{FIXTURES}}/sites/demo/swedbank-secure-login.com; }
  server { listen 127.0.0.1:{{PORT}}; server_name hostile-title.test;
           root {{FIXTURES}}/sites/web/hostile-title.test; }
  server { listen 127.0.0.1:{{PORT}}; server_name elon-double-btc.com;
           root {{FIXTURES}}/sites/demo/elon-double-btc.com; }
  server { listen 127.0.0.1:{{PORT}}; server_name tesla-btc-airdrop.net;
           root {{FIXTURES}}/sites/demo/tesla-btc-airdrop.net; }
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

TEST(ConsoleBrowser, AnalystReviewsInChromiumAndTheCliAgrees) {
  testing::NginxServer nginx(kSites);
  testing::TempDir dir;
  std::string state = dir.File("state");
  std::string port = std::to_string(nginx.port());
  std::string cfg = dir.File("dragnet.toml");
  // Every scanned case waits for an analyst (nothing is reported by policy).
  testing::WriteAll(cfg, "[general]\nstate_dir = \"" + state + "\"\n[crawl]\nallow_private = true\nresolve = [\"*:" +
                             port + ":127.0.0.1\"]\n[browser]\nenabled = true\npool_size = 1\n"
                             "[policy]\nreview_threshold = 0\nauto_report_threshold = 101\n"
                             "[reporter]\norg = \"Test CERT\"\ncontact_email = \"cert@dragnet.invalid\"\n"
                             "domain = \"dragnet.invalid\"\n[delivery]\nenabled = false\n");
  std::string bin = testing::DragnetBinary();
  RunResult scan = testing::Run({bin, "--config", cfg, "--log-level", "error", "scan", "--json", "--no-locate",
                                 "http://btc-profit-club.com:" + port + "/",
                                 "http://swedbank-secure-login.com:" + port + "/",
                                 "http://hostile-title.test:" + port + "/"},
                                "", 240000);
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  auto docs = JsonLines(scan.out);
  ASSERT_EQ(docs.size(), 3u) << scan.out;
  for (const auto& d : docs) ASSERT_FALSE(d["captures"].empty()) << "browser stage ran: " << d.dump();

  RunResult add = testing::Run({bin, "--config", cfg, "users", "add", "alice", "--role", "analyst", "--password-stdin"},
                               "alice-console-pw\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  add = testing::Run({bin, "--config", cfg, "users", "add", "vera", "--role", "viewer", "--password-stdin"},
                     "vera-console-pw\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  RunResult shortpw = testing::Run({bin, "--config", cfg, "users", "add", "bob", "--role", "viewer", "--password-stdin"},
                                   "short\n");
  EXPECT_EQ(shortpw.exit_code, 2) << "a short password is refused";

  int web_port = testing::FreePort();
  testing::Process serve({bin, "--config", cfg, "serve", "--listen", "127.0.0.1:" + std::to_string(web_port)},
                         dir.File("serve.log"));
  ASSERT_TRUE(testing::WaitForPort(web_port, 20000)) << testing::ReadAll(dir.File("serve.log"));

  json cases = json::object();
  for (const auto& d : docs) {
    std::string seed = d["seed"];
    std::string name = seed.find("btc-profit") != std::string::npos ? "btc"
                       : seed.find("swedbank") != std::string::npos ? "bank"
                                                                     : "hostile";
    cases[name] = d["case_id"];
  }
  std::string cases_file = dir.File("cases.json");
  testing::WriteAll(cases_file, cases.dump());
  // The screenshots the README shows are refreshed on request only
  // (DRAGNET_UPDATE_SCREENSHOTS=1); a normal run keeps them in its temp dir
  // and leaves the source tree as it was.
  const char* update = std::getenv("DRAGNET_UPDATE_SCREENSHOTS");
  std::string shots = update != nullptr && std::string(update) == "1" ? testing::SourceDir() + "/docs/console"
                                                                        : dir.File("screenshots");
  RunResult py = testing::Run({"/usr/bin/python3", testing::SourceDir() + "/tests/unit/web/console_browser_test.py", "--url",
                               "http://127.0.0.1:" + std::to_string(web_port), "--cases", cases_file, "--screenshots",
                               shots},
                              "", 300000);
  EXPECT_EQ(py.exit_code, 0) << py.out << py.err << testing::ReadAll(dir.File("serve.log"));

  // ---- the CLI agrees with what the analyst did in the browser ----
  auto show = [&](const std::string& id) {
    RunResult r = testing::Run({bin, "--config", cfg, "cases", "show", id, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  };
  json approved = show(cases["btc"]);
  EXPECT_EQ(approved["status"], "reported");
  EXPECT_EQ(approved["decided_by"], "alice");
  json rejected = show(cases["bank"]);
  EXPECT_EQ(rejected["status"], "rejected");
  EXPECT_EQ(rejected["decided_by"], "alice");
  EXPECT_EQ(rejected["reason"], "test page of the bank's own security team");
  json untouched = show(cases["hostile"]);
  EXPECT_EQ(untouched["status"], "review") << "the viewer's and the CSRF-less attempts changed nothing";
  RunResult review = testing::Run({bin, "--config", cfg, "review", "list", "--json"});
  EXPECT_EQ(JsonLines(review.out).size(), 1u) << review.out;

  // ---- one campaign page: two giveaway sites sharing the hostile-title
  // site's wallet, scanned into the same state without the browser stage
  // (fast), visited once ----
  std::string cfg2 = dir.File("dragnet-nobrowser.toml");
  {
    std::string text = testing::ReadAll(cfg);
    text.replace(text.find("[browser]\nenabled = true"), 24, "[browser]\nenabled = false");
    testing::WriteAll(cfg2, text);
  }
  RunResult scan2 = testing::Run({bin, "--config", cfg2, "--log-level", "error", "scan", "--json", "--no-locate",
                                  "http://elon-double-btc.com:" + port + "/", "http://tesla-btc-airdrop.net:" + port + "/"},
                                 "", 120000);
  ASSERT_EQ(scan2.exit_code, 0) << scan2.err;
  RunResult cps = testing::Run({bin, "--config", cfg, "campaigns", "list", "--json"});
  auto campaigns = JsonLines(cps.out);
  ASSERT_EQ(campaigns.size(), 1u) << cps.out;
  RunResult cpage = testing::Run({"/usr/bin/python3", testing::SourceDir() + "/tests/unit/web/console_browser_test.py",
                                  "--url", "http://127.0.0.1:" + std::to_string(web_port), "--cases", cases_file,
                                  "--campaign", campaigns[0]["campaign_id"].get<std::string>(), "--screenshots", shots},
                                 "", 120000);
  EXPECT_EQ(cpage.exit_code, 0) << cpage.out << cpage.err << testing::ReadAll(dir.File("serve.log"));
}

}  // namespace
}  // namespace dragnet

namespace dragnet {
namespace {

// The daemon's role `web` serves the same console beside its workers.
TEST(ConsoleDaemon, RoleWebServesTheConsoleAndStopsOnSigterm) {
  testing::TempDir dir;
  int web_port = testing::FreePort();
  std::string cfg = dir.File("dragnet.toml");
  testing::WriteAll(cfg, "[general]\nstate_dir = \"" + dir.File("state") + "\"\n[daemon]\nroles = [\"web\"]\n"
                         "metrics_listen = \"127.0.0.1:" + std::to_string(testing::FreePort()) + "\"\n"
                         "[web]\nlisten = \"127.0.0.1:" + std::to_string(web_port) + "\"\n");
  testing::Process daemon({testing::DragnetBinary(), "--config", cfg, "daemon"}, dir.File("daemon.log"));
  ASSERT_TRUE(testing::WaitForPort(web_port, 20000)) << testing::ReadAll(dir.File("daemon.log"));
  RunResult login = testing::Run({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                  "http://127.0.0.1:" + std::to_string(web_port) + "/login"});
  EXPECT_EQ(login.out, "200");
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(20000), 0) << testing::ReadAll(dir.File("daemon.log"));
  RunResult bad = testing::Run({testing::DragnetBinary(), "--config", cfg, "daemon", "--roles", "crawl,webb"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("web)"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace dragnet
