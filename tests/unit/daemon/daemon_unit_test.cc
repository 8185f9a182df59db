// Unit tests of distributed mode without a server: Redis URL parsing, the
// key layout, the reply caps, the in-memory queue's semantics (priorities,
// attempts, dedupe, visibility timeout, dead letters), the in-process host
// gate, metrics rendering and the daemon loop on the in-memory queue.

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/daemon.h"
#include "app/daemon_options.h"
#include "app/metrics.h"
#include "app/politeness.h"
#include "app/queue_memory.h"
#include "app/redis.h"
#include "app/redis_keys.h"

namespace dragnet::app {
namespace {

class FakeClock final : public Clock {
 public:
  int64_t NowUnixMs() const override { return 1'800'000'000'000 + now_.load(); }
  int64_t MonotonicMs() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_{1'000'000};
};

// ------------------------------------------------------------ Redis URLs ---

TEST(RedisUrl, HostPortDb) {
  auto ep = ParseRedisUrl("redis://cache.example:6380/3");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_FALSE(ep->unix_socket);
  EXPECT_EQ(ep->host, "cache.example");
  EXPECT_EQ(ep->port, 6380);
  EXPECT_EQ(ep->db, 3);
  EXPECT_TRUE(ep->user.empty());
  EXPECT_TRUE(ep->password.empty());
}

TEST(RedisUrl, Defaults) {
  auto ep = ParseRedisUrl("redis://10.0.0.5");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->port, 6379);
  EXPECT_EQ(ep->db, 0);
}

TEST(RedisUrl, PasswordOnlyAndAclUser) {
  auto a = ParseRedisUrl("redis://:s3cret@h:1/0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->user, "");
  EXPECT_EQ(a->password, "s3cret");
  auto b = ParseRedisUrl("redis://crawler:p%40ss%3Aword@h:1/2");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->user, "crawler");
  EXPECT_EQ(b->password, "p@ss:word");
  EXPECT_EQ(b->db, 2);
  auto c = ParseRedisUrl("redis://lonetoken@h");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->password, "lonetoken");
}

TEST(RedisUrl, Ipv6) {
  auto ep = ParseRedisUrl("redis://[::1]:7000/1");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->port, 7000);
  EXPECT_EQ(ep->db, 1);
}

TEST(RedisUrl, UnixSocket) {
  auto ep = ParseRedisUrl("unix:///run/redis/redis.sock?db=4&user=u&password=p%20w");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_TRUE(ep->unix_socket);
  EXPECT_EQ(ep->path, "/run/redis/redis.sock");
  EXPECT_EQ(ep->db, 4);
  EXPECT_EQ(ep->user, "u");
  EXPECT_EQ(ep->password, "p w");
  EXPECT_TRUE(ParseRedisUrl("unix:///tmp/r.sock").ok());
}

TEST(RedisUrl, Rejects) {
  for (const char* bad :
       {"http://h:6379", "rediss://h:6380", "redis://", "redis://h:0", "redis://h:65536",
        "redis://h:abc", "redis://h:/1", "redis://h/x", "redis://h/-1", "unix://relative.sock",
        "unix:///s.sock?db=x", "unix:///s.sock?color=red", "redis://[::1", "redis://u:@h",
        "redis://h:1/99999999", "redis://%zz@h", "redis://%4@h"}) {
    auto ep = ParseRedisUrl(bad);
    EXPECT_FALSE(ep.ok()) << bad;
    if (!ep.ok()) {
      EXPECT_EQ(ep.status().code(), Code::kInvalidArgument) << bad;
    }
  }
  // kMaxRedisUrlLength
  EXPECT_FALSE(ParseRedisUrl("redis://" + std::string(3000, 'a')).ok());
}

TEST(RedisUrl, RedactedHidesPassword) {
  auto ep = ParseRedisUrl("redis://crawler:hunter2@h:6379/1");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->Redacted(), "redis://crawler:***@h:6379/1");
  EXPECT_EQ(ep->Redacted().find("hunter2"), std::string::npos);
}

