#include "app/queue_memory.h"

#include <algorithm>
#include <charconv>

#include "core/hash.h"
#include "core/refang.h"
#include "core/url.h"

namespace dragnet::app {

MemoryQueueState::MemoryQueueState(QueueOptions options, const Clock* clock)
    : options_(std::move(options)), clock_(clock ? clock : &SystemClock::Instance()) {}

void MemoryQueueState::SetState(JobRec& j, const std::string& state) {
  j.info["state"] = state;
  j.info["updated_at"] = FormatRfc3339Ms(clock_->NowUnixMs());
  if (state == "done" || state == "dead") j.finished_ms = clock_->MonotonicMs();
}

void MemoryQueueState::Enqueue(const std::string& stream, const std::string& job_id) {
  Entry e;
  e.seq = next_seq_++;
  e.job_id = job_id;
  streams_[stream].waiting.push_back(std::move(e));
  cv_.notify_one();
}

void MemoryQueueState::PromoteDueLocked(int64_t now) {
  for (auto& [id, j] : jobs_) {
    if (j.info.value("state", "") != "retrying" || j.due_ms > now) continue;
    SetState(j, "queued");
    Enqueue(j.info.value("stream", ""), id);
  }
}

namespace {

Delivery MakeDelivery(const nlohmann::json& info, const std::string& stream, uint64_t seq) {
  Delivery d;
  d.job_id = info.value("job_id", "");
  d.stage = info.value("stage", kStageCrawl);
  d.stream = stream;
  d.entry_id = std::to_string(seq);
  d.url = info.value("url", "");
  d.host = info.value("host", "");
  d.force = info.value("force", false);
  return d;
}

// Entry IDs are our own decimal sequence numbers; anything else is 0 (no entry).
uint64_t Seq(const std::string& id) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  return ec == std::errc() && p == id.data() + id.size() ? v : 0;
}

}  // namespace

Result<std::string> MemoryQueue::Submit(const JobSpec& spec) {
  auto url = ParseUrl(RefangSeed(spec.url));  // defanged or bare seeds from the job API
  if (!url.ok()) return url.status();
  std::string id = RandomUuid();
  std::lock_guard<std::mutex> lock(s_->mu_);
  if (s_->jobs_.size() >= MemoryQueueState::kMaxJobs) {
    return LimitExceeded("in-memory queue holds kMaxJobs jobs; configure [redis] url");
  }
  auto& j = s_->jobs_[id];
  std::string stream = s_->names_.SeedStream(spec.priority);
  j.info = {{"job_id", id},
            {"url", url->normalized},
            {"input", spec.url},
            {"host", url->host},
            {"priority", PriorityName(spec.priority)},
            {"tags", spec.tags},
            {"force", spec.force},
            {"source", spec.source},
            {"stage", kStageCrawl},
            {"stream", stream},
            {"submitted_at", FormatRfc3339Ms(s_->clock_->NowUnixMs())}};
  s_->SetState(j, "queued");
  s_->stats_["submitted"]++;
  s_->Enqueue(stream, id);
  return id;
}

std::optional<Delivery> MemoryQueue::TryClaimLocked(const std::vector<std::string>& streams,
                                                    int64_t now) {
  s_->PromoteDueLocked(now);
  // Reclaim first: an entry idle past the visibility timeout belongs to a
  // worker that died or hung.
  for (const auto& name : streams) {
    auto& st = s_->StreamOf(name);
    for (auto& [seq, e] : st.pending) {
      if (now - e.idle_since_ms < s_->options_.visibility_timeout_ms) continue;
      e.owner = s_->options_.consumer;
      e.idle_since_ms = now;
      auto it = s_->jobs_.find(e.job_id);
      if (it == s_->jobs_.end()) continue;
      Delivery d = MakeDelivery(it->second.info, name, seq);
      d.reclaimed = true;
      return d;
    }
  }
  for (const auto& name : streams) {
    auto& st = s_->StreamOf(name);
    while (!st.waiting.empty()) {
      MemoryQueueState::Entry e = std::move(st.waiting.front());
      st.waiting.pop_front();
      auto it = s_->jobs_.find(e.job_id);
      if (it == s_->jobs_.end()) continue;
      e.owner = s_->options_.consumer;
      e.idle_since_ms = now;
      uint64_t seq = e.seq;
      st.pending[seq] = std::move(e);
      return MakeDelivery(it->second.info, name, seq);
    }
  }
  return std::nullopt;
}

