// The cluster end to end: real `dragnet daemon` processes (this build's
// cli/dragnet), a real redis-server (AOF, appendfsync always) and nginx
// serving tests/fixtures/daemon/site for every host name (pinned to
// 127.0.0.1 with [crawl] resolve). Seeds go in with `dragnet submit`, state
// comes out with `dragnet status --json` and straight from Redis.
//
// Nothing leaves 127.0.0.0/8: hosts are pinned, locate/report are off.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/harness/harness.h"
#include "tests/harness/hostile.h"
#include "tests/harness/nginx.h"
#include "tests/harness/redis.h"

namespace dragnet::testing {
namespace {

using Clock = std::chrono::steady_clock;

const char* kNginx = R"NGINX(
log_format timing '$host $msec $request_time $request_uri $status';
server {
  listen 127.0.0.1:{{PORT}};
  server_name _;
  root {{FIXTURES}}/daemon/site;
  access_log {{DIR}}/timing.log timing;
  # ~2 s per 24 KiB page: fetches overlap, jobs are in flight long enough
  # to kill a daemon, restart Redis or send SIGTERM under them.
  location /slow/ { limit_rate 12k; }
}
)NGINX";

bool WaitFor(const std::function<bool()>& pred, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

class Cluster : public ::testing::Test {
 protected:
  RedisServer redis;
  NginxServer nginx{kNginx};
  TempDir dir;
  std::string config = dir.File("dragnet.toml");
  std::vector<std::unique_ptr<Process>> daemons;
  std::vector<int> metrics_ports;

  void SetUp() override { WriteConfig(); }

  void WriteConfig(const std::string& daemon_extra = "", const std::string& crawl_extra = "",
                   bool with_redis = true) {
    std::string c;
    c += "[general]\nstate_dir = \"" + dir.File("state") + "\"\n";
    c += "[crawl]\nresolve = [\"*:" + std::to_string(nginx.port()) + ":127.0.0.1\"]\n";
    c += "allow_private = true\nvisibility_timeout = \"3s\"\nmax_attempts = 3\n";
    c += "total_timeout = \"20s\"\nlow_speed_time = \"20s\"\nrecrawl_after = \"1h\"\n";
    c += crawl_extra.empty() ? "per_host_concurrency = 2\n" : crawl_extra;
    if (with_redis) c += "[redis]\nurl = \"" + redis.Url() + "\"\nkey_prefix = \"it\"\n";
    c += "[daemon]\nheartbeat_interval = \"300ms\"\nretry_backoff = \"200ms\"\n";
    c += "locate = false\nreport = false\n";
    c += daemon_extra.empty() ? "concurrency = 4\nshutdown_grace = \"10s\"\n" : daemon_extra;
    // The browser stage has its own tests (tests/unit/browser, scan_browser_test).
    c += "[browser]\nenabled = false\n";
    WriteAll(config, c);
  }

  Process& StartDaemon(const std::vector<std::string>& extra = {}) {
    int port = FreePort();
    metrics_ports.push_back(port);
    std::vector<std::string> argv = {DragnetBinary(), "--config", config, "--log-level", "info",
                                     "daemon", "--metrics-listen",
                                     "127.0.0.1:" + std::to_string(port)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::string log = dir.File("daemon" + std::to_string(daemons.size()) + ".log");
    daemons.push_back(std::make_unique<Process>(argv, log));
    EXPECT_TRUE(WaitForPort(port, 15000)) << ReadAll(log);
    return *daemons.back();
  }

  std::string Logs() {
    std::string s;
    for (size_t i = 0; i < daemons.size(); ++i) {
      s += "---- daemon " + std::to_string(i) + "\n" +
           ReadAll(dir.File("daemon" + std::to_string(i) + ".log"));
    }
    return s;
  }

  // `dragnet submit --json`: job IDs of the accepted URLs, in order.
  std::vector<std::string> Submit(const std::vector<std::string>& urls,
                                  const std::vector<std::string>& flags = {}) {
    std::string in;
    for (const auto& u : urls) in += u + "\n";
    std::vector<std::string> argv = {DragnetBinary(), "--config", config, "submit", "--json",
                                     "-f", "-"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    RunResult r = dragnet::testing::Run(argv, in, 30000);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> ids;
    for (const auto& line : Lines(r.out)) {
      auto j = nlohmann::json::parse(line);
      if (j.contains("job_id")) ids.push_back(j["job_id"]);
    }
    EXPECT_EQ(ids.size(), urls.size()) << r.out << r.err;
    return ids;
  }

  nlohmann::json Status(const std::string& job = "") {
    std::vector<std::string> argv = {DragnetBinary(), "--config", config, "status", "--json"};
    if (!job.empty()) argv.push_back(job);
    RunResult r = dragnet::testing::Run(argv, "", 30000);
    if (r.exit_code != 0) return nlohmann::json::object({{"error", r.err}});
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_discarded() ? nlohmann::json::object({{"error", r.out}}) : j;
  }

  int64_t Count(const char* field) { return Status().value(field, int64_t{-1}); }

  int ResultKeys() { return static_cast<int>(Lines(redis.Cli({"KEYS", "{it}:result:*"})).size()); }

  int64_t PendingEverywhere() {
    int64_t n = 0;
    for (const char* s : {"{it}:stream:crawl:high", "{it}:stream:crawl:normal",
                          "{it}:stream:crawl:low", "{it}:stream:report"}) {
      auto lines = Lines(redis.Cli({"XPENDING", s, "dragnet"}));
      if (!lines.empty()) n += std::stoll(lines[0]);
    }
    return n;
  }

  // Every job done, each with its stored result for its own URL.
  void ExpectEveryJobHasItsResult(const std::vector<std::string>& ids,
                                  const std::vector<std::string>& urls) {
    for (size_t i = 0; i < ids.size(); ++i) {
      auto j = Status(ids[i]);
      EXPECT_EQ(j.value("state", ""), "done") << j.dump();
      ASSERT_TRUE(j.contains("result")) << j.dump();
      EXPECT_EQ(j["result"].value("seed", ""), urls[i]) << j.dump();
    }
  }

  // Requests nginx saw, per host: {start, end} seconds.
  std::map<std::string, std::vector<std::pair<double, double>>> Requests(
      const std::string& uri_prefix) {
    std::map<std::string, std::vector<std::pair<double, double>>> out;
    for (const auto& line : Lines(ReadAll(nginx.dir() + "/timing.log"))) {
      std::istringstream in(line);
      std::string host, uri, status;
      double end = 0, took = 0;
      in >> host >> end >> took >> uri >> status;
      if (uri.rfind(uri_prefix, 0) != 0) continue;
      out[host].push_back({end - took, end});
    }
    return out;
  }

  static int MaxOverlap(std::vector<std::pair<double, double>> iv) {
    std::vector<std::pair<double, int>> ev;
    for (auto [a, b] : iv) {
      ev.push_back({a, +1});
      ev.push_back({b, -1});
    }
    // Ends sort before starts at the same instant (a request that ended
    // when another began did not overlap it).
    std::sort(ev.begin(), ev.end());
    int cur = 0, best = 0;
    for (auto [t, d] : ev) {
      cur += d;
      best = std::max(best, cur);
    }
    return best;
  }

  std::string Url(const std::string& host, const std::string& path = "/") {
    return "http://" + host + ":" + std::to_string(nginx.port()) + path;
  }

  std::vector<std::string> SlowSeeds(int n, const std::string& host_prefix, bool same_host) {
    std::vector<std::string> urls;
    for (int i = 0; i < n; ++i) {
      std::string host = same_host ? host_prefix + ".test" : host_prefix + std::to_string(i) + ".test";
      urls.push_back(Url(host, "/slow/page.html?i=" + std::to_string(i)));
    }
    return urls;
  }
};

// ----------------------------------------------------------------- submit ---

TEST_F(Cluster, SubmitRejectsInvalidUrlsAndKeepsTheValidOnes) {
  RunResult r = dragnet::testing::Run({DragnetBinary(), "--config", config, "submit", "--json", Url("ok.test"),
                     "not a url", "ftp://files.test/x"},
                    "", 30000);
  EXPECT_EQ(r.exit_code, 4) << r.err;  // partial
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  int ok = 0, bad = 0;
  for (const auto& l : lines) {
    auto j = nlohmann::json::parse(l);
    if (j.contains("job_id")) ++ok;
    if (j.contains("error")) ++bad;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(bad, 2);
  EXPECT_NE(r.err.find("rejected 'not a url'"), std::string::npos) << r.err;
  EXPECT_EQ(Count("queued"), 1);

  RunResult all_bad = dragnet::testing::Run({DragnetBinary(), "--config", config, "submit", "nope", "::"}, "", 30000);
  EXPECT_EQ(all_bad.exit_code, 2);
  EXPECT_EQ(Count("queued"), 1);

  // Plain output: one job ID per line.
  RunResult plain = dragnet::testing::Run({DragnetBinary(), "--config", config, "submit", "--priority", "high",
                         Url("a.test"), Url("b.test")},
                        "", 30000);
  EXPECT_EQ(plain.exit_code, 0);
  auto ids = Lines(plain.out);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(Status(ids[0]).value("priority", ""), "high");
  EXPECT_EQ(Count("queued"), 3);
}

// ------------------------------------------------------------ the cluster ---

TEST_F(Cluster, ThreeDaemonsGiveEverySeedExactlyOneResult) {
  std::vector<std::string> urls;
  for (int i = 0; i < 12; ++i) urls.push_back(Url("site" + std::to_string(i) + ".test"));
  auto ids = Submit(urls);
  ASSERT_EQ(ids.size(), 12u);
  for (int i = 0; i < 3; ++i) StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Count("done") == 12; }, 120000)) << Status().dump() << Logs();
  ExpectEveryJobHasItsResult(ids, urls);
  EXPECT_EQ(ResultKeys(), 12);
  EXPECT_EQ(PendingEverywhere(), 0);
  auto st = Status();
  EXPECT_EQ(st["queued"], 0);
  EXPECT_EQ(st["in_flight"], 0);
  EXPECT_EQ(st["dead_letter"], 0);
  EXPECT_EQ(st["daemons"].size(), 3u) << st.dump();
  // No seed was crawled twice: nginx saw each site's front page once.
  for (int i = 0; i < 12; ++i) {
    std::string host = "site" + std::to_string(i) + ".test";
    int front = 0;
    for (const auto& line : Lines(ReadAll(nginx.dir() + "/timing.log"))) {
      if (line.rfind(host + " ", 0) == 0 && line.find(" / ") != std::string::npos) ++front;
    }
    EXPECT_EQ(front, 1) << host;
  }
  // Submitting a crawled URL again is deduplicated (no new fetch) ...
  auto again = Submit({urls[0]});
  ASSERT_TRUE(WaitFor([&] { return Count("done") == 13; }, 30000));
  EXPECT_EQ(Status(again[0]).value("duplicate_of", ""), ids[0]);
  // ... unless forced.
  auto forced = Submit({urls[0]}, {"--force"});
  ASSERT_TRUE(WaitFor([&] { return Count("done") == 14; }, 30000));
  EXPECT_FALSE(Status(forced[0]).contains("duplicate_of"));
  EXPECT_EQ(ResultKeys(), 12);  // the forced crawl overwrote, not added

  // /metrics and /healthz.
  httplib::Client http("127.0.0.1", metrics_ports[0]);
  auto health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("dragnet_jobs_total{"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("dragnet_queue_depth{stream=\"{it}:stream:crawl:high\",stage=\"crawl\"}"),
            std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("dragnet_fetch_duration_seconds_bucket"), std::string::npos);
  // Bytes fetched, summed over the daemons (any of them may have done the work).
  double fetched = 0;
  for (int port : metrics_ports) {
    auto m = httplib::Client("127.0.0.1", port).Get("/metrics");
    ASSERT_TRUE(m);
    for (const auto& line : Lines(m->body)) {
      if (line.rfind("dragnet_fetch_bytes_total ", 0) == 0) fetched += std::stod(line.substr(line.find(' ') + 1));
    }
  }
  EXPECT_GT(fetched, 1000.0);

  // SIGTERM: each exits 0 and unregisters.
  for (auto& d : daemons) d->Signal(SIGTERM);
  for (auto& d : daemons) EXPECT_EQ(d->Wait(15000), 0) << Logs();
  EXPECT_EQ(Status()["daemons"].size(), 0u);
}

TEST_F(Cluster, KillNineMidCrawlLosesNothing) {
  auto urls = SlowSeeds(8, "kill", /*same_host=*/false);
  auto ids = Submit(urls);
  Process& victim = StartDaemon({"--concurrency", "3"});
  ASSERT_TRUE(WaitFor([&] { return Count("in_flight") >= 3; }, 30000)) << Status().dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ::kill(-victim.pid(), SIGKILL);
  EXPECT_EQ(victim.Wait(5000), 128 + SIGKILL);
  EXPECT_GE(PendingEverywhere(), 1) << "nothing was in flight when the daemon died";
  StartDaemon({"--concurrency", "3"});
  ASSERT_TRUE(WaitFor([&] { return Count("done") == 8; }, 120000)) << Status().dump() << Logs();
  ExpectEveryJobHasItsResult(ids, urls);
  EXPECT_EQ(ResultKeys(), 8);
  EXPECT_EQ(PendingEverywhere(), 0);
  EXPECT_EQ(Count("dead_letter"), 0);
}

TEST_F(Cluster, RedisRestartMidCrawlLosesNothing) {
  auto urls = SlowSeeds(8, "restart", /*same_host=*/false);
  auto ids = Submit(urls);
  StartDaemon({"--concurrency", "2"});
  StartDaemon({"--concurrency", "2"});
  ASSERT_TRUE(WaitFor([&] { return Count("in_flight") >= 2; }, 30000)) << Status().dump();
  redis.Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // jobs finish while Redis is away
  for (auto& d : daemons) EXPECT_TRUE(d->running()) << "a daemon died with Redis";
  redis.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("done") == 8; }, 120000)) << Status().dump() << Logs();
  ExpectEveryJobHasItsResult(ids, urls);
  EXPECT_EQ(ResultKeys(), 8);
  EXPECT_EQ(PendingEverywhere(), 0);
  EXPECT_EQ(Count("queued"), 0);
  EXPECT_EQ(Count("in_flight"), 0);
  for (auto& d : daemons) EXPECT_TRUE(d->running());
}