// ------------------------------------------------------------ key layout ---

TEST(RedisKeys, EveryKeySharesOneHashTag) {
  RedisKeys k("dn");
  std::string h = RedisKeys::UrlHash("https://a.example/");
  for (const std::string& key :
       {k.SeedStream(Priority::kHigh), k.SeedStream(Priority::kLow), k.StageStream("report"),
        k.DeadLetter(), k.Job("j1"), k.Result(h), k.Seen(h), k.Crawling(h), k.State("done"),
        k.Delayed(), k.HostLeases("a.example"), k.HostNext("a.example"), k.Daemons(),
        k.Daemon("d1"), k.Stats()}) {
    EXPECT_EQ(key.rfind("{dn}:", 0), 0u) << key;
    // Exactly one {...}: the cluster slot is computed from "dn" for every key.
    EXPECT_EQ(key.find('{', 1), std::string::npos) << key;
  }
  EXPECT_EQ(k.SeedStream(Priority::kHigh), "{dn}:stream:crawl:high");
  EXPECT_EQ(k.Result(h), "{dn}:result:" + h);
  EXPECT_EQ(h.size(), 64u);
}

TEST(RedisKeys, StagesAndPriorityOrder) {
  RedisKeys k;
  auto s = k.StageStreams(kStageCrawl);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "{dragnet}:stream:crawl:high");
  EXPECT_EQ(s[1], "{dragnet}:stream:crawl:normal");
  EXPECT_EQ(s[2], "{dragnet}:stream:crawl:low");
  EXPECT_EQ(k.StageOfStream(s[2]), kStageCrawl);
  EXPECT_EQ(k.StageOfStream(k.StageStream(kStageReport)), kStageReport);
  EXPECT_EQ(k.StageOfStream("{other}:stream:crawl:high"), "");
}

TEST(RedisKeys, HostileHostNamesAreHashed) {
  EXPECT_EQ(RedisKeys::HostPart("shop.example"), "shop.example");
  EXPECT_EQ(RedisKeys::HostPart("2001:db8::1"), "2001:db8::1");
  for (const char* bad : {"a}b", "x{y", "sp ace", "new\nline", "UPPER"}) {
    std::string p = RedisKeys::HostPart(bad);
    EXPECT_EQ(p.rfind("h-", 0), 0u) << bad;
    EXPECT_EQ(p.find_first_of("{} \n"), std::string::npos);
  }
  EXPECT_EQ(RedisKeys::HostPart(std::string(300, 'a')).rfind("h-", 0), 0u);
}

TEST(RedisKeys, Priorities) {
  Priority p;
  EXPECT_TRUE(ParsePriority("high", p));
  EXPECT_EQ(p, Priority::kHigh);
  EXPECT_FALSE(ParsePriority("urgent", p));
  EXPECT_STREQ(PriorityName(Priority::kLow), "low");
}

// ------------------------------------------------------------ reply caps ---

TEST(RedisReply, CopiesNestedArrays) {
  redisReply leaf{};
  leaf.type = REDIS_REPLY_STRING;
  char text[] = "hello";
  leaf.str = text;
  leaf.len = 5;
  redisReply* kids[] = {&leaf, &leaf};
  redisReply arr{};
  arr.type = REDIS_REPLY_ARRAY;
  arr.elements = 2;
  arr.element = kids;
  auto v = CopyReply(&arr);
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->is_array());
  ASSERT_EQ(v->elements.size(), 2u);
  EXPECT_EQ(v->elements[1].str, "hello");
}

