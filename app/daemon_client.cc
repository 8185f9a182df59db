#include "core/json.h"
#include "app/daemon_client.h"

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "app/metrics.h"
#include "app/queue_redis.h"
#include "core/fs.h"
#include "core/hash.h"

namespace dragnet::app {
namespace {

// A request body of the job API: one URL plus a few flags.
constexpr size_t kMaxApiBodyBytes = 64 << 10;

// ------------------------------------------------------------ Redis ---

class RedisJobClient final : public JobClient {
 public:
  RedisJobClient(RedisEndpoint ep, std::string prefix, QueueOptions qo, int64_t timeout_ms)
      : q_(std::move(ep), std::move(prefix), std::move(qo)), timeout_ms_(timeout_ms) {
    q_.SetStopFlag(&stop_);
    watchdog_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms_), [this] { return done_; });
      stop_ = true;
    });
  }
  ~RedisJobClient() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    watchdog_.join();
  }
  Status Init() { return q_.Init(); }
  Result<std::string> Submit(const JobSpec& spec) override { return q_.Submit(spec); }
  Result<QueueCounts> Counts() override { return q_.Counts(); }
  Result<nlohmann::json> Job(const std::string& id) override { return q_.Job(id); }

 private:
  RedisQueue q_;
  int64_t timeout_ms_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread watchdog_;
};

// ------------------------------------------------------------- HTTP ---

class HttpJobClient final : public JobClient {
 public:
  HttpJobClient(std::string host, int port, int64_t timeout_ms, const std::string& token)
      : where_(host + ":" + std::to_string(port)), cli_(host, port) {
    cli_.set_bearer_token_auth(token);
    time_t s = static_cast<time_t>(timeout_ms / 1000);
    cli_.set_connection_timeout(s, 0);
    cli_.set_read_timeout(s, 0);
    cli_.set_write_timeout(s, 0);
  }

  Result<std::string> Submit(const JobSpec& spec) override {
    nlohmann::json body = {{"url", spec.url},     {"priority", PriorityName(spec.priority)},
                           {"tags", spec.tags},   {"force", spec.force},
                           {"source", spec.source}};
    auto res = cli_.Post("/v1/jobs", DumpJson(body), "application/json");
    auto doc = Parse(res);
    if (!doc.ok()) return doc.status();
    if (res->status != 200) return Error(*doc, res->status);
    if (!doc->contains("job_id")) return ParseError("job API: reply without job_id");
    return (*doc)["job_id"].get<std::string>();
  }

  Result<QueueCounts> Counts() override {
    auto res = cli_.Get("/v1/status");
    auto doc = Parse(res);
    if (!doc.ok()) return doc.status();
    if (res->status != 200) return Error(*doc, res->status);
    return CountsFromJson(*doc);
  }

  Result<nlohmann::json> Job(const std::string& id) override {
    auto res = cli_.Get("/v1/job?id=" + httplib::detail::encode_query_param(id));
    auto doc = Parse(res);
    if (!doc.ok()) return doc.status();
    if (res->status != 200) return Error(*doc, res->status);
    return *doc;
  }

 private:
  Result<nlohmann::json> Parse(const httplib::Result& res) {
    if (!res) {
      return Unavailable("no dragnet daemon answers on " + where_ +
                         " (start `dragnet daemon`, or set [redis] url): " +
                         httplib::to_string(res.error()));
    }
    auto doc = nlohmann::json::parse(res->body, nullptr, false);
    if (doc.is_discarded()) return ParseError("job API on " + where_ + ": reply is not JSON");
    return doc;
  }
  static Status Error(const nlohmann::json& doc, int status) {
    std::string msg = doc.value("error", "HTTP " + std::to_string(status));
    if (status == 404) return NotFound(msg);
    if (status == 400) return InvalidArgument(msg);
    return Unavailable(msg);
  }

  std::string where_;
  httplib::Client cli_;
};

}  // namespace

nlohmann::json CountsToJson(const QueueCounts& c) {
  return {{"queued", c.queued},         {"in_flight", c.in_flight}, {"done", c.done},
          {"failed", c.failed},         {"dead_letter", c.dead_letter},
          {"daemons", c.daemons},       {"streams", c.streams}};
}

Result<QueueCounts> CountsFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return ParseError("status is not a JSON object");
  QueueCounts c;
  c.queued = j.value("queued", int64_t{0});
  c.in_flight = j.value("in_flight", int64_t{0});
  c.done = j.value("done", int64_t{0});
  c.failed = j.value("failed", int64_t{0});
  c.dead_letter = j.value("dead_letter", int64_t{0});
  if (j.contains("daemons") && j["daemons"].is_array()) c.daemons = j["daemons"];
  if (j.contains("streams") && j["streams"].is_array()) c.streams = j["streams"];
  return c;
}