TEST_F(Cluster, SigtermHandsInFlightJobsToASecondDaemon) {
  WriteConfig("concurrency = 2\nshutdown_grace = \"300ms\"\n");
  auto urls = SlowSeeds(2, "term", /*same_host=*/false);
  auto ids = Submit(urls);
  Process& first = StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Count("in_flight") == 2; }, 30000)) << Status().dump();
  auto t0 = Clock::now();
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(10000), 0) << Logs();
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(5)) << "exit not bounded by shutdown_grace";
  auto st = Status();
  EXPECT_EQ(st["in_flight"], 0) << st.dump();
  EXPECT_EQ(st["queued"], 2) << st.dump();  // handed back, not lost, not done
  EXPECT_EQ(ResultKeys(), 0);
  EXPECT_NE(Logs().find("handed back job"), std::string::npos);
  // A second daemon with time to finish completes them; its own SIGTERM
  // waits for the job in flight.
  WriteConfig("concurrency = 2\nshutdown_grace = \"20s\"\n");
  Process& second = StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Count("in_flight") == 2; }, 30000)) << Status().dump();
  second.Signal(SIGTERM);
  EXPECT_EQ(second.Wait(30000), 0);
  ExpectEveryJobHasItsResult(ids, urls);
  EXPECT_EQ(PendingEverywhere(), 0);
}

