#include "core/json.h"
#include "app/queue_redis.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "core/clock.h"
#include "core/hash.h"
#include "core/refang.h"
#include "core/url.h"

namespace dragnet::app {
namespace {

// ---------------------------------------------------------------- scripts ---
//
// Key convention shared by every script: KEYS[1..5] are the state zsets
// (queued, running, retrying, done, dead), KEYS[6] the stats hash, KEYS[7]
// the job hash; the script's own keys follow. Declaring every key keeps the
// scripts valid on Redis Cluster (all keys share the {prefix} hash tag).

const char* kPrelude = R"LUA(
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local STATES = {queued = 0, running = 1, retrying = 2, done = 3, dead = 4}
local function setstate(id, st, now)
  for i = 1, 5 do redis.call('ZREM', KEYS[i], id) end
  redis.call('ZADD', KEYS[1 + STATES[st]], now, id)
end
)LUA";

std::string Lua(const char* body) { return std::string(kPrelude) + body; }

// ARGV: id url input host priority tags force source stage
// KEYS[8] stream
const RedisScript& SubmitScript() {
  static const RedisScript s(Lua(R"LUA(
if redis.call('EXISTS', KEYS[7]) == 1 then return 0 end
local now = now_ms()
local eid = redis.call('XADD', KEYS[8], '*', 'job', ARGV[1], 'url', ARGV[2], 'host', ARGV[4],
                       'force', ARGV[7], 'stage', ARGV[9])
redis.call('HSET', KEYS[7], 'id', ARGV[1], 'url', ARGV[2], 'input', ARGV[3], 'host', ARGV[4],
           'priority', ARGV[5], 'tags', ARGV[6], 'force', ARGV[7], 'source', ARGV[8],
           'state', 'queued', 'stage', ARGV[9], 'attempts', 0, 'submitted_at', now,
           'updated_at', now, 'stream', KEYS[8], 'entry', eid)
setstate(ARGV[1], 'queued', now)
redis.call('HINCRBY', KEYS[6], 'submitted', 1)
return 1
)LUA"));
  return s;
}

// ARGV: id entry group max_attempts force visibility_ms consumer stage dedupe retention_ms
// KEYS[8] stream, KEYS[9] dead-letter stream, KEYS[10] seen, KEYS[11] crawling
const RedisScript& StartScript() {
  static const RedisScript s(Lua(R"LUA(
local id = ARGV[1]
local st = redis.call('HGET', KEYS[7], 'state')
if (not st) or st == 'done' or st == 'dead' then
  redis.call('XACK', KEYS[8], ARGV[3], ARGV[2])
  return {'gone', 0, ''}
end
local now = now_ms()
local att = redis.call('HINCRBY', KEYS[7], 'attempts', 1)
if att > tonumber(ARGV[4]) then
  local err = redis.call('HGET', KEYS[7], 'error')
  if (not err) or err == '' then err = 'attempts exhausted: the job never finished (worker died or hung)' end
  redis.call('XADD', KEYS[9], '*', 'job', id, 'url', redis.call('HGET', KEYS[7], 'url') or '',
             'stage', ARGV[8], 'attempts', att - 1, 'error', err, 'at', now)
  redis.call('HSET', KEYS[7], 'state', 'dead', 'attempts', att - 1, 'updated_at', now, 'error', err)
  setstate(id, 'dead', now)
  redis.call('HINCRBY', KEYS[6], 'dead_lettered', 1)
  if tonumber(ARGV[10]) > 0 then redis.call('PEXPIRE', KEYS[7], ARGV[10]) end
  redis.call('XACK', KEYS[8], ARGV[3], ARGV[2])
  return {'dead', att - 1, ''}
end
if ARGV[9] == '1' and ARGV[5] ~= '1' then
  local dup = redis.call('GET', KEYS[10])
  if not dup then
    local holder = redis.call('GET', KEYS[11])
    if holder and holder ~= id then dup = holder end
  end
  if dup and dup ~= id then
    redis.call('HSET', KEYS[7], 'state', 'done', 'dup_of', dup, 'attempts', att - 1,
               'updated_at', now)
    setstate(id, 'done', now)
    redis.call('HINCRBY', KEYS[6], 'deduplicated', 1)
    if tonumber(ARGV[10]) > 0 then redis.call('PEXPIRE', KEYS[7], ARGV[10]) end
    redis.call('XACK', KEYS[8], ARGV[3], ARGV[2])
    return {'dup', att - 1, dup}
  end
end
if ARGV[9] == '1' then redis.call('SET', KEYS[11], id, 'PX', ARGV[6]) end
redis.call('HSET', KEYS[7], 'state', 'running', 'stage', ARGV[8], 'daemon', ARGV[7],
           'updated_at', now, 'stream', KEYS[8], 'entry', ARGV[2])
setstate(id, 'running', now)
return {'run', att, ''}
)LUA"));
  return s;
}

// ARGV: id entry group result recrawl_ms next_stage is_crawl retention_ms url host force
// KEYS[8] stream, KEYS[9] result, KEYS[10] seen, KEYS[11] crawling, KEYS[12] next stream
const RedisScript& CompleteScript() {
  static const RedisScript s(Lua(R"LUA(
local acked = redis.call('XACK', KEYS[8], ARGV[3], ARGV[2])
if acked == 0 then return 0 end
local now = now_ms()
local id = ARGV[1]
if ARGV[4] ~= '' then redis.call('SET', KEYS[9], ARGV[4]) end
if ARGV[7] == '1' then
  if tonumber(ARGV[5]) > 0 then redis.call('SET', KEYS[10], id, 'PX', ARGV[5]) end
  if redis.call('GET', KEYS[11]) == id then redis.call('DEL', KEYS[11]) end
end
if redis.call('EXISTS', KEYS[7]) == 0 then return 1 end
if ARGV[6] ~= '' then
  local eid = redis.call('XADD', KEYS[12], '*', 'job', id, 'url', ARGV[9], 'host', ARGV[10],
                         'force', ARGV[11], 'stage', ARGV[6])
  redis.call('HSET', KEYS[7], 'state', 'queued', 'stage', ARGV[6], 'attempts', 0,
             'updated_at', now, 'result_key', KEYS[9], 'stream', KEYS[12], 'entry', eid,
             'error', '')
  setstate(id, 'queued', now)
else
  redis.call('HSET', KEYS[7], 'state', 'done', 'updated_at', now, 'result_key', KEYS[9],
             'finished_at', now, 'error', '')
  setstate(id, 'done', now)
  redis.call('HINCRBY', KEYS[6], 'done', 1)
  if tonumber(ARGV[8]) > 0 then redis.call('PEXPIRE', KEYS[7], ARGV[8]) end
end
return 1
)LUA"));
  return s;
}

// ARGV: id entry group error max_attempts retention_ms delay_ms stage
// KEYS[8] stream, KEYS[9] dead-letter stream, KEYS[10] crawling, KEYS[11] delayed
const RedisScript& RetryScript() {
  static const RedisScript s(Lua(R"LUA(
local acked = redis.call('XACK', KEYS[8], ARGV[3], ARGV[2])
local id = ARGV[1]
if redis.call('GET', KEYS[10]) == id then redis.call('DEL', KEYS[10]) end
if acked == 0 or redis.call('EXISTS', KEYS[7]) == 0 then return 'gone' end
local now = now_ms()
local att = tonumber(redis.call('HGET', KEYS[7], 'attempts') or '0')
if att >= tonumber(ARGV[5]) then
  redis.call('XADD', KEYS[9], '*', 'job', id, 'url', redis.call('HGET', KEYS[7], 'url') or '',
             'stage', ARGV[8], 'attempts', att, 'error', ARGV[4], 'at', now)
  redis.call('HSET', KEYS[7], 'state', 'dead', 'updated_at', now, 'error', ARGV[4])
  setstate(id, 'dead', now)
  redis.call('HINCRBY', KEYS[6], 'dead_lettered', 1)
  if tonumber(ARGV[6]) > 0 then redis.call('PEXPIRE', KEYS[7], ARGV[6]) end
  return 'dead'
end
redis.call('HSET', KEYS[7], 'state', 'retrying', 'updated_at', now, 'error', ARGV[4],
           'stream', KEYS[8], 'entry', '')
setstate(id, 'retrying', now)
redis.call('ZADD', KEYS[11], now + tonumber(ARGV[7]), id)
redis.call('HINCRBY', KEYS[6], 'retried', 1)
return 'retry'
)LUA"));
  return s;
}

// Moves one due job from the delayed zset back onto its stream.
// ARGV: id; KEYS[8] delayed, KEYS[9] stream
const RedisScript& PromoteScript() {
  static const RedisScript s(Lua(R"LUA(
if redis.call('ZREM', KEYS[8], ARGV[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[7]) == 0 then return 0 end
local now = now_ms()
local h = redis.call('HMGET', KEYS[7], 'url', 'host', 'force', 'stage')
local eid = redis.call('XADD', KEYS[9], '*', 'job', ARGV[1], 'url', h[1] or '', 'host', h[2] or '',
                       'force', h[3] or '0', 'stage', h[4] or 'crawl')
redis.call('HSET', KEYS[7], 'state', 'queued', 'updated_at', now, 'stream', KEYS[9], 'entry', eid)
setstate(ARGV[1], 'queued', now)
return 1
)LUA"));
  return s;
}

// ARGV: id entry group refund url host force stage
// KEYS[8] stream, KEYS[9] crawling
const RedisScript& HandBackScript() {
  static const RedisScript s(Lua(R"LUA(
local acked = redis.call('XACK', KEYS[8], ARGV[3], ARGV[2])
local id = ARGV[1]
if redis.call('GET', KEYS[9]) == id then redis.call('DEL', KEYS[9]) end
if acked == 0 or redis.call('EXISTS', KEYS[7]) == 0 then return 0 end
local st = redis.call('HGET', KEYS[7], 'state')
if st == 'done' or st == 'dead' then return 0 end
local now = now_ms()
if ARGV[4] == '1' and tonumber(redis.call('HGET', KEYS[7], 'attempts') or '0') > 0 then
  redis.call('HINCRBY', KEYS[7], 'attempts', -1)
end
local eid = redis.call('XADD', KEYS[8], '*', 'job', id, 'url', ARGV[5], 'host', ARGV[6],
                       'force', ARGV[7], 'stage', ARGV[8])
redis.call('HSET', KEYS[7], 'state', 'queued', 'updated_at', now, 'stream', KEYS[8], 'entry', eid)
setstate(id, 'queued', now)
return 1
)LUA"));
  return s;
}

// Resets the idle time of an entry this consumer still owns, and keeps the
// URL's crawling marker alive. A consumer never steals back an entry that
// another daemon has reclaimed.
// KEYS[1] stream, KEYS[2] crawling; ARGV: group consumer entry id visibility_ms
const RedisScript& TouchScript() {
  static const RedisScript s(R"LUA(
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
if #p == 0 then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
if redis.call('GET', KEYS[2]) == ARGV[4] then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return 1
)LUA");
  return s;
}

// ---------------------------------------------------------------- helpers ---

std::map<std::string, std::string> FieldMap(const RedisValue& v) {
  std::map<std::string, std::string> m;
  if (!v.is_array()) return m;
  for (size_t i = 0; i + 1 < v.elements.size(); i += 2) {
    const auto& k = v.elements[i];
    const auto& val = v.elements[i + 1];
    if (!k.is_string()) continue;
    if (val.is_string()) m[k.str] = val.str;
    else if (val.is_integer()) m[k.str] = std::to_string(val.integer);
  }
  return m;
}

int64_t ToInt(const std::string& s, int64_t dflt = 0) {
  RedisValue v;
  v.type = RedisValue::Type::kString;
  v.str = s;
  auto r = v.AsInt();
  return r.ok() ? *r : dflt;
}

std::string StreamOfPriority(const RedisKeys& k, const std::string& p) {
  Priority pr = Priority::kNormal;
  ParsePriority(p, pr);
  return k.SeedStream(pr);
}

}  // namespace

// ------------------------------------------------------------------ queue ---

RedisQueue::RedisQueue(RedisEndpoint endpoint, std::string key_prefix, QueueOptions options,
                       RedisClientOptions client_options)
    : client_(std::move(endpoint), std::move(client_options)),
      keys_(std::move(key_prefix)),
      options_(std::move(options)) {}

Status RedisQueue::Init() {
  auto r = client_.CommandRetry({"PING"}, stop_, SystemClock::Instance().MonotonicMs() + 5000);
  if (!r.ok()) return r.status();
  return EnsureGroups();
}

Status RedisQueue::EnsureGroups() {
  std::vector<std::string> streams = keys_.StageStreams(kStageCrawl);
  streams.push_back(keys_.StageStream(kStageReport));
  for (const auto& s : streams) {
    auto r = client_.CommandRetry({"XGROUP", "CREATE", s, kConsumerGroup, "0", "MKSTREAM"}, stop_);
    if (!r.ok() && r.status().message().rfind("BUSYGROUP", 0) != 0) return r.status();
  }
  groups_ready_ = true;
  return Status::Ok();
}

Result<RedisValue> RedisQueue::Run(const RedisScript& s, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args) {
  return client_.Eval(s, keys, args, stop_);
}

namespace {
std::vector<std::string> BaseKeys(const RedisKeys& k, const std::string& job_id) {
  std::vector<std::string> keys;
  for (const auto& st : RedisKeys::States()) keys.push_back(k.State(st));
  keys.push_back(k.Stats());
  keys.push_back(k.Job(job_id));
  return keys;
}
}  // namespace

Result<std::string> RedisQueue::Submit(const JobSpec& spec) {
  auto url = ParseUrl(RefangSeed(spec.url));  // defanged or bare seeds from the job API
  if (!url.ok()) return url.status();
  std::string id = RandomUuid();
  nlohmann::json tags = spec.tags;
  auto keys = BaseKeys(keys_, id);
  keys.push_back(keys_.SeedStream(spec.priority));
  // The job ID is chosen here, so resending after a lost reply finds the
  // job already there and adds nothing.
  auto r = Run(SubmitScript(), keys,
               {id, url->normalized, spec.url, url->host, PriorityName(spec.priority), DumpJson(tags),
                spec.force ? "1" : "0", spec.source, kStageCrawl});
  if (!r.ok()) return r.status();
  return id;
}

Result<Delivery> RedisQueue::ToDelivery(const std::string& stream, const RedisValue& entry) {
  if (!entry.is_array() || entry.elements.size() < 2 || !entry.elements[0].is_string()) {
    return ParseError("malformed stream entry on " + stream);
  }
  Delivery d;
  d.stream = stream;
  d.entry_id = entry.elements[0].str;
  auto f = FieldMap(entry.elements[1]);
  d.job_id = f["job"];
  d.url = f["url"];
  d.host = f["host"];
  d.force = f["force"] == "1";
  d.stage = f["stage"].empty() ? keys_.StageOfStream(stream) : f["stage"];
  if (d.job_id.empty()) return ParseError("stream entry " + d.entry_id + " on " + stream + " has no job");
  return d;
}

Status RedisQueue::PromoteDue() {
  auto t = client_.CommandRetry({"TIME"}, stop_);
  if (!t.ok()) return t.status();
  if (!t->is_array() || t->elements.size() != 2) return ParseError("bad TIME reply");
  auto sec = t->elements[0].AsInt();
  auto usec = t->elements[1].AsInt();
  if (!sec.ok() || !usec.ok()) return ParseError("bad TIME reply");
  int64_t now = *sec * 1000 + *usec / 1000;
  // At most kReclaimCount jobs per call; the rest wait for the next round.
  auto due = client_.CommandRetry({"ZRANGEBYSCORE", keys_.Delayed(), "-inf", std::to_string(now),
                                   "LIMIT", "0", std::to_string(kReclaimCount)},
                                  stop_);
  if (!due.ok()) return due.status();
  for (const auto& e : due->elements) {
    if (!e.is_string()) continue;
    auto h = client_.CommandRetry({"HMGET", keys_.Job(e.str), "stream", "priority", "stage"}, stop_);
    if (!h.ok()) return h.status();
    std::string stream;
    if (h->is_array() && h->elements.size() == 3) {
      const auto& stage = h->elements[2].str;
      stream = stage == kStageCrawl || stage.empty()
                   ? StreamOfPriority(keys_, h->elements[1].str)
                   : keys_.StageStream(stage);
    }
    if (stream.empty()) stream = keys_.SeedStream(Priority::kNormal);
    auto keys = BaseKeys(keys_, e.str);
    keys.push_back(keys_.Delayed());
    keys.push_back(stream);
    auto r = Run(PromoteScript(), keys, {e.str});
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

Result<std::optional<Delivery>> RedisQueue::Reclaim(const std::vector<std::string>& streams) {
  for (const auto& s : streams) {
    auto r = client_.CommandRetry({"XAUTOCLAIM", s, kConsumerGroup, options_.consumer,
                                   std::to_string(options_.visibility_timeout_ms), "0-0", "COUNT",
                                   "1"},
                                  stop_);
    if (!r.ok()) return r.status();
    if (!r->is_array() || r->elements.size() < 2 || !r->elements[1].is_array()) {
      return ParseError("bad XAUTOCLAIM reply on " + s);
    }
    for (const auto& entry : r->elements[1].elements) {
      if (!entry.is_array() || entry.elements.size() < 2 || entry.elements[1].is_nil()) continue;
      auto d = ToDelivery(s, entry);
      if (!d.ok()) {
        // A malformed entry can never run: acknowledge it so it stops coming back.
        spdlog::warn("queue: dropping malformed entry on {}: {}", s, d.status().message());
        auto ack = client_.CommandRetry({"XACK", s, kConsumerGroup, entry.elements[0].str}, stop_);
        (void)ack;
        continue;
      }
      d->reclaimed = true;
      return std::optional<Delivery>(std::move(d).value());
    }
  }
  return std::optional<Delivery>();
}

Result<std::optional<Delivery>> RedisQueue::ReadNew(const std::vector<std::string>& streams,
                                                    int block_ms) {
  auto parse = [&](const RedisValue& v) -> Status {
    if (v.is_nil()) return Status::Ok();
    if (!v.is_array()) return ParseError("bad XREADGROUP reply");
    // Reply order follows the STREAMS order we sent (priority order).
    for (const auto& sv : v.elements) {
      if (!sv.is_array() || sv.elements.size() != 2 || !sv.elements[0].is_string()) {
        return ParseError("bad XREADGROUP stream reply");
      }
      for (const auto& e : sv.elements[1].elements) {
        auto d = ToDelivery(sv.elements[0].str, e);
        if (!d.ok()) {
          spdlog::warn("queue: dropping malformed entry: {}", d.status().message());
          if (e.is_array() && !e.elements.empty() && e.elements[0].is_string()) {
            auto ack = client_.CommandRetry(
                {"XACK", sv.elements[0].str, kConsumerGroup, e.elements[0].str}, stop_);
            (void)ack;
          }
          continue;
        }
        buffered_.push_back(std::move(d).value());
      }
    }
    return Status::Ok();
  };
  for (const auto& s : streams) {
    auto r = client_.CommandRetry(
        {"XREADGROUP", "GROUP", kConsumerGroup, options_.consumer, "COUNT", "1", "STREAMS", s, ">"},
        stop_);
    if (!r.ok()) return r.status();
    DRAGNET_RETURN_IF_ERROR(parse(*r));
    if (!buffered_.empty()) {
      Delivery d = std::move(buffered_.front());
      buffered_.pop_front();
      return std::optional<Delivery>(std::move(d));
    }
  }
  if (block_ms <= 0) return std::optional<Delivery>();
  std::vector<std::string> argv = {"XREADGROUP", "GROUP", kConsumerGroup, options_.consumer,
                                   "COUNT", "1", "BLOCK", std::to_string(block_ms), "STREAMS"};
  argv.insert(argv.end(), streams.begin(), streams.end());
  for (size_t i = 0; i < streams.size(); ++i) argv.push_back(">");
  auto r = client_.CommandRetry(argv, stop_);
  if (!r.ok()) return r.status();
  DRAGNET_RETURN_IF_ERROR(parse(*r));
  if (buffered_.empty()) return std::optional<Delivery>();
  Delivery d = std::move(buffered_.front());
  buffered_.pop_front();
  return std::optional<Delivery>(std::move(d));
}

Result<std::optional<Delivery>> RedisQueue::Claim(const std::vector<std::string>& stages,
                                                  int block_ms) {
  if (!buffered_.empty()) {
    Delivery d = std::move(buffered_.front());
    buffered_.pop_front();
    return std::optional<Delivery>(std::move(d));
  }
  if (!groups_ready_) DRAGNET_RETURN_IF_ERROR(EnsureGroups());
  std::vector<std::string> streams;
  for (const auto& st : stages) {
    for (auto& s : keys_.StageStreams(st)) streams.push_back(std::move(s));
  }
  if (streams.empty()) return std::optional<Delivery>();
  int64_t now = SystemClock::Instance().MonotonicMs();
  if (now - last_reclaim_ms_ >= kReclaimIntervalMs) {
    last_reclaim_ms_ = now;
    DRAGNET_RETURN_IF_ERROR(PromoteDue());
    auto r = Reclaim(streams);
    if (!r.ok()) {
      if (r.status().message().rfind("NOGROUP", 0) == 0) groups_ready_ = false;
      return r.status();
    }
    if (r->has_value()) return r;
  }
  auto r = ReadNew(streams, block_ms);
  if (!r.ok() && r.status().message().rfind("NOGROUP", 0) == 0) groups_ready_ = false;
  return r;
}

Result<StartResult> RedisQueue::Start(const Delivery& d) {
  std::string h = RedisKeys::UrlHash(d.url);
  auto keys = BaseKeys(keys_, d.job_id);
  keys.push_back(d.stream);
  keys.push_back(keys_.DeadLetter());
  keys.push_back(keys_.Seen(h));
  keys.push_back(keys_.Crawling(h));
  bool crawl = d.stage == kStageCrawl;
  auto r = Run(StartScript(), keys,
               {d.job_id, d.entry_id, kConsumerGroup, std::to_string(options_.max_attempts),
                d.force ? "1" : "0", std::to_string(options_.visibility_timeout_ms),
                options_.consumer, d.stage, crawl ? "1" : "0",
                std::to_string(options_.job_retention_ms)});
  if (!r.ok()) return r.status();
  if (!r->is_array() || r->elements.size() != 3) return ParseError("bad Start script reply");
  StartResult out;
  const std::string& what = r->elements[0].str;
  auto att = r->elements[1].AsInt();
  out.attempt = att.ok() ? static_cast<int>(*att) : 0;
  out.dup_of = r->elements[2].str;
  if (what == "run") out.outcome = StartOutcome::kRun;
  else if (what == "dup") out.outcome = StartOutcome::kDuplicate;
  else if (what == "dead") out.outcome = StartOutcome::kDeadLettered;
  else out.outcome = StartOutcome::kGone;
  return out;
}

Status RedisQueue::Complete(const Delivery& d, const std::string& result_json,
                            const std::string& next_stage) {
  if (result_json.size() > RedisClient::kMaxValueBytes) {
    return LimitExceeded("result of " + d.url + " is larger than kMaxValueBytes");
  }
  std::string h = RedisKeys::UrlHash(d.url);
  auto keys = BaseKeys(keys_, d.job_id);
  keys.push_back(d.stream);
  keys.push_back(keys_.Result(h));
  keys.push_back(keys_.Seen(h));
  keys.push_back(keys_.Crawling(h));
  keys.push_back(next_stage.empty() ? d.stream : keys_.StageStream(next_stage));
  auto r = Run(CompleteScript(), keys,
               {d.job_id, d.entry_id, kConsumerGroup, result_json,
                std::to_string(options_.recrawl_after_ms), next_stage,
                d.stage == kStageCrawl ? "1" : "0", std::to_string(options_.job_retention_ms),
                d.url, d.host, d.force ? "1" : "0"});
  return r.ok() ? Status::Ok() : r.status();
}

Status RedisQueue::Retry(const Delivery& d, const std::string& error, int64_t delay_ms) {
  std::string h = RedisKeys::UrlHash(d.url);
  auto keys = BaseKeys(keys_, d.job_id);
  keys.push_back(d.stream);
  keys.push_back(keys_.DeadLetter());
  keys.push_back(keys_.Crawling(h));
  keys.push_back(keys_.Delayed());
  auto r = Run(RetryScript(), keys,
               {d.job_id, d.entry_id, kConsumerGroup, error.substr(0, 1024),
                std::to_string(options_.max_attempts), std::to_string(options_.job_retention_ms),
                std::to_string(std::max<int64_t>(0, delay_ms)), d.stage});
  return r.ok() ? Status::Ok() : r.status();
}

Status RedisQueue::HandBack(const Delivery& d, bool refund) {
  std::string h = RedisKeys::UrlHash(d.url);
  auto keys = BaseKeys(keys_, d.job_id);
  keys.push_back(d.stream);
  keys.push_back(keys_.Crawling(h));
  auto r = Run(HandBackScript(), keys,
               {d.job_id, d.entry_id, kConsumerGroup, refund ? "1" : "0", d.url, d.host,
                d.force ? "1" : "0", d.stage});
  return r.ok() ? Status::Ok() : r.status();
}

Status RedisQueue::Touch(const std::vector<Delivery>& in_flight) {
  size_t n = 0;
  for (const auto& d : in_flight) {
    if (++n > kMaxTouchBatch) break;
    auto r = Run(TouchScript(), {d.stream, keys_.Crawling(RedisKeys::UrlHash(d.url))},
                 {kConsumerGroup, options_.consumer, d.entry_id, d.job_id,
                  std::to_string(options_.visibility_timeout_ms)});
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

// -------------------------------------------------------------- heartbeat ---

Status RedisQueue::Heartbeat(const DaemonInfo& info) {
  nlohmann::json roles = info.roles;
  int64_t now = SystemClock::Instance().NowUnixMs();
  std::string key = keys_.Daemon(info.id);
  auto r = client_.CommandRetry(
      {"HSET", key, "id", info.id, "hostname", info.hostname, "pid", std::to_string(info.pid),
       "roles", DumpJson(roles), "concurrency", std::to_string(info.concurrency), "in_flight",
       std::to_string(info.in_flight), "processed", std::to_string(info.processed), "started_at",
       FormatRfc3339Ms(info.started_unix_ms), "heartbeat_at", FormatRfc3339Ms(now), "version",
       info.version},
      stop_);
  if (!r.ok()) return r.status();
  r = client_.CommandRetry({"PEXPIRE", key, std::to_string(options_.heartbeat_ttl_ms)}, stop_);
  if (!r.ok()) return r.status();
  r = client_.CommandRetry({"ZADD", keys_.Daemons(), std::to_string(now), info.id}, stop_);
  if (!r.ok()) return r.status();
  // Forget daemons silent for a day (they are long gone from the live list).
  r = client_.CommandRetry({"ZREMRANGEBYSCORE", keys_.Daemons(), "-inf",
                            std::to_string(now - 24LL * 3600 * 1000)},
                           stop_);
  return r.ok() ? Status::Ok() : r.status();
}

Status RedisQueue::Unregister(const std::string& daemon_id) {
  auto r = client_.CommandRetry({"DEL", keys_.Daemon(daemon_id)}, stop_,
                                SystemClock::Instance().MonotonicMs() + 2000);
  if (!r.ok()) return r.status();
  r = client_.CommandRetry({"ZREM", keys_.Daemons(), daemon_id}, stop_,
                           SystemClock::Instance().MonotonicMs() + 2000);
  return r.ok() ? Status::Ok() : r.status();
}

// ----------------------------------------------------------------- status ---

Result<std::vector<StreamStat>> RedisQueue::Streams() {
  std::vector<std::string> streams = keys_.StageStreams(kStageCrawl);
  streams.push_back(keys_.StageStream(kStageReport));
  std::vector<StreamStat> out;
  for (const auto& s : streams) {
    StreamStat st;
    st.name = s;
    st.stage = keys_.StageOfStream(s);
    auto len = client_.CommandRetry({"XLEN", s}, stop_);
    if (!len.ok()) return len.status();
    st.length = len->AsInt().ok() ? *len->AsInt() : 0;
    auto g = client_.CommandRetry({"XINFO", "GROUPS", s}, stop_);
    if (!g.ok()) {
      if (g.status().message().find("no such key") != std::string::npos) {
        out.push_back(st);
        continue;
      }
      return g.status();
    }
    for (const auto& grp : g->elements) {
      auto f = FieldMap(grp);
      if (f["name"] != kConsumerGroup) continue;
      st.pending = ToInt(f["pending"]);
      // lag is nil when Redis cannot tell (after deletions): count from length.
      st.lag = f.count("lag") ? ToInt(f["lag"]) : std::max<int64_t>(0, st.length - st.pending);
    }
    out.push_back(st);
  }
  return out;
}

Result<QueueCounts> RedisQueue::Counts() {
  QueueCounts c;
  std::map<std::string, int64_t> n;
  for (const auto& st : RedisKeys::States()) {
    auto r = client_.CommandRetry({"ZCARD", keys_.State(st)}, stop_);
    if (!r.ok()) return r.status();
    n[st] = r->AsInt().ok() ? *r->AsInt() : 0;
  }
  c.queued = n["queued"];
  c.in_flight = n["running"];
  c.failed = n["retrying"];
  c.done = n["done"];
  auto dl = client_.CommandRetry({"XLEN", keys_.DeadLetter()}, stop_);
  if (!dl.ok()) return dl.status();
  c.dead_letter = dl->AsInt().ok() ? *dl->AsInt() : 0;
  auto ids = client_.CommandRetry({"ZREVRANGE", keys_.Daemons(), "0", "999"}, stop_);
  if (!ids.ok()) return ids.status();
  for (const auto& id : ids->elements) {
    auto h = client_.CommandRetry({"HGETALL", keys_.Daemon(id.str)}, stop_);
    if (!h.ok()) return h.status();
    auto f = FieldMap(*h);
    if (f.empty()) continue;  // heartbeat expired: not live
    nlohmann::json d = {{"id", f["id"]},
                        {"hostname", f["hostname"]},
                        {"pid", ToInt(f["pid"])},
                        {"concurrency", ToInt(f["concurrency"])},
                        {"in_flight", ToInt(f["in_flight"])},
                        {"processed", ToInt(f["processed"])},
                        {"started_at", f["started_at"]},
                        {"heartbeat_at", f["heartbeat_at"]},
                        {"version", f["version"]}};
    d["roles"] = nlohmann::json::parse(f["roles"], nullptr, false);
    if (d["roles"].is_discarded()) d["roles"] = nlohmann::json::array();
    c.daemons.push_back(std::move(d));
  }
  auto streams = Streams();
  if (!streams.ok()) return streams.status();
  for (const auto& s : *streams) {
    c.streams.push_back({{"name", s.name}, {"stage", s.stage}, {"length", s.length},
                         {"lag", s.lag}, {"pending", s.pending}});
  }
  return c;
}

Result<nlohmann::json> RedisQueue::Job(const std::string& job_id) {
  auto h = client_.CommandRetry({"HGETALL", keys_.Job(job_id)}, stop_);
  if (!h.ok()) return h.status();
  auto f = FieldMap(*h);
  if (f.empty()) return NotFound("no job " + job_id);
  nlohmann::json j = {{"job_id", job_id},
                      {"url", f["url"]},
                      {"input", f["input"]},
                      {"priority", f["priority"]},
                      {"state", f["state"]},
                      {"stage", f["stage"]},
                      {"attempts", ToInt(f["attempts"])},
                      {"force", f["force"] == "1"},
                      {"source", f["source"]},
                      {"submitted_at", FormatRfc3339Ms(ToInt(f["submitted_at"]))},
                      {"updated_at", FormatRfc3339Ms(ToInt(f["updated_at"]))}};
  j["tags"] = nlohmann::json::parse(f["tags"], nullptr, false);
  if (j["tags"].is_discarded()) j["tags"] = nlohmann::json::array();
  if (!f["error"].empty()) j["error"] = f["error"];
  if (!f["dup_of"].empty()) j["duplicate_of"] = f["dup_of"];
  if (!f["daemon"].empty()) j["daemon"] = f["daemon"];
  auto res = ResultOf(f["url"]);
  if (res.ok()) {
    auto doc = nlohmann::json::parse(*res, nullptr, false);
    if (!doc.is_discarded()) j["result"] = std::move(doc);
  } else if (res.status().code() != Code::kNotFound) {
    return res.status();
  }
  return j;
}

Result<std::string> RedisQueue::ResultOf(const std::string& normalized_url) {
  auto r = client_.CommandRetry({"GET", keys_.Result(RedisKeys::UrlHash(normalized_url))}, stop_);
  if (!r.ok()) return r.status();
  if (r->is_nil()) return NotFound("no result for " + normalized_url);
  return r->str;
}

// ------------------------------------------------------------- upkeep ---

Status RedisQueue::Maintain() {
  // Trim acknowledged entries: everything older than both the oldest
  // pending entry and the group's last delivered ID has been acknowledged.
  std::vector<std::string> streams = keys_.StageStreams(kStageCrawl);
  streams.push_back(keys_.StageStream(kStageReport));
  for (const auto& s : streams) {
    auto g = client_.CommandRetry({"XINFO", "GROUPS", s}, stop_);
    if (!g.ok()) continue;
    std::string last;
    for (const auto& grp : g->elements) {
      auto f = FieldMap(grp);
      if (f["name"] == kConsumerGroup) last = f["last-delivered-id"];
    }
    if (last.empty()) continue;
    auto p = client_.CommandRetry({"XPENDING", s, kConsumerGroup}, stop_);
    if (!p.ok()) return p.status();
    std::string minid = last;
    if (p->is_array() && p->elements.size() >= 2 && p->elements[1].is_string()) {
      minid = p->elements[1].str;  // smallest pending ID
    }
    auto t = client_.CommandRetry({"XTRIM", s, "MINID", minid}, stop_);
    if (!t.ok()) return t.status();
  }
  // Cap the dead-letter stream: analysts read it, but it must not grow
  // without bound when a feed floods us with poison.
  constexpr int64_t kMaxDeadLetters = 100'000;
  auto t = client_.CommandRetry(
      {"XTRIM", keys_.DeadLetter(), "MAXLEN", "~", std::to_string(kMaxDeadLetters)}, stop_);
  if (!t.ok()) return t.status();
  // Forget finished jobs after job_retention (their hashes expire on their own).
  int64_t cutoff = SystemClock::Instance().NowUnixMs() - options_.job_retention_ms;
  for (const char* st : {"done", "dead"}) {
    auto r = client_.CommandRetry(
        {"ZREMRANGEBYSCORE", keys_.State(st), "-inf", std::to_string(cutoff)}, stop_);
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

QueueFactory RedisQueueFactory(RedisEndpoint endpoint, std::string key_prefix,
                               QueueOptions options) {
  return [endpoint, key_prefix, options]() -> Result<std::unique_ptr<Queue>> {
    auto q = std::make_unique<RedisQueue>(endpoint, key_prefix, options);
    // Init retries until Redis answers; a daemon started before Redis waits.
    Status st = q->Init();
    if (!st.ok()) return st;
    return std::unique_ptr<Queue>(std::move(q));
  };
}

}  // namespace dragnet::app