Result<std::optional<Delivery>> MemoryQueue::Claim(const std::vector<std::string>& stages,
                                                   int block_ms) {
  std::vector<std::string> streams;
  for (const auto& st : stages) {
    for (auto& s : s_->names_.StageStreams(st)) streams.push_back(std::move(s));
  }
  std::unique_lock<std::mutex> lock(s_->mu_);
  int64_t deadline = s_->clock_->MonotonicMs() + std::max(0, block_ms);
  while (true) {
    int64_t now = s_->clock_->MonotonicMs();
    auto d = TryClaimLocked(streams, now);
    if (d) return d;
    if (now >= deadline || (stop_ && stop_->load())) return std::optional<Delivery>();
    // Wake at least every 100 ms to see due retries, reclaims and stop.
    s_->cv_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(100, deadline - now)));
  }
}

Result<StartResult> MemoryQueue::Start(const Delivery& d) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  auto& st = s_->StreamOf(d.stream);
  auto pit = st.pending.find(Seq(d.entry_id));
  auto jit = s_->jobs_.find(d.job_id);
  StartResult out;
  if (jit == s_->jobs_.end() || pit == st.pending.end()) {
    if (pit != st.pending.end()) st.pending.erase(pit);
    out.outcome = StartOutcome::kGone;
    return out;
  }
  auto& j = jit->second;
  std::string state = j.info.value("state", "");
  if (state == "done" || state == "dead") {
    st.pending.erase(pit);
    out.outcome = StartOutcome::kGone;
    return out;
  }
  int64_t now = s_->clock_->MonotonicMs();
  int att = ++j.attempts;
  if (att > s_->options_.max_attempts) {
    j.attempts = att - 1;
    std::string err = j.info.value("error", "");
    if (err.empty()) err = "attempts exhausted: the job never finished (worker died or hung)";
    j.info["error"] = err;
    s_->dead_.push_back({{"job", d.job_id}, {"url", d.url}, {"stage", d.stage},
                         {"attempts", j.attempts}, {"error", err}});
    s_->SetState(j, "dead");
    s_->stats_["dead_lettered"]++;
    st.pending.erase(pit);
    out.outcome = StartOutcome::kDeadLettered;
    out.attempt = j.attempts;
    return out;
  }
  std::string h = RedisKeys::UrlHash(d.url);
  bool crawl = d.stage == kStageCrawl;
  if (crawl && !d.force) {
    std::string dup;
    auto sit = s_->seen_.find(h);
    if (sit != s_->seen_.end() && sit->second.expires_ms > now) dup = sit->second.value;
    auto cit = s_->crawling_.find(h);
    if (dup.empty() && cit != s_->crawling_.end() && cit->second.expires_ms > now &&
        cit->second.value != d.job_id) {
      dup = cit->second.value;
    }
    if (!dup.empty() && dup != d.job_id) {
      j.attempts = att - 1;
      j.info["duplicate_of"] = dup;
      s_->SetState(j, "done");
      s_->stats_["deduplicated"]++;
      st.pending.erase(pit);
      out.outcome = StartOutcome::kDuplicate;
      out.attempt = j.attempts;
      out.dup_of = dup;
      return out;
    }
  }
  if (crawl) s_->crawling_[h] = {d.job_id, now + s_->options_.visibility_timeout_ms};
  j.info["stage"] = d.stage;
  j.info["daemon"] = s_->options_.consumer;
  s_->SetState(j, "running");
  out.outcome = StartOutcome::kRun;
  out.attempt = att;
  return out;
}