TEST_F(Cluster, PerHostCapHoldsAcrossTwoDaemons) {
  auto urls = SlowSeeds(8, "polite", /*same_host=*/true);
  auto ids = Submit(urls);
  StartDaemon({"--concurrency", "4"});
  StartDaemon({"--concurrency", "4"});
  ASSERT_TRUE(WaitFor([&] { return Count("done") == 8; }, 180000)) << Status().dump() << Logs();
  auto req = Requests("/slow/");
  ASSERT_EQ(req["polite.test"].size(), 8u);
  int overlap = MaxOverlap(req["polite.test"]);
  EXPECT_LE(overlap, 2) << "the fixture server saw more than per_host_concurrency at once";
  EXPECT_EQ(overlap, 2) << "8 workers never ran two fetches of the host together";
}

TEST_F(Cluster, PoisonJobEndsInTheDeadLetterStream) {
  int closed = FreePort();  // nothing listens there: connection refused, every time
  std::string poison = "http://127.0.0.1:" + std::to_string(closed) + "/";
  auto ids = Submit({poison, Url("fine.test")});
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Count("dead_letter") == 1 && Count("done") == 1; }, 60000))
      << Status().dump() << Logs();
  auto j = Status(ids[0]);
  EXPECT_EQ(j["state"], "dead") << j.dump();
  EXPECT_EQ(j["attempts"], 3);
  EXPECT_FALSE(j.value("error", "").empty());
  std::string dl = redis.Cli({"XRANGE", "{it}:stream:dead", "-", "+"});
  EXPECT_NE(dl.find(ids[0]), std::string::npos);
  EXPECT_EQ(Count("failed"), 0);
  EXPECT_EQ(PendingEverywhere(), 0);
}