TEST(RedisReply, DepthElementAndByteCapsAreEnforced) {
  redisReply leaf{};
  leaf.type = REDIS_REPLY_STRING;
  char text[] = "0123456789";
  leaf.str = text;
  leaf.len = 10;
  // Depth: 3 nested arrays against a cap of 2.
  redisReply* l1k[] = {&leaf};
  redisReply l1{};
  l1.type = REDIS_REPLY_ARRAY;
  l1.elements = 1;
  l1.element = l1k;
  redisReply* l2k[] = {&l1};
  redisReply l2{};
  l2.type = REDIS_REPLY_ARRAY;
  l2.elements = 1;
  l2.element = l2k;
  redisReply* l3k[] = {&l2};
  redisReply l3{};
  l3.type = REDIS_REPLY_ARRAY;
  l3.elements = 1;
  l3.element = l3k;
  auto deep = CopyReply(&l3, 2, 100, 1000);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), Code::kLimitExceeded);
  EXPECT_TRUE(CopyReply(&l3, 3, 100, 1000).ok());
  // Elements: 3 arrays of 1 element each = 3 elements against a cap of 2.
  EXPECT_EQ(CopyReply(&l3, 8, 2, 1000).status().code(), Code::kLimitExceeded);
  // Bytes: 10 bytes against a cap of 9.
  EXPECT_EQ(CopyReply(&leaf, 8, 100, 9).status().code(), Code::kLimitExceeded);
  EXPECT_TRUE(CopyReply(&leaf, 8, 100, 10).ok());
}

TEST(RedisReply, ErrorRepliesBecomeStatuses) {
  redisReply e{};
  e.type = REDIS_REPLY_ERROR;
  char loading[] = "LOADING Redis is loading the dataset in memory";
  e.str = loading;
  e.len = sizeof loading - 1;
  EXPECT_EQ(CopyReply(&e).status().code(), Code::kUnavailable);  // retried by the client
  char noauth[] = "NOAUTH Authentication required.";
  e.str = noauth;
  e.len = sizeof noauth - 1;
  EXPECT_EQ(CopyReply(&e).status().code(), Code::kRefused);
  char other[] = "ERR wrong number of arguments";
  e.str = other;
  e.len = sizeof other - 1;
  auto r = CopyReply(&e);
  EXPECT_EQ(r.status().code(), Code::kIoError);
  EXPECT_EQ(r.status().message(), "ERR wrong number of arguments");
}