Status MemoryQueue::Complete(const Delivery& d, const std::string& result_json,
                             const std::string& next_stage) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  auto& st = s_->StreamOf(d.stream);
  auto pit = st.pending.find(Seq(d.entry_id));
  if (pit == st.pending.end()) return Status::Ok();  // already acknowledged
  st.pending.erase(pit);
  std::string h = RedisKeys::UrlHash(d.url);
  int64_t now = s_->clock_->MonotonicMs();
  if (!result_json.empty()) s_->results_[h] = result_json;
  if (d.stage == kStageCrawl) {
    if (s_->options_.recrawl_after_ms > 0) {
      s_->seen_[h] = {d.job_id, now + s_->options_.recrawl_after_ms};
    }
    auto cit = s_->crawling_.find(h);
    if (cit != s_->crawling_.end() && cit->second.value == d.job_id) s_->crawling_.erase(cit);
  }
  auto jit = s_->jobs_.find(d.job_id);
  if (jit == s_->jobs_.end()) return Status::Ok();
  auto& j = jit->second;
  j.info.erase("error");
  if (!next_stage.empty()) {
    std::string stream = s_->names_.StageStream(next_stage);
    j.info["stage"] = next_stage;
    j.info["stream"] = stream;
    j.attempts = 0;
    s_->SetState(j, "queued");
    s_->Enqueue(stream, d.job_id);
  } else {
    s_->SetState(j, "done");
    s_->stats_["done"]++;
  }
  return Status::Ok();
}

Status MemoryQueue::Retry(const Delivery& d, const std::string& error, int64_t delay_ms) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  auto& st = s_->StreamOf(d.stream);
  auto pit = st.pending.find(Seq(d.entry_id));
  std::string h = RedisKeys::UrlHash(d.url);
  auto cit = s_->crawling_.find(h);
  if (cit != s_->crawling_.end() && cit->second.value == d.job_id) s_->crawling_.erase(cit);
  if (pit == st.pending.end()) return Status::Ok();
  st.pending.erase(pit);
  auto jit = s_->jobs_.find(d.job_id);
  if (jit == s_->jobs_.end()) return Status::Ok();
  auto& j = jit->second;
  j.info["error"] = error.substr(0, 1024);
  if (j.attempts >= s_->options_.max_attempts) {
    s_->dead_.push_back({{"job", d.job_id}, {"url", d.url}, {"stage", d.stage},
                         {"attempts", j.attempts}, {"error", error.substr(0, 1024)}});
    s_->SetState(j, "dead");
    s_->stats_["dead_lettered"]++;
    return Status::Ok();
  }
  j.due_ms = s_->clock_->MonotonicMs() + std::max<int64_t>(0, delay_ms);
  j.info["stream"] = d.stream;
  s_->SetState(j, "retrying");
  s_->stats_["retried"]++;
  return Status::Ok();
}

Status MemoryQueue::HandBack(const Delivery& d, bool refund) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  auto& st = s_->StreamOf(d.stream);
  auto pit = st.pending.find(Seq(d.entry_id));
  std::string h = RedisKeys::UrlHash(d.url);
  auto cit = s_->crawling_.find(h);
  if (cit != s_->crawling_.end() && cit->second.value == d.job_id) s_->crawling_.erase(cit);
  if (pit == st.pending.end()) return Status::Ok();
  st.pending.erase(pit);
  auto jit = s_->jobs_.find(d.job_id);
  if (jit == s_->jobs_.end()) return Status::Ok();
  auto& j = jit->second;
  std::string state = j.info.value("state", "");
  if (state == "done" || state == "dead") return Status::Ok();
  if (refund && j.attempts > 0) --j.attempts;
  s_->SetState(j, "queued");
  s_->Enqueue(d.stream, d.job_id);
  return Status::Ok();
}

Status MemoryQueue::Touch(const std::vector<Delivery>& in_flight) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  int64_t now = s_->clock_->MonotonicMs();
  for (const auto& d : in_flight) {
    auto& st = s_->StreamOf(d.stream);
    auto pit = st.pending.find(Seq(d.entry_id));
    if (pit == st.pending.end() || pit->second.owner != s_->options_.consumer) continue;
    pit->second.idle_since_ms = now;
    auto cit = s_->crawling_.find(RedisKeys::UrlHash(d.url));
    if (cit != s_->crawling_.end() && cit->second.value == d.job_id) {
      cit->second.expires_ms = now + s_->options_.visibility_timeout_ms;
    }
  }
  return Status::Ok();
}

Status MemoryQueue::Heartbeat(const DaemonInfo& info) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  s_->daemons_[info.id] = {info, s_->clock_->NowUnixMs()};
  return Status::Ok();
}

Status MemoryQueue::Unregister(const std::string& daemon_id) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  s_->daemons_.erase(daemon_id);
  return Status::Ok();
}