TEST_F(Cluster, SighupReloadsTheConfig) {
  Process& d = StartDaemon();
  ASSERT_TRUE(WaitFor([&] {
    auto s = Status();
    return s["daemons"].size() == 1 && s["daemons"][0]["concurrency"] == 4;
  }, 15000));
  WriteConfig("concurrency = 2\nshutdown_grace = \"10s\"\n");
  d.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] {
    auto s = Status();
    return s["daemons"].size() == 1 && s["daemons"][0]["concurrency"] == 2;
  }, 15000)) << Status().dump() << Logs();
  // A broken config is refused and the daemon keeps running.
  WriteAll(config, "[daemon]\nconcurrency = \"many\"\n");
  d.Signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(d.running());
  EXPECT_NE(Logs().find("reload refused"), std::string::npos);
}

// The tables are loaded when the daemon starts, not by its first job: a
// rules file that does not parse stops it with the file's name and exit 2,
// before it claims anything.
TEST_F(Cluster, BrokenRulesFileStopsTheDaemonAtStart) {
  std::string rules = dir.File("rules.toml");
  WriteAll(rules, "[[rule]]\nid = \"unterminated\nweight = 10\n");
  std::string c = ReadAll(config) + "[extract]\nrules_file = \"" + rules + "\"\n";
  WriteAll(config, c);
  Submit({Url("e1.test")});
  RunResult r = dragnet::testing::Run({DragnetBinary(), "--config", config, "daemon", "--metrics-listen", "off"},
                                      "", 30000);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(rules), std::string::npos) << r.err;
  EXPECT_EQ(Count("queued"), 1) << Status().dump();
}

