// RedisQueue, RedisClient and RedisHostGate against a real redis-server
// (tests/harness/redis.h: 127.0.0.1, free port, AOF with appendfsync always).

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "app/politeness.h"
#include "app/queue_redis.h"
#include "app/redis.h"
#include "tests/harness/redis.h"

namespace dragnet::app {
namespace {

using dragnet::testing::RedisServer;
using dragnet::testing::RedisServerOptions;

QueueOptions Opts(const std::string& consumer, int64_t visibility_ms = 60'000) {
  QueueOptions o;
  o.visibility_timeout_ms = visibility_ms;
  o.max_attempts = 3;
  o.recrawl_after_ms = 60'000;
  o.consumer = consumer;
  return o;
}

std::unique_ptr<RedisQueue> Open(const RedisServer& r, const std::string& consumer,
                                 int64_t visibility_ms = 60'000, const std::string& prefix = "t") {
  auto ep = ParseRedisUrl(r.Url());
  EXPECT_TRUE(ep.ok());
  auto q = std::make_unique<RedisQueue>(*ep, prefix, Opts(consumer, visibility_ms));
  Status st = q->Init();
  EXPECT_TRUE(st.ok()) << st.ToString();
  return q;
}

std::string Submit(RedisQueue& q, const std::string& url, Priority p = Priority::kNormal) {
  JobSpec s;
  s.url = url;
  s.priority = p;
  auto id = q.Submit(s);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : "";
}

Delivery ClaimOne(RedisQueue& q, int block_ms = 0) {
  auto c = q.Claim({kStageCrawl}, block_ms);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c.ok() && c->has_value());
  return c.ok() && c->has_value() ? **c : Delivery{};
}

// ---------------------------------------------------------------- connect ---

TEST(RedisConnect, PasswordAclUserUnixSocketAndDb) {
  RedisServerOptions o;
  o.requirepass = "topsecret";
  o.acl_user = "crawler";
  o.acl_password = "crawlpass";
  o.unix_socket = true;
  RedisServer r(o);
  // ACL user, db 2 (URL from the harness).
  {
    auto ep = ParseRedisUrl(r.Url(2));
    ASSERT_TRUE(ep.ok());
    EXPECT_EQ(ep->user, "crawler");
    RedisClient c(*ep);
    auto v = c.Command({"SET", "k", "in-db-2"});
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(r.Cli({"-n", "2", "GET", "k"}), "in-db-2");
    EXPECT_EQ(r.Cli({"-n", "0", "EXISTS", "k"}), "0");
  }
  // Password only (the default user).
  {
    auto ep = ParseRedisUrl("redis://:topsecret@127.0.0.1:" + std::to_string(r.port()) + "/0");
    RedisClient c(*ep);
    EXPECT_TRUE(c.Command({"PING"}).ok());
  }
  // Unix socket with db and credentials in the query.
  {
    auto ep = ParseRedisUrl("unix://" + r.socket_path() + "?db=3&user=crawler&password=crawlpass");
    ASSERT_TRUE(ep.ok());
    RedisClient c(*ep);
    ASSERT_TRUE(c.Command({"SET", "s", "via-socket"}).ok());
    EXPECT_EQ(r.Cli({"-n", "3", "GET", "s"}), "via-socket");
  }
  // Wrong password: refused, clearly, and not retried forever.
  {
    auto ep = ParseRedisUrl("redis://crawler:wrong@127.0.0.1:" + std::to_string(r.port()));
    RedisClient c(*ep);
    auto v = c.CommandRetry({"PING"});
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), Code::kRefused);
    EXPECT_NE(v.status().message().find("AUTH failed"), std::string::npos);
    EXPECT_EQ(v.status().message().find("wrong"), std::string::npos) << "password leaked";
  }
  // No credentials at all.
  {
    auto ep = ParseRedisUrl("redis://127.0.0.1:" + std::to_string(r.port()));
    RedisClient c(*ep);
    auto v = c.Command({"GET", "k"});
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), Code::kRefused);
  }
}