Result<std::vector<StreamStat>> MemoryQueue::Streams() {
  std::lock_guard<std::mutex> lock(s_->mu_);
  std::vector<StreamStat> out;
  std::vector<std::string> names = s_->names_.StageStreams(kStageCrawl);
  names.push_back(s_->names_.StageStream(kStageReport));
  for (const auto& n : names) {
    auto& st = s_->StreamOf(n);
    StreamStat s;
    s.name = n;
    s.stage = s_->names_.StageOfStream(n);
    s.lag = static_cast<int64_t>(st.waiting.size());
    s.pending = static_cast<int64_t>(st.pending.size());
    s.length = s.lag + s.pending;
    out.push_back(s);
  }
  return out;
}

Result<QueueCounts> MemoryQueue::Counts() {
  auto streams = Streams();
  if (!streams.ok()) return streams.status();
  std::lock_guard<std::mutex> lock(s_->mu_);
  QueueCounts c;
  for (const auto& [id, j] : s_->jobs_) {
    std::string st = j.info.value("state", "");
    if (st == "queued") c.queued++;
    else if (st == "running") c.in_flight++;
    else if (st == "retrying") c.failed++;
    else if (st == "done") c.done++;
  }
  c.dead_letter = static_cast<int64_t>(s_->dead_.size());
  int64_t now = s_->clock_->NowUnixMs();
  for (const auto& [id, p] : s_->daemons_) {
    const auto& [info, at] = p;
    if (now - at > s_->options_.heartbeat_ttl_ms) continue;
    c.daemons.push_back({{"id", info.id}, {"hostname", info.hostname}, {"pid", info.pid},
                         {"roles", info.roles}, {"concurrency", info.concurrency},
                         {"in_flight", info.in_flight}, {"processed", info.processed},
                         {"started_at", FormatRfc3339Ms(info.started_unix_ms)},
                         {"heartbeat_at", FormatRfc3339Ms(at)}, {"version", info.version}});
  }
  for (const auto& s : *streams) {
    c.streams.push_back({{"name", s.name}, {"stage", s.stage}, {"length", s.length},
                         {"lag", s.lag}, {"pending", s.pending}});
  }
  return c;
}

Result<nlohmann::json> MemoryQueue::Job(const std::string& job_id) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  auto it = s_->jobs_.find(job_id);
  if (it == s_->jobs_.end()) return NotFound("no job " + job_id);
  nlohmann::json j = it->second.info;
  j["attempts"] = it->second.attempts;
  j.erase("stream");
  auto r = s_->results_.find(RedisKeys::UrlHash(j.value("url", "")));
  if (r != s_->results_.end()) {
    auto doc = nlohmann::json::parse(r->second, nullptr, false);
    if (!doc.is_discarded()) j["result"] = std::move(doc);
  }
  return j;
}

Result<std::string> MemoryQueue::ResultOf(const std::string& normalized_url) {
  std::lock_guard<std::mutex> lock(s_->mu_);
  auto r = s_->results_.find(RedisKeys::UrlHash(normalized_url));
  if (r == s_->results_.end()) return NotFound("no result for " + normalized_url);
  return r->second;
}

Status MemoryQueue::Maintain() {
  std::lock_guard<std::mutex> lock(s_->mu_);
  int64_t now = s_->clock_->MonotonicMs();
  for (auto it = s_->jobs_.begin(); it != s_->jobs_.end();) {
    const auto& j = it->second;
    std::string st = j.info.value("state", "");
    bool old = (st == "done" || st == "dead") &&
               now - j.finished_ms > s_->options_.job_retention_ms;
    it = old ? s_->jobs_.erase(it) : std::next(it);
  }
  for (auto* m : {&s_->seen_, &s_->crawling_}) {
    for (auto it = m->begin(); it != m->end();) {
      it = it->second.expires_ms <= now ? m->erase(it) : std::next(it);
    }
  }
  return Status::Ok();
}

QueueFactory MemoryQueueFactory(std::shared_ptr<MemoryQueueState> state) {
  return [state]() -> Result<std::unique_ptr<Queue>> {
    return std::unique_ptr<Queue>(std::make_unique<MemoryQueue>(state));
  };
}

}  // namespace dragnet::app