// Bytes no text holds (in headers, a Location, a page) and a seed whose
// analysis throws: each job ends with its own result, the throwing one with
// its error recorded; no job is retried to the dead letter because of a
// neighbour, and the daemon stays up (before: exit 134 on every retry).
TEST_F(Cluster, HostileBytesAndAThrowingSeedEndOnlyTheirOwnJob) {
  HostileServer hostile;
  int port = FreePort();
  metrics_ports.push_back(port);
  std::string log = dir.File("daemon0.log");
  daemons.push_back(std::make_unique<Process>(
      std::vector<std::string>{DragnetBinary(), "--config", config, "--log-level", "info", "daemon",
                               "--metrics-listen", "127.0.0.1:" + std::to_string(port)},
      log, std::map<std::string, std::string>{{"DRAGNET_TEST_THROW_IN_ANALYSE", "throw-me"}}));
  ASSERT_TRUE(WaitForPort(port, 15000)) << ReadAll(log);
  std::vector<std::string> urls;
  for (const char* p : {"/bytes/ctype", "/bytes/location", "/bytes/header", "/bytes/header-nul",
                        "/bytes/reason", "/bytes/page", "/bytes/refresh", "/ok?throw-me"}) {
    urls.push_back(hostile.Url(p));
  }
  urls.push_back(Url("e1.test"));
  auto ids = Submit(urls);
  ASSERT_TRUE(WaitFor([&] { return Count("done") == static_cast<int64_t>(urls.size()); }, 90000))
      << Status().dump() << Logs();
  ExpectEveryJobHasItsResult(ids, urls);
  EXPECT_EQ(Count("dead_letter"), 0) << Status().dump();
  auto thrower = Status(ids[7]);
  bool recorded = false;
  for (const auto& e : thrower["result"]["errors"]) {
    recorded |= e.get<std::string>().find("internal: analyse failed") != std::string::npos;
  }
  EXPECT_TRUE(recorded) << thrower.dump();
  EXPECT_TRUE(daemons[0]->running()) << Logs();
  daemons[0]->Signal(SIGTERM);
  EXPECT_EQ(daemons[0]->Wait(15000), 0) << Logs();
}

