#pragma once
// RedisClient: one synchronous hiredis (0.14) connection with the habits the
// daemon needs: connect by URL, AUTH (password or ACL user), SELECT, a name
// for CLIENT LIST, reconnect with capped exponential backoff, every reply
// checked and copied into a bounded RedisValue, Lua scripts by SHA with a
// fallback to EVAL when the server forgot them (a restarted Redis has an
// empty script cache).
//
// URLs (ParseRedisUrl):
//   redis://[[user]:password@]host[:port][/db]    tcp, default port 6379
//   unix:///path/to/redis.sock[?db=N][&user=U][&password=P]
// Credentials may be percent-encoded. rediss:// is refused: hiredis 0.14 has
// no TLS.
//
// Limits: hiredis 0.14 parses a whole reply before handing it over and has no
// element cap of its own (only REDIS_READER_MAX_BUF, the idle buffer it keeps,
// which we set explicitly). So every command we send bounds its reply (COUNT
// on stream reads, writes capped at kMaxValueBytes), and the copy into
// RedisValue refuses replies deeper than kMaxReplyDepth, with more than
// kMaxReplyElements elements or kMaxReplyBytes bytes in total.
//
// Threads: a RedisClient is used by one thread at a time (hiredis contexts
// are not thread-safe); each daemon thread owns its own client. RedisValue
// is a plain value.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct redisContext;

namespace dragnet::app {

// ------------------------------------------------------------- endpoint ---

struct RedisEndpoint {
  bool unix_socket = false;
  std::string host = "127.0.0.1";  // tcp only; IPv6 without brackets
  int port = 6379;                 // tcp only
  std::string path;                // unix only
  int db = 0;
  std::string user;                // ACL user; empty: AUTH with the password alone
  std::string password;            // empty: no AUTH

  // The URL with the password replaced by "***", for logs and status.
  std::string Redacted() const;
};

// Parses a redis:// or unix:// URL. Errors say what is wrong with it.
Result<RedisEndpoint> ParseRedisUrl(std::string_view url);

// ---------------------------------------------------------------- value ---

// A reply, copied out of hiredis. Error replies never become values: the
// client turns them into a Status.
struct RedisValue {
  enum class Type { kNil, kStatus, kInteger, kString, kArray };
  Type type = Type::kNil;
  int64_t integer = 0;
  std::string str;                 // kStatus and kString
  std::vector<RedisValue> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_array() const { return type == Type::kArray; }
  bool is_string() const { return type == Type::kString || type == Type::kStatus; }
  bool is_integer() const { return type == Type::kInteger; }
  // Integer replies, or strings holding an integer (HGET of a counter).
  Result<int64_t> AsInt() const;
};

// ---------------------------------------------------------------- client ---

struct RedisClientOptions {
  int64_t connect_timeout_ms = 2000;   // one TCP/unix connect attempt
  int64_t command_timeout_ms = 10000;  // socket read/write timeout; must exceed any BLOCK we send
  int64_t backoff_initial_ms = 100;    // first reconnect delay, doubled per failure ...
  int64_t backoff_max_ms = 5000;       // ... up to this
  std::string client_name = "dragnet"; // CLIENT SETNAME (visible in CLIENT LIST)
};

// A Lua script and its SHA1, computed once.
class RedisScript {
 public:
  explicit RedisScript(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha() const { return sha_; }

 private:
  std::string source_;
  std::string sha_;
};

class RedisClient {
 public:
  // Reply caps (see the header comment). A stream read of COUNT 100 entries
  // with small fields is far below them; a result document is capped at
  // kMaxValueBytes by the writer.
  static constexpr int kMaxReplyDepth = 8;             // streams nest 5 deep (XAUTOCLAIM)
  static constexpr size_t kMaxReplyElements = 100'000; // all arrays of one reply together
  static constexpr size_t kMaxReplyBytes = 64u << 20;  // all strings of one reply together
  static constexpr size_t kMaxValueBytes = 16u << 20;  // one value we write (a result JSON)

  RedisClient(RedisEndpoint endpoint, RedisClientOptions options = {});
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  const RedisEndpoint& endpoint() const { return endpoint_; }
  bool connected() const { return ctx_ != nullptr; }

  // One connect attempt (AUTH, SELECT, SETNAME). Drops any old connection.
  Status Connect();
  void Disconnect();

  // Sends one command once. Connection errors drop the connection and come
  // back as kUnavailable (so does a server that is LOADING after a restart);
  // error replies come back as a Status carrying Redis' error text.
  Result<RedisValue> Command(const std::vector<std::string>& argv);

  // Like Command, but reconnects and resends with backoff while the error is
  // kUnavailable, until it works, `stop` turns true, or `deadline_ms`
  // (monotonic; 0 = none) passes. Only for commands that are safe to send
  // twice (reads, and writes whose script checks for a previous run).
  Result<RedisValue> CommandRetry(const std::vector<std::string>& argv,
                                  const std::atomic<bool>* stop = nullptr,
                                  int64_t deadline_ms = 0);

  // EVALSHA, falling back to EVAL on NOSCRIPT; retried like CommandRetry.
  Result<RedisValue> Eval(const RedisScript& script, const std::vector<std::string>& keys,
                          const std::vector<std::string>& args,
                          const std::atomic<bool>* stop = nullptr, int64_t deadline_ms = 0);

  // Connection failures since construction (for metrics and tests).
  uint64_t reconnects() const { return reconnects_; }

 private:
  Result<RedisValue> RawCommand(const std::vector<std::string>& argv);
  bool SleepBackoff(int64_t& delay_ms, const std::atomic<bool>* stop, int64_t deadline_ms);

  RedisEndpoint endpoint_;
  RedisClientOptions options_;
  redisContext* ctx_ = nullptr;
  uint64_t reconnects_ = 0;
};

// Copies a hiredis reply into a RedisValue, enforcing the caps above.
// Exposed for tests; `reply` is a redisReply*.
Result<RedisValue> CopyReply(const void* reply, int max_depth = RedisClient::kMaxReplyDepth,
                             size_t max_elements = RedisClient::kMaxReplyElements,
                             size_t max_bytes = RedisClient::kMaxReplyBytes);

}  // namespace dragnet::app