TEST(RedisScript, ShaIsSha1OfSource) {
  // SHA1("return 1"), as `redis-cli SCRIPT LOAD "return 1"` prints it.
  RedisScript s("return 1");
  EXPECT_EQ(s.sha(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

TEST(RedisClient, UnreachableServerIsUnavailableNotACrash) {
  RedisEndpoint ep;
  ep.host = "127.0.0.1";
  ep.port = 1;  // nothing listens on port 1
  RedisClientOptions o;
  o.connect_timeout_ms = 200;
  o.backoff_initial_ms = 10;
  RedisClient c(ep, o);
  auto r = c.Command({"PING"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  // CommandRetry gives up at its deadline.
  auto t0 = std::chrono::steady_clock::now();
  auto r2 = c.CommandRetry({"PING"}, nullptr, SystemClock::Instance().MonotonicMs() + 300);
  EXPECT_FALSE(r2.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
}

// --------------------------------------------------------- memory queue ---

struct MemoryFixture : ::testing::Test {
  FakeClock clock;
  QueueOptions opts = [] {
    QueueOptions o;
    o.visibility_timeout_ms = 1000;
    o.max_attempts = 3;
    o.recrawl_after_ms = 60'000;
    o.job_retention_ms = 10'000;
    o.consumer = "d1";
    return o;
  }();
  std::shared_ptr<MemoryQueueState> state = std::make_shared<MemoryQueueState>(opts, &clock);
  MemoryQueue q{state};

  std::string SubmitUrl(const std::string& url, Priority p = Priority::kNormal, bool force = false) {
    JobSpec s;
    s.url = url;
    s.priority = p;
    s.force = force;
    auto id = q.Submit(s);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }
  Delivery ClaimOne() {
    auto c = q.Claim({kStageCrawl}, 0);
    EXPECT_TRUE(c.ok());
    EXPECT_TRUE(c.ok() && c->has_value());
    return c.ok() && c->has_value() ? **c : Delivery{};
  }
};

TEST_F(MemoryFixture, SubmitRejectsInvalidUrls) {
  JobSpec s;
  s.url = "not a url";
  EXPECT_FALSE(q.Submit(s).ok());
  s.url = "ftp://x.example/";
  EXPECT_FALSE(q.Submit(s).ok());
  auto c = q.Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->queued, 0);
}

TEST_F(MemoryFixture, HighPriorityOvertakesBulk) {
  SubmitUrl("http://bulk1.example/", Priority::kLow);
  SubmitUrl("http://bulk2.example/", Priority::kLow);
  SubmitUrl("http://normal.example/", Priority::kNormal);
  SubmitUrl("http://analyst.example/", Priority::kHigh);
  EXPECT_EQ(ClaimOne().url, "http://analyst.example/");
  EXPECT_EQ(ClaimOne().url, "http://normal.example/");
  EXPECT_EQ(ClaimOne().url, "http://bulk1.example/");
  EXPECT_EQ(ClaimOne().url, "http://bulk2.example/");
  auto none = q.Claim({kStageCrawl}, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(MemoryFixture, CompleteStoresResultUnderNormalisedUrl) {
  std::string id = SubmitUrl("HTTP://Shop.EXAMPLE:80/a/../b#frag");
  Delivery d = ClaimOne();
  EXPECT_EQ(d.url, "http://shop.example/b");
  EXPECT_EQ(d.host, "shop.example");
  auto s = q.Start(d);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->outcome, StartOutcome::kRun);
  EXPECT_EQ(s->attempt, 1);
  ASSERT_TRUE(q.Complete(d, R"({"seed":"x"})", "").ok());
  auto r = q.ResultOf("http://shop.example/b");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, R"({"seed":"x"})");
  auto j = q.Job(id);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["state"], "done");
  EXPECT_EQ((*j)["result"]["seed"], "x");
  // Completing again (a resend) changes nothing.
  ASSERT_TRUE(q.Complete(d, R"({"seed":"y"})", "").ok());
  EXPECT_EQ(*q.ResultOf("http://shop.example/b"), R"({"seed":"x"})");
  auto c = q.Counts();
  EXPECT_EQ(c->done, 1);
  EXPECT_EQ(c->queued, 0);
}

TEST_F(MemoryFixture, RecrawlWithinWindowIsADuplicateUnlessForced) {
  SubmitUrl("http://dup.example/");
  Delivery d1 = ClaimOne();
  ASSERT_EQ(q.Start(d1)->outcome, StartOutcome::kRun);
  ASSERT_TRUE(q.Complete(d1, "{}", "").ok());
  std::string id2 = SubmitUrl("http://dup.example/");
  Delivery d2 = ClaimOne();
  auto s2 = q.Start(d2);
  EXPECT_EQ(s2->outcome, StartOutcome::kDuplicate);
  EXPECT_EQ(s2->dup_of, d1.job_id);
  EXPECT_EQ((*q.Job(id2))["duplicate_of"], d1.job_id);
  SubmitUrl("http://dup.example/", Priority::kNormal, /*force=*/true);
  EXPECT_EQ(q.Start(ClaimOne())->outcome, StartOutcome::kRun);
  // After recrawl_after it runs again without --force.
  clock.Advance(61'000);
  SubmitUrl("http://dup.example/");
  Delivery d4 = ClaimOne();
  EXPECT_EQ(q.Start(d4)->outcome, StartOutcome::kRun);
}

TEST_F(MemoryFixture, ConcurrentSameUrlIsADuplicateOfTheRunningJob) {
  SubmitUrl("http://same.example/");
  SubmitUrl("http://same.example/");
  Delivery a = ClaimOne();
  Delivery b = ClaimOne();
  EXPECT_EQ(q.Start(a)->outcome, StartOutcome::kRun);
  auto sb = q.Start(b);
  EXPECT_EQ(sb->outcome, StartOutcome::kDuplicate);
  EXPECT_EQ(sb->dup_of, a.job_id);
}

TEST_F(MemoryFixture, SilentWorkerIsReclaimedAfterVisibilityTimeout) {
  SubmitUrl("http://slow.example/");
  Delivery d = ClaimOne();
  ASSERT_EQ(q.Start(d)->outcome, StartOutcome::kRun);
  clock.Advance(500);
  EXPECT_FALSE(q.Claim({kStageCrawl}, 0)->has_value());
  // Touch keeps it alive past the timeout ...
  ASSERT_TRUE(q.Touch({d}).ok());
  clock.Advance(700);
  EXPECT_FALSE(q.Claim({kStageCrawl}, 0)->has_value());
  // ... silence does not.
  clock.Advance(1001);
  auto c = q.Claim({kStageCrawl}, 0);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_TRUE((*c)->reclaimed);
  EXPECT_EQ((*c)->job_id, d.job_id);
  auto s = q.Start(**c);
  EXPECT_EQ(s->outcome, StartOutcome::kRun);  // its own crawling marker does not block it
  EXPECT_EQ(s->attempt, 2);
}

TEST_F(MemoryFixture, FailingJobIsRetriedWithDelayThenDeadLettered) {
  std::string id = SubmitUrl("http://poison.example/");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    Delivery d = ClaimOne();
    auto s = q.Start(d);
    ASSERT_EQ(s->outcome, StartOutcome::kRun);
    EXPECT_EQ(s->attempt, attempt);
    ASSERT_TRUE(q.Retry(d, "connect: refused", 5000).ok());
    if (attempt < 3) {
      EXPECT_EQ(q.Counts()->failed, 1);
      EXPECT_FALSE(q.Claim({kStageCrawl}, 0)->has_value()) << "retry must wait for its delay";
      clock.Advance(5000);
    }
  }
  auto c = q.Counts();
  EXPECT_EQ(c->dead_letter, 1);
  EXPECT_EQ(c->failed, 0);
  EXPECT_EQ(c->queued, 0);
  auto j = q.Job(id);
  EXPECT_EQ((*j)["state"], "dead");
  EXPECT_EQ((*j)["error"], "connect: refused");
  clock.Advance(100'000);
  EXPECT_FALSE(q.Claim({kStageCrawl}, 0)->has_value());
}

TEST_F(MemoryFixture, CrashLoopingJobIsDeadLetteredByAttemptCount) {
  SubmitUrl("http://crasher.example/");
  for (int i = 0; i < 3; ++i) {
    Delivery d = ClaimOne();
    ASSERT_EQ(q.Start(d)->outcome, StartOutcome::kRun);
    clock.Advance(1001);  // the worker "dies": never completes
  }
  Delivery d = ClaimOne();
  EXPECT_TRUE(d.reclaimed);
  EXPECT_EQ(q.Start(d)->outcome, StartOutcome::kDeadLettered);
  EXPECT_EQ(q.Counts()->dead_letter, 1);
}

TEST_F(MemoryFixture, HandBackRefundsTheAttempt) {
  std::string id = SubmitUrl("http://shutdown.example/");
  Delivery d = ClaimOne();
  ASSERT_EQ(q.Start(d)->attempt, 1);
  ASSERT_TRUE(q.HandBack(d, true).ok());
  EXPECT_EQ((*q.Job(id))["state"], "queued");
  Delivery again = ClaimOne();
  EXPECT_FALSE(again.reclaimed);
  EXPECT_EQ(q.Start(again)->attempt, 1);
}

TEST_F(MemoryFixture, ForwardToNextStage) {
  SubmitUrl("http://two-stage.example/");
  Delivery d = ClaimOne();
  ASSERT_EQ(q.Start(d)->outcome, StartOutcome::kRun);
  ASSERT_TRUE(q.Complete(d, R"({"stage":"crawl"})", kStageReport).ok());
  EXPECT_FALSE(q.Claim({kStageCrawl}, 0)->has_value());
  auto r = q.Claim({kStageReport}, 0);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->stage, kStageReport);
  auto s = q.Start(**r);
  EXPECT_EQ(s->outcome, StartOutcome::kRun);  // crawl dedupe does not apply to later stages
  EXPECT_EQ(s->attempt, 1);                   // attempts count per stage
  ASSERT_TRUE(q.Complete(**r, R"({"stage":"report"})", "").ok());
  EXPECT_EQ(*q.ResultOf("http://two-stage.example/"), R"({"stage":"report"})");
  EXPECT_EQ(q.Counts()->done, 1);
}

TEST_F(MemoryFixture, ClaimBlocksUntilWorkArrives) {
  MemoryQueue q2(state);
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    SubmitUrl("http://late.example/");
  });
  // Real time passes in the condition variable wait; the fake clock is
  // only the deadline, so give it room.
  clock.Advance(0);
  auto c = q2.Claim({kStageCrawl}, 1'000'000);
  t.join();
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->url, "http://late.example/");
}

TEST_F(MemoryFixture, FinishedJobsAreForgottenAfterRetention) {
  std::string id = SubmitUrl("http://old.example/");
  Delivery d = ClaimOne();
  ASSERT_EQ(q.Start(d)->outcome, StartOutcome::kRun);
  ASSERT_TRUE(q.Complete(d, "{}", "").ok());
  ASSERT_TRUE(q.Maintain().ok());
  EXPECT_TRUE(q.Job(id).ok());
  clock.Advance(10'001);
  ASSERT_TRUE(q.Maintain().ok());
  EXPECT_EQ(q.Job(id).status().code(), Code::kNotFound);
}

// -------------------------------------------------------- host gate ---

TEST(MemoryHostGate, CapAndDelay) {
  FakeClock clock;
  GateOptions g;
  g.per_host_cap = 2;
  g.min_delay_ms = 100;
  g.lease_ttl_ms = 10'000;
  MemoryHostGate gate(g, &clock);
  EXPECT_TRUE(gate.Acquire("h", "a")->granted);
  auto b = gate.Acquire("h", "b");
  EXPECT_FALSE(b->granted);  // inside the delay
  EXPECT_EQ(b->retry_after_ms, 100);
  clock.Advance(100);
  EXPECT_TRUE(gate.Acquire("h", "b")->granted);
  clock.Advance(100);
  EXPECT_FALSE(gate.Acquire("h", "c")->granted);  // at the cap
  EXPECT_TRUE(gate.Acquire("other", "c")->granted);  // other hosts are independent
  EXPECT_TRUE(gate.Acquire("h", "a")->granted);      // renewal of a held lease
  ASSERT_TRUE(gate.Release("h", "a").ok());
  EXPECT_TRUE(gate.Acquire("h", "c")->granted);
  // A lease whose holder vanished expires.
  clock.Advance(10'001);
  EXPECT_TRUE(gate.Acquire("h", "d")->granted);
}

// ---------------------------------------------------------- metrics ---

TEST(Metrics, PrometheusText) {
  Metrics m;
  m.Describe("x_total", "counter", "Things.");
  m.Inc("x_total", {{"kind", "a\"b"}}, 2);
  m.Set("g", {}, 1.5);
  m.DescribeHistogram("h_seconds", "Latency.", {0.1, 1});
  m.Observe("h_seconds", 0.05);
  m.Observe("h_seconds", 0.5);
  m.Observe("h_seconds", 5);
  std::string t = m.Render();
  EXPECT_NE(t.find("# TYPE x_total counter\n"), std::string::npos);
  EXPECT_NE(t.find("x_total{kind=\"a\\\"b\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("g 1.5\n"), std::string::npos);
  EXPECT_NE(t.find("h_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("h_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(t.find("h_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(t.find("h_seconds_count 3\n"), std::string::npos);
}

TEST(Metrics, SeriesCapDropsExtraSeries) {
  Metrics m;
  for (size_t i = 0; i < Metrics::kMaxSeriesPerMetric + 5; ++i) {
    m.Inc("many_total", {{"i", std::to_string(i)}});
  }
  EXPECT_EQ(m.Value("many_total", {{"i", "0"}}), 1);
  EXPECT_EQ(m.Value("many_total", {{"i", std::to_string(Metrics::kMaxSeriesPerMetric)}}), 0);
  EXPECT_NE(m.Render().find("dragnet_metrics_dropped_series_total 5\n"), std::string::npos);
}

TEST(Metrics, ListenAddress) {
  EXPECT_EQ(ParseListenAddress("127.0.0.1:9464")->port, 9464);
  EXPECT_EQ(ParseListenAddress("[::1]:80")->host, "::1");
  EXPECT_EQ(ParseListenAddress(":9")->host, "0.0.0.0");
  EXPECT_FALSE(ParseListenAddress("localhost").ok());
  EXPECT_FALSE(ParseListenAddress("h:99999").ok());
}

// ---------------------------------------------------------- options ---

TEST(DaemonOptions, Validation) {
  DaemonOptions o;
  EXPECT_TRUE(ValidateDaemonOptions(o).ok());
  o.roles = {"crawl", "dance"};
  EXPECT_FALSE(ValidateDaemonOptions(o).ok());
  o = DaemonOptions{};
  o.concurrency = 0;
  EXPECT_FALSE(ValidateDaemonOptions(o).ok());
  o = DaemonOptions{};
  o.key_prefix = "a{b}";
  EXPECT_FALSE(ValidateDaemonOptions(o).ok());
  o = DaemonOptions{};
  o.redis_url = "http://nope";
  EXPECT_FALSE(ValidateDaemonOptions(o).ok());
}

TEST(DaemonOptions, RetryDelayDoublesAndCaps) {
  EXPECT_EQ(RetryDelayMs(1000, 1), 1000);
  EXPECT_EQ(RetryDelayMs(1000, 2), 2000);
  EXPECT_EQ(RetryDelayMs(1000, 4), 8000);
  EXPECT_EQ(RetryDelayMs(1000, 60), kMaxRetryBackoffMs);
}

TEST(DaemonOptions, RolesToStages) {
  EXPECT_EQ(StagesForRoles({"crawl", "enrich", "report"}), std::vector<std::string>{kStageCrawl});
  EXPECT_TRUE(StagesForRoles({"report"}).empty());
}

// ------------------------------------------------- daemon loop (memory) ---

// A handler that records every job it ran and can fail chosen URLs.
struct TestHandler final : JobHandler {
  std::atomic<int>* runs;
  std::string fail_url;
  int sleep_ms = 0;
  JobOutcome Run(const Delivery& d, const std::string&) override {
    if (sleep_ms) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    (*runs)++;
    JobOutcome o;
    if (d.url == fail_url) {
      o.ok = false;
      o.error = "connect: refused";
      return o;
    }
    o.result_json = nlohmann::json{{"seed", d.url}}.dump();
    o.pages = 1;
    return o;
  }
};

TEST(DaemonLoop, RunsEveryJobOnceAndDeadLettersPoison) {
  QueueOptions qo;
  qo.visibility_timeout_ms = 5000;
  qo.max_attempts = 2;
  qo.consumer = "test-daemon";
  auto state = std::make_shared<MemoryQueueState>(qo);
  std::atomic<int> runs{0};
  DaemonSettings s;
  s.options.concurrency = 4;
  s.options.retry_backoff_ms = 10;
  s.options.heartbeat_interval_ms = 100;
  s.options.shutdown_grace_ms = 5000;
  s.queue = qo;
  s.stages = {kStageCrawl};
  DaemonDeps deps;
  deps.queues = MemoryQueueFactory(state);
  deps.handlers = [&runs]() -> Result<std::unique_ptr<JobHandler>> {
    auto h = std::make_unique<TestHandler>();
    h->runs = &runs;
    h->fail_url = "http://poison.example/";
    return std::unique_ptr<JobHandler>(std::move(h));
  };
  Metrics m;
  DescribeDaemonMetrics(m);
  Daemon d("test-daemon", &m);
  MemoryQueue submitter(state);
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    JobSpec js;
    js.url = "http://site" + std::to_string(i) + ".example/";
    ids.push_back(*submitter.Submit(js));
  }
  JobSpec poison;
  poison.url = "http://poison.example/";
  std::string poison_id = *submitter.Submit(poison);
  ASSERT_TRUE(d.Start(s, deps).ok());
  // A worker updates the queue first and its metrics right after: wait for
  // both, or the metrics can be read in between.
  for (int i = 0; i < 500; ++i) {
    auto c = submitter.Counts();
    if (c->done == 20 && c->dead_letter == 1 && m.Value("dragnet_jobs_dead_lettered_total") == 1 &&
        m.Value("dragnet_jobs_total", {{"stage", "crawl"}, {"outcome", "done"}}) == 20) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto c = submitter.Counts();
  EXPECT_EQ(c->done, 20);
  EXPECT_EQ(c->dead_letter, 1);
  EXPECT_EQ(runs.load(), 20 + 2);  // each site once, the poison max_attempts times
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(submitter.ResultOf("http://site" + std::to_string(i) + ".example/").ok());
  }
  EXPECT_EQ((*submitter.Job(poison_id))["state"], "dead");
  EXPECT_EQ(m.Value("dragnet_jobs_total", {{"stage", "crawl"}, {"outcome", "done"}}), 20);
  EXPECT_EQ(m.Value("dragnet_jobs_retried_total"), 1);
  EXPECT_EQ(m.Value("dragnet_jobs_dead_lettered_total"), 1);
  EXPECT_EQ(m.Value("dragnet_pages_fetched_total"), 20);
  // The heartbeat registered this daemon.
  ASSERT_EQ(c->daemons.size(), 1u);
  EXPECT_EQ(c->daemons[0]["id"], "test-daemon");
  EXPECT_EQ(d.Health(), "");
  EXPECT_EQ(d.Shutdown(), 0);
  EXPECT_EQ(submitter.Counts()->daemons.size(), 0u);
}

TEST(DaemonLoop, ShutdownHandsBackJobsThatOutliveTheGrace) {
  QueueOptions qo;
  qo.visibility_timeout_ms = 60'000;
  qo.consumer = "slow-daemon";
  auto state = std::make_shared<MemoryQueueState>(qo);
  std::atomic<int> runs{0};
  DaemonSettings s;
  s.options.concurrency = 2;
  s.options.shutdown_grace_ms = 100;
  s.queue = qo;
  s.stages = {kStageCrawl};
  DaemonDeps deps;
  deps.queues = MemoryQueueFactory(state);
  deps.handlers = [&runs]() -> Result<std::unique_ptr<JobHandler>> {
    auto h = std::make_unique<TestHandler>();
    h->runs = &runs;
    h->sleep_ms = 1500;
    return std::unique_ptr<JobHandler>(std::move(h));
  };
  Metrics m;
  MemoryQueue submitter(state);
  JobSpec js;
  js.url = "http://slow1.example/";
  std::string id1 = *submitter.Submit(js);
  js.url = "http://slow2.example/";
  std::string id2 = *submitter.Submit(js);
  {
    Daemon d("slow-daemon", &m);
    ASSERT_TRUE(d.Start(s, deps).ok());
    for (int i = 0; i < 200 && d.in_flight() < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(d.in_flight(), 2);
    EXPECT_EQ(d.Shutdown(), 2);
    auto c = submitter.Counts();
    EXPECT_EQ(c->queued, 2);
    EXPECT_EQ(c->in_flight, 0);
    EXPECT_EQ((*submitter.Job(id1))["attempts"], 0);  // refunded
    // Let the detached workers finish before the daemon object goes away.
    std::this_thread::sleep_for(std::chrono::milliseconds(1800));
  }
  // Their late completions were ignored: the jobs are still queued, with no result.
  EXPECT_EQ(submitter.Counts()->queued, 2);
  EXPECT_FALSE(submitter.ResultOf("http://slow1.example/").ok());
}

}  // namespace
}  // namespace dragnet::app