TEST_F(Cluster, EmbeddedModeWithoutRedis) {
  int port = FreePort();
  int api_port = FreePort();
  while (api_port == port) api_port = FreePort();
  WriteConfig("concurrency = 2\nmetrics_listen = \"127.0.0.1:" + std::to_string(port) + "\"\n" +
                  "api_listen = \"127.0.0.1:" + std::to_string(api_port) + "\"\n",
              "", /*with_redis=*/false);
  std::string log = dir.File("embedded.log");
  // No --log-level: a daemon logs at info by default (its start, each job).
  Process d({DragnetBinary(), "--config", config, "daemon"}, log);
  ASSERT_TRUE(WaitForPort(port, 15000)) << ReadAll(log);
  ASSERT_TRUE(WaitForPort(api_port, 15000)) << ReadAll(log);
  // The job API is apart from /metrics and needs its token, which the
  // daemon wrote owner-only into its state folder (submit reads it there).
  auto http = [](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10"};
    argv.insert(argv.end(), args.begin(), args.end());
    return dragnet::testing::Run(argv, "", 20000).out;
  };
  std::string api = "http://127.0.0.1:" + std::to_string(api_port);
  EXPECT_EQ(http({"-X", "POST", "-d", "{\"url\": \"http://x.test/\"}", api + "/v1/jobs"}), "401");
  EXPECT_EQ(http({"-H", "Authorization: Bearer wrong-token-0123456789", api + "/v1/status"}), "401");
  EXPECT_EQ(http({"http://127.0.0.1:" + std::to_string(port) + "/v1/status"}), "404") << "not on the metrics port";
  std::string token_file = dir.File("state") + "/api-token";
  ASSERT_TRUE(std::filesystem::exists(token_file)) << ReadAll(log);
  EXPECT_EQ(std::filesystem::status(token_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::string token = ReadAll(token_file);
  while (!token.empty() && token.back() == '\n') token.pop_back();
  EXPECT_EQ(http({"-H", "Authorization: Bearer " + token, api + "/v1/status"}), "200");
  std::vector<std::string> urls = {Url("e1.test"), Url("e2.test"), Url("e3.test")};
  auto ids = Submit(urls);
  ASSERT_TRUE(WaitFor([&] { return Count("done") == 3; }, 60000)) << Status().dump() << ReadAll(log);
  ExpectEveryJobHasItsResult(ids, urls);
  EXPECT_EQ(redis.Cli({"DBSIZE"}), "0");  // nothing went to Redis
  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(15000), 0);
  std::string text = ReadAll(log);
  EXPECT_NE(text.find(": started, 2 workers"), std::string::npos) << text;
  for (const auto& u : urls) EXPECT_NE(text.find("(" + u + ") done in"), std::string::npos) << u << "\n" << text;
}

}  // namespace
}  // namespace dragnet::testing