Result<std::unique_ptr<JobClient>> OpenJobClient(const Config& config, int64_t timeout_ms) {
  const auto& d = config.daemon;
  if (!d.redis_url.empty()) {
    auto ep = ParseRedisUrl(d.redis_url);
    if (!ep.ok()) return InvalidArgument("redis.url: " + ep.status().message());
    QueueOptions qo;
    qo.consumer = "cli";
    auto c = std::make_unique<RedisJobClient>(*ep, d.key_prefix, qo, timeout_ms);
    Status st = c->Init();
    if (!st.ok()) return st;
    return std::unique_ptr<JobClient>(std::move(c));
  }
  if (d.api_listen.empty()) {
    return InvalidArgument("no [redis] url and no [daemon] api_listen: nowhere to send jobs");
  }
  auto addr = ParseListenAddress(d.api_listen);
  if (!addr.ok()) return InvalidArgument("daemon.api_listen: " + addr.status().message());
  auto token = JobApiToken(config, /*create=*/false);
  if (!token.ok()) return token.status();
  std::string host = addr->host == "0.0.0.0" ? "127.0.0.1" : addr->host;
  return std::unique_ptr<JobClient>(std::make_unique<HttpJobClient>(host, addr->port, timeout_ms, *token));
}

Result<std::string> JobApiToken(const Config& config, bool create) {
  if (!config.daemon.api_token.empty()) return config.daemon.api_token;
  const std::string path = config.general.state_dir + "/api-token";
  auto text = ReadFile(path, 4096);
  if (text.ok()) {
    std::string t = *text;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    if (t.size() < 16) return Corrupt(path + ": the job API token is shorter than 16 characters");
    return t;
  }
  if (!create) {
    return NotFound("no job API token: " + path + " cannot be read (" + text.status().message() +
                    "); run where the daemon runs, as a user who can read its state folder, or set "
                    "[daemon] api_token");
  }
  DRAGNET_RETURN_IF_ERROR(MakeDirs(config.general.state_dir));
  std::string token = RandomHex(32);
  // Owner-only from the first byte: created 0600, never widened.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return JobApiToken(config, false);  // another daemon won the race
    return IoError(path + ": " + std::strerror(errno));
  }
  std::string line = token + "\n";
  ssize_t n = ::write(fd, line.data(), line.size());
  bool ok = n == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return IoError(path + ": cannot write the job API token");
  return token;
}

void AddJobApiRoutes(httplib::Server& server, QueueFactory queues, const std::string& token) {
  auto reply = [](httplib::Response& res, int status, const nlohmann::json& j) {
    res.status = status;
    res.set_content(DumpJson(j), "application/json");
  };
  // Every /v1/ route needs the token (compared in constant time).
  const std::string want = "Bearer " + token;
  server.set_pre_routing_handler([want, reply](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/v1/", 0) != 0) return httplib::Server::HandlerResponse::Unhandled;
    const std::string got = req.get_header_value("Authorization");
    bool match = got.size() == want.size();
    unsigned char diff = 0;
    for (size_t i = 0; match && i < want.size(); ++i) diff |= static_cast<unsigned char>(got[i] ^ want[i]);
    if (match && diff == 0) return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", "Bearer realm=\"dragnet job API\"");
    reply(res, 401, {{"error", "the job API needs its token: Authorization: Bearer <[daemon] api_token or "
                               "<state_dir>/api-token>"}});
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Post("/v1/jobs", [queues, reply](const httplib::Request& req, httplib::Response& res) {
    if (req.body.size() > kMaxApiBodyBytes) return reply(res, 413, {{"error", "body too large"}});
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("url") || !j["url"].is_string()) {
      return reply(res, 400, {{"error", "expected {\"url\": \"...\"}"}});
    }
    JobSpec spec;
    spec.url = j["url"].get<std::string>();
    if (!ParsePriority(j.value("priority", "normal"), spec.priority)) {
      return reply(res, 400, {{"error", "priority must be high, normal or low"}});
    }
    if (j.contains("tags") && j["tags"].is_array()) {
      for (const auto& t : j["tags"]) {
        if (t.is_string()) spec.tags.push_back(t.get<std::string>());
      }
    }
    spec.force = j.value("force", false);
    spec.source = j.value("source", "api");
    auto q = queues();
    if (!q.ok()) return reply(res, 503, {{"error", q.status().message()}});
    auto id = (*q)->Submit(spec);
    if (!id.ok()) {
      int code = id.status().code() == Code::kLimitExceeded ? 503 : 400;
      return reply(res, code, {{"error", id.status().message()}});
    }
    reply(res, 200, {{"job_id", *id}});
  });
  server.Get("/v1/status", [queues, reply](const httplib::Request&, httplib::Response& res) {
    auto q = queues();
    if (!q.ok()) return reply(res, 503, {{"error", q.status().message()}});
    auto c = (*q)->Counts();
    if (!c.ok()) return reply(res, 503, {{"error", c.status().message()}});
    reply(res, 200, CountsToJson(*c));
  });
  server.Get("/v1/job", [queues, reply](const httplib::Request& req, httplib::Response& res) {
    auto q = queues();
    if (!q.ok()) return reply(res, 503, {{"error", q.status().message()}});
    auto j = (*q)->Job(req.get_param_value("id"));
    if (!j.ok()) {
      return reply(res, j.status().code() == Code::kNotFound ? 404 : 503,
                   {{"error", j.status().message()}});
    }
    reply(res, 200, *j);
  });
}

}  // namespace dragnet::app
