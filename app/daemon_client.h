#pragma once
// JobClient: how `dragnet submit` and `dragnet status` reach the queue.
// With [redis] url they talk to Redis directly (RedisQueue); without it they
// talk to the embedded daemon's job API on [daemon] api_listen (apart from
// /metrics), every request with `Authorization: Bearer <token>` (401
// without; the token: [daemon] api_token, else <state_dir>/api-token, which
// the daemon creates owner-only, so a user on the same machine who can read
// the state folder needs no configuration):
//   POST /v1/jobs   {"url": U, "priority": P, "tags": [...], "force": B}
//                   -> 200 {"job_id": ID} | 400 {"error": MSG}
//   GET  /v1/status -> {queued, in_flight, done, failed, dead_letter, daemons, streams}
//   GET  /v1/job?id=ID -> the job (404 when unknown)
// Every call gives up after `timeout_ms` (Redis down, daemon gone) with
// kUnavailable instead of hanging.
//
// Threads: one thread at a time.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/config.h"
#include "app/queue.h"

namespace httplib {
class Server;
}

namespace dragnet::app {

class JobClient {
 public:
  virtual ~JobClient() = default;
  virtual Result<std::string> Submit(const JobSpec& spec) = 0;
  virtual Result<QueueCounts> Counts() = 0;
  virtual Result<nlohmann::json> Job(const std::string& job_id) = 0;
};

Result<std::unique_ptr<JobClient>> OpenJobClient(const Config& config, int64_t timeout_ms = 30'000);

// The status document (`dragnet status --json`).
nlohmann::json CountsToJson(const QueueCounts& c);
Result<QueueCounts> CountsFromJson(const nlohmann::json& j);

// Adds the job API routes above to `server`, backed by queues from `queues`
// (the embedded daemon's MemoryQueue); every /v1/ request must carry
// `token` as its Bearer token.
void AddJobApiRoutes(httplib::Server& server, QueueFactory queues, const std::string& token);

// The job API's token: [daemon] api_token, else <state_dir>/api-token. With
// `create` (the daemon), a missing file is created with 32 random bytes (hex,
// mode 0600); without, it is kNotFound saying where to find one.
Result<std::string> JobApiToken(const Config& config, bool create);

}  // namespace dragnet::app