TEST(RedisConnect, ReconnectsAfterRestartAndReloadsScripts) {
  RedisServer r;
  auto q = Open(r, "d1");
  std::string id = Submit(*q, "http://before-restart.example/");
  r.Stop();
  // A command while Redis is down waits (backoff) and succeeds once it is back.
  std::thread restart([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    r.Start();
  });
  std::string id2 = Submit(*q, "http://during-restart.example/");  // EVALSHA -> NOSCRIPT -> EVAL
  restart.join();
  EXPECT_FALSE(id2.empty());
  EXPECT_GE(q->client().reconnects(), 1u);
  // Both jobs survived (AOF): the first from before the stop, the second after.
  auto c = q->Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->queued, 2);
  EXPECT_EQ(ClaimOne(*q).job_id, id);
  EXPECT_EQ(ClaimOne(*q).job_id, id2);
}

// ------------------------------------------------------------------ queue ---

TEST(RedisQueueTest, PriorityOrderAndResultDurableBeforeAck) {
  RedisServer r;
  auto q = Open(r, "d1");
  Submit(*q, "http://low.example/", Priority::kLow);
  Submit(*q, "http://normal.example/", Priority::kNormal);
  std::string high = Submit(*q, "http://high.example/", Priority::kHigh);
  Delivery d = ClaimOne(*q);
  EXPECT_EQ(d.job_id, high);
  EXPECT_EQ(d.host, "high.example");
  EXPECT_EQ(ClaimOne(*q).url, "http://normal.example/");
  EXPECT_EQ(ClaimOne(*q).url, "http://low.example/");
  auto s = q->Start(d);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->outcome, StartOutcome::kRun);
  EXPECT_EQ(s->attempt, 1);
  EXPECT_EQ(r.Cli({"XPENDING", "{t}:stream:crawl:high", "dragnet"}).substr(0, 1), "1");
  ASSERT_TRUE(q->Complete(d, R"({"seed":"http://high.example/"})", "").ok());
  // Acknowledged, and the result is there under the URL's key.
  EXPECT_EQ(r.Cli({"XPENDING", "{t}:stream:crawl:high", "dragnet"}).substr(0, 1), "0");
  EXPECT_EQ(r.Cli({"GET", "{t}:result:" + RedisKeys::UrlHash("http://high.example/")}),
            R"({"seed":"http://high.example/"})");
  auto j = q->Job(high);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["state"], "done");
  EXPECT_EQ((*j)["result"]["seed"], "http://high.example/");
  // A resent Complete (lost reply) neither doubles nor rewrites anything.
  ASSERT_TRUE(q->Complete(d, R"({"seed":"changed"})", "").ok());
  EXPECT_EQ((*q->Job(high))["result"]["seed"], "http://high.example/");
  EXPECT_EQ(q->Counts()->done, 1);
  // Every key lives under the one hash tag.
  std::string keys = r.Cli({"KEYS", "*"});
  size_t start = 0;
  while (start < keys.size()) {
    size_t nl = keys.find('\n', start);
    std::string k = keys.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    EXPECT_EQ(k.rfind("{t}:", 0), 0u) << k;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

TEST(RedisQueueTest, DedupeAcrossConsumersUnlessForced) {
  RedisServer r;
  auto a = Open(r, "a");
  auto b = Open(r, "b");
  Submit(*a, "http://dup.example/");
  Submit(*a, "http://dup.example/");
  Delivery da = ClaimOne(*a);
  Delivery db = ClaimOne(*b);
  ASSERT_EQ(a->Start(da)->outcome, StartOutcome::kRun);
  auto sb = b->Start(db);
  EXPECT_EQ(sb->outcome, StartOutcome::kDuplicate);  // a is crawling it right now
  EXPECT_EQ(sb->dup_of, da.job_id);
  ASSERT_TRUE(a->Complete(da, "{}", "").ok());
  Submit(*b, "http://dup.example/");
  EXPECT_EQ(b->Start(ClaimOne(*b))->outcome, StartOutcome::kDuplicate);  // crawled recently
  JobSpec forced;
  forced.url = "http://dup.example/";
  forced.force = true;
  ASSERT_TRUE(b->Submit(forced).ok());
  EXPECT_EQ(b->Start(ClaimOne(*b))->outcome, StartOutcome::kRun);
  auto c = a->Counts();
  EXPECT_EQ(c->done, 3);
  EXPECT_EQ(c->in_flight, 1);
}

TEST(RedisQueueTest, DeadConsumerIsReclaimedAfterVisibilityTimeout) {
  RedisServer r;
  auto dead = Open(r, "dead", 400);
  auto live = Open(r, "live", 400);
  std::string id = Submit(*dead, "http://orphan.example/");
  Delivery d = ClaimOne(*dead);
  ASSERT_EQ(dead->Start(d)->outcome, StartOutcome::kRun);
  dead.reset();  // "kill -9": no ack, no hand back
  auto none = live->Claim({kStageCrawl}, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "reclaimed before the visibility timeout";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // > visibility and reclaim interval
  Delivery back = ClaimOne(*live);
  EXPECT_EQ(back.job_id, id);
  EXPECT_TRUE(back.reclaimed);
  auto s = live->Start(back);
  EXPECT_EQ(s->outcome, StartOutcome::kRun);
  EXPECT_EQ(s->attempt, 2);
  ASSERT_TRUE(live->Complete(back, "{}", "").ok());
  EXPECT_EQ(live->Counts()->done, 1);
  EXPECT_EQ(r.Cli({"XPENDING", "{t}:stream:crawl:normal", "dragnet"}).substr(0, 1), "0");
}

TEST(RedisQueueTest, TouchKeepsABusyJobFromBeingReclaimed) {
  RedisServer r;
  auto busy = Open(r, "busy", 400);
  auto other = Open(r, "other", 400);
  Submit(*busy, "http://long.example/");
  Delivery d = ClaimOne(*busy);
  ASSERT_EQ(busy->Start(d)->outcome, StartOutcome::kRun);
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    ASSERT_TRUE(busy->Touch({d}).ok());
    auto c = other->Claim({kStageCrawl}, 0);
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(c->has_value()) << "reclaimed while its owner was touching it";
  }
  // Touch never steals back an entry someone else reclaimed.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  Delivery stolen = ClaimOne(*other);
  EXPECT_TRUE(stolen.reclaimed);
  ASSERT_TRUE(busy->Touch({d}).ok());
  std::string owner = r.Cli({"XPENDING", "{t}:stream:crawl:normal", "dragnet", "-", "+", "10"});
  EXPECT_NE(owner.find("other"), std::string::npos) << owner;
  EXPECT_EQ(owner.find("busy"), std::string::npos) << owner;
}

TEST(RedisQueueTest, RetryWithBackoffThenDeadLetter) {
  RedisServer r;
  auto q = Open(r, "d1");
  std::string id = Submit(*q, "http://poison.example/");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    Delivery d = ClaimOne(*q, attempt == 1 ? 0 : 3000);
    ASSERT_EQ(d.job_id, id) << "attempt " << attempt;
    auto s = q->Start(d);
    ASSERT_EQ(s->outcome, StartOutcome::kRun);
    EXPECT_EQ(s->attempt, attempt);
    ASSERT_TRUE(q->Retry(d, "connect: Connection refused", 300).ok());
    if (attempt < 3) {
      EXPECT_EQ(q->Counts()->failed, 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // due + reclaim interval
    }
  }
  auto c = q->Counts();
  EXPECT_EQ(c->dead_letter, 1);
  EXPECT_EQ(c->failed, 0);
  EXPECT_EQ(c->queued, 0);
  std::string dl = r.Cli({"XRANGE", "{t}:stream:dead", "-", "+"});
  EXPECT_NE(dl.find(id), std::string::npos);
  EXPECT_NE(dl.find("connect: Connection refused"), std::string::npos);
  EXPECT_EQ((*q->Job(id))["state"], "dead");
}

TEST(RedisQueueTest, CrashLoopIsDeadLetteredByTheAttemptCounter) {
  RedisServer r;
  std::string id;
  {
    auto q = Open(r, "first", 200);
    id = Submit(*q, "http://crashes-the-worker.example/");
  }
  for (int i = 0; i < 3; ++i) {
    auto q = Open(r, "w" + std::to_string(i), 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(i == 0 ? 0 : 400));
    Delivery d = ClaimOne(*q, 1000);
    ASSERT_EQ(d.job_id, id);
    ASSERT_EQ(q->Start(d)->outcome, StartOutcome::kRun);
    // the worker dies here
  }
  auto q = Open(r, "last", 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  Delivery d = ClaimOne(*q, 1000);
  EXPECT_EQ(q->Start(d)->outcome, StartOutcome::kDeadLettered);
  EXPECT_EQ(q->Counts()->dead_letter, 1);
  EXPECT_NE((*q->Job(id))["error"].get<std::string>().find("never finished"), std::string::npos);
}

TEST(RedisQueueTest, HandBackAndForwardToNextStage) {
  RedisServer r;
  auto q = Open(r, "d1");
  std::string id = Submit(*q, "http://handback.example/");
  Delivery d = ClaimOne(*q);
  ASSERT_EQ(q->Start(d)->attempt, 1);
  ASSERT_TRUE(q->HandBack(d, true).ok());
  ASSERT_TRUE(q->HandBack(d, true).ok());  // resent: no second entry
  EXPECT_EQ(q->Counts()->queued, 1);
  Delivery again = ClaimOne(*q);
  EXPECT_EQ(again.job_id, id);
  EXPECT_EQ(q->Start(again)->attempt, 1);  // refunded
  ASSERT_TRUE(q->Complete(again, R"({"crawled":true})", kStageReport).ok());
  ASSERT_TRUE(q->Complete(again, R"({"crawled":true})", kStageReport).ok());  // resent
  EXPECT_EQ(r.Cli({"XLEN", "{t}:stream:report"}), "1");
  auto rep = q->Claim({kStageReport}, 0);
  ASSERT_TRUE(rep.ok() && rep->has_value());
  EXPECT_EQ((*rep)->stage, kStageReport);
  ASSERT_EQ(q->Start(**rep)->outcome, StartOutcome::kRun);
  ASSERT_TRUE(q->Complete(**rep, R"({"reported":true})", "").ok());
  EXPECT_EQ((*q->Job(id))["result"]["reported"], true);
  EXPECT_EQ(q->Counts()->done, 1);
}

TEST(RedisQueueTest, MaintainTrimsOnlyAcknowledgedEntries) {
  RedisServer r;
  auto q = Open(r, "d1");
  for (int i = 0; i < 5; ++i) Submit(*q, "http://trim" + std::to_string(i) + ".example/");
  for (int i = 0; i < 3; ++i) {
    Delivery d = ClaimOne(*q);
    ASSERT_EQ(q->Start(d)->outcome, StartOutcome::kRun);
    ASSERT_TRUE(q->Complete(d, "{}", "").ok());
  }
  Delivery pending = ClaimOne(*q);  // delivered, not acknowledged
  ASSERT_TRUE(q->Maintain().ok());
  EXPECT_EQ(r.Cli({"XLEN", "{t}:stream:crawl:normal"}), "2");  // pending + undelivered kept
  ASSERT_EQ(q->Start(pending)->outcome, StartOutcome::kRun);
  ASSERT_TRUE(q->Complete(pending, "{}", "").ok());
  Delivery last = ClaimOne(*q);
  EXPECT_EQ(last.url, "http://trim4.example/");
}

// ------------------------------------------------------------- politeness ---

TEST(RedisHostGateTest, CapAndDelayHoldAcrossClients) {
  RedisServer r;
  auto ep = ParseRedisUrl(r.Url());
  GateOptions g;
  g.per_host_cap = 2;
  g.min_delay_ms = 0;
  g.lease_ttl_ms = 600;
  RedisHostGate one(*ep, "t", g), two(*ep, "t", g);
  EXPECT_TRUE(one.Acquire("shop.example", "a")->granted);
  EXPECT_TRUE(two.Acquire("shop.example", "b")->granted);
  auto c = two.Acquire("shop.example", "c");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->granted);
  EXPECT_GT(c->retry_after_ms, 0);
  EXPECT_TRUE(one.Acquire("other.example", "c")->granted);
  ASSERT_TRUE(one.Release("shop.example", "a").ok());
  EXPECT_TRUE(two.Acquire("shop.example", "c")->granted);
  // A holder that vanished (kill -9) stops counting after lease_ttl.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_TRUE(one.Acquire("shop.example", "d")->granted);

  GateOptions slow = g;
  slow.per_host_cap = 10;
  slow.min_delay_ms = 300;
  RedisHostGate x(*ep, "t", slow), y(*ep, "t", slow);
  EXPECT_TRUE(x.Acquire("slow.example", "1")->granted);
  auto w = y.Acquire("slow.example", "2");
  EXPECT_FALSE(w->granted);
  EXPECT_GT(w->retry_after_ms, 200);
  EXPECT_LE(w->retry_after_ms, 300);
  std::this_thread::sleep_for(std::chrono::milliseconds(w->retry_after_ms + 20));
  EXPECT_TRUE(y.Acquire("slow.example", "2")->granted);
}

}  // namespace
}  // namespace dragnet::app
