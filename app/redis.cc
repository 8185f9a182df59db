#include "app/redis.h"

#include <hiredis/hiredis.h>
#include <openssl/evp.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "core/clock.h"
#include "core/hash.h"

namespace dragnet::app {
namespace {

// ------------------------------------------------------------ URL parsing ---

// The longest URL we accept: a socket path (108 bytes) plus credentials fit
// easily; anything longer is a pasting accident.
constexpr size_t kMaxRedisUrlLength = 2048;
// Redis' default `databases` is 16; servers may raise it, so allow a lot
// more but keep the number sane.
constexpr int kMaxDb = 1 << 16;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return InvalidArgument("truncated percent-escape in Redis URL");
    }
    int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) return InvalidArgument("bad percent-escape in Redis URL");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

Result<int> ParseInt(std::string_view s, int lo, int hi, const char* what) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) {
    return InvalidArgument(std::string("Redis URL: bad ") + what + " '" + std::string(s) + "'");
  }
  return v;
}

Status ParseUserInfo(std::string_view ui, RedisEndpoint& ep) {
  auto colon = ui.find(':');
  if (colon == std::string_view::npos) {
    // "redis://secret@host": a lone token is a password, as redis-cli reads it.
    auto pw = PercentDecode(ui);
    if (!pw.ok()) return pw.status();
    ep.password = *pw;
    return Status::Ok();
  }
  auto user = PercentDecode(ui.substr(0, colon));
  if (!user.ok()) return user.status();
  auto pw = PercentDecode(ui.substr(colon + 1));
  if (!pw.ok()) return pw.status();
  ep.user = *user;
  ep.password = *pw;
  if (!ep.user.empty() && ep.password.empty()) {
    return InvalidArgument("Redis URL names user '" + ep.user + "' without a password");
  }
  return Status::Ok();
}

// "db=3&user=u&password=p" for unix:// URLs.
Status ParseQuery(std::string_view q, RedisEndpoint& ep) {
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view kv = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (kv.empty()) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument("Redis URL: query parameter '" + std::string(kv) + "' has no value");
    }
    std::string_view k = kv.substr(0, eq);
    auto v = PercentDecode(kv.substr(eq + 1));
    if (!v.ok()) return v.status();
    if (k == "db") {
      auto db = ParseInt(*v, 0, kMaxDb, "database number");
      if (!db.ok()) return db.status();
      ep.db = *db;
    } else if (k == "user") {
      ep.user = *v;
    } else if (k == "password") {
      ep.password = *v;
    } else {
      return InvalidArgument("Redis URL: unknown query parameter '" + std::string(k) +
                             "' (db, user, password)");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  if (url.size() > kMaxRedisUrlLength) return InvalidArgument("Redis URL is too long");
  RedisEndpoint ep;
  if (url.rfind("rediss://", 0) == 0) {
    return InvalidArgument("rediss:// (TLS) is not supported by hiredis 0.14; use a TLS tunnel "
                           "(stunnel, spiped) and a redis:// URL");
  }
  if (url.rfind("unix://", 0) == 0) {
    ep.unix_socket = true;
    std::string_view rest = url.substr(7);
    auto q = rest.find('?');
    std::string_view path = rest.substr(0, q);
    if (path.empty() || path.front() != '/') {
      return InvalidArgument("unix:// Redis URL needs an absolute socket path (unix:///run/redis.sock)");
    }
    auto p = PercentDecode(path);
    if (!p.ok()) return p.status();
    ep.path = *p;
    if (q != std::string_view::npos) DRAGNET_RETURN_IF_ERROR(ParseQuery(rest.substr(q + 1), ep));
    if (!ep.user.empty() && ep.password.empty()) {
      return InvalidArgument("Redis URL names user '" + ep.user + "' without a password");
    }
    return ep;
  }
  if (url.rfind("redis://", 0) != 0) {
    return InvalidArgument("Redis URL must start with redis:// or unix:// (got '" +
                           std::string(url.substr(0, 16)) + "')");
  }
  std::string_view rest = url.substr(8);
  // Authority ends at the first '/', '?' or end.
  auto end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    DRAGNET_RETURN_IF_ERROR(ParseUserInfo(authority.substr(0, at), ep));
    authority = authority.substr(at + 1);
  }
  std::string_view hostport = authority;
  std::string_view port;
  if (!hostport.empty() && hostport.front() == '[') {
    auto close = hostport.find(']');
    if (close == std::string_view::npos) return InvalidArgument("Redis URL: unclosed '[' in host");
    ep.host = std::string(hostport.substr(1, close - 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return InvalidArgument("Redis URL: junk after ']' in host");
      port = after.substr(1);
    }
  } else {
    auto colon = hostport.find(':');
    ep.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) port = hostport.substr(colon + 1);
  }
  if (ep.host.empty()) return InvalidArgument("Redis URL has no host");
  if (!port.empty()) {
    auto p = ParseInt(port, 1, 65535, "port");
    if (!p.ok()) return p.status();
    ep.port = *p;
  } else if (hostport.find(':') != std::string_view::npos && hostport.front() != '[') {
    return InvalidArgument("Redis URL: empty port");
  }
  if (!tail.empty()) {
    std::string_view path = tail;
    std::string_view query;
    auto q = tail.find('?');
    if (q != std::string_view::npos) {
      path = tail.substr(0, q);
      query = tail.substr(q + 1);
    }
    if (path.size() > 1) {
      auto db = ParseInt(path.substr(1), 0, kMaxDb, "database number");
      if (!db.ok()) return db.status();
      ep.db = *db;
    }
    if (!query.empty()) DRAGNET_RETURN_IF_ERROR(ParseQuery(query, ep));
  }
  return ep;
}

std::string RedisEndpoint::Redacted() const {
  std::string cred;
  if (!user.empty() || !password.empty()) cred = user + (password.empty() ? "" : ":***") + "@";
  if (unix_socket) {
    std::string s = "unix://" + path + "?db=" + std::to_string(db);
    if (!user.empty()) s += "&user=" + user;
    if (!password.empty()) s += "&password=***";
    return s;
  }
  bool v6 = host.find(':') != std::string::npos;
  return "redis://" + cred + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" +
         std::to_string(db);
}

// ----------------------------------------------------------------- values ---

Result<int64_t> RedisValue::AsInt() const {
  if (type == Type::kInteger) return integer;
  if (type == Type::kString || type == Type::kStatus) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(str.data(), str.data() + str.size(), v);
    if (!str.empty() && ec == std::errc() && p == str.data() + str.size()) return v;
  }
  return ParseError("Redis reply is not an integer");
}

namespace {

struct CopyBudget {
  size_t elements = 0, bytes = 0;
  size_t max_elements, max_bytes;
};

Result<RedisValue> CopyOne(const redisReply* r, int depth_left, CopyBudget& b) {
  RedisValue v;
  if (r == nullptr) return IoError("Redis: empty reply");
  switch (r->type) {
    case REDIS_REPLY_NIL:
      v.type = RedisValue::Type::kNil;
      return v;
    case REDIS_REPLY_INTEGER:
      v.type = RedisValue::Type::kInteger;
      v.integer = r->integer;
      return v;
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING:
      b.bytes += r->len;
      if (b.bytes > b.max_bytes) return LimitExceeded("Redis reply larger than kMaxReplyBytes");
      v.type = r->type == REDIS_REPLY_STATUS ? RedisValue::Type::kStatus : RedisValue::Type::kString;
      v.str.assign(r->str, r->len);
      return v;
    case REDIS_REPLY_ERROR:
      return IoError(std::string(r->str, r->len));
    case REDIS_REPLY_ARRAY: {
      if (depth_left <= 0) return LimitExceeded("Redis reply nested deeper than kMaxReplyDepth");
      b.elements += r->elements;
      if (b.elements > b.max_elements) {
        return LimitExceeded("Redis reply has more than kMaxReplyElements elements");
      }
      v.type = RedisValue::Type::kArray;
      v.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        auto e = CopyOne(r->element[i], depth_left - 1, b);
        if (!e.ok()) return e.status();
        v.elements.push_back(std::move(e).value());
      }
      return v;
    }
    default:
      return ParseError("Redis: unknown reply type " + std::to_string(r->type));
  }
}

// Error replies a client should wait out and resend.
bool RetryableError(std::string_view msg) {
  for (const char* p : {"LOADING", "BUSY ", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN",
                        "READONLY", "NOREPLICAS"}) {
    if (msg.rfind(p, 0) == 0) return true;
  }
  return false;
}

}  // namespace

Result<RedisValue> CopyReply(const void* reply, int max_depth, size_t max_elements,
                             size_t max_bytes) {
  CopyBudget b{0, 0, max_elements, max_bytes};
  const auto* r = static_cast<const redisReply*>(reply);
  if (r != nullptr && r->type == REDIS_REPLY_ERROR) {
    std::string msg(r->str, r->len);
    if (RetryableError(msg)) return Unavailable(msg);
    if (msg.rfind("NOAUTH", 0) == 0 || msg.rfind("WRONGPASS", 0) == 0 ||
        msg.rfind("NOPERM", 0) == 0) {
      return Refused(msg);
    }
    return IoError(msg);
  }
  return CopyOne(r, max_depth, b);
}

// ----------------------------------------------------------------- script ---

RedisScript::RedisScript(std::string source) : source_(std::move(source)) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(source_.data(), source_.size(), md, &len, EVP_sha1(), nullptr);
  sha_ = HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

// ----------------------------------------------------------------- client ---

RedisClient::RedisClient(RedisEndpoint endpoint, RedisClientOptions options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

RedisClient::~RedisClient() { Disconnect(); }

void RedisClient::Disconnect() {
  if (ctx_ != nullptr) {
    redisFree(ctx_);
    ctx_ = nullptr;
  }
}

Status RedisClient::Connect() {
  Disconnect();
  timeval ct{static_cast<time_t>(options_.connect_timeout_ms / 1000),
             static_cast<suseconds_t>((options_.connect_timeout_ms % 1000) * 1000)};
  redisContext* c = endpoint_.unix_socket
                        ? redisConnectUnixWithTimeout(endpoint_.path.c_str(), ct)
                        : redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, ct);
  if (c == nullptr) return Unavailable("Redis: out of memory allocating a context");
  if (c->err) {
    std::string msg = "Redis " + endpoint_.Redacted() + ": " + c->errstr;
    redisFree(c);
    return Unavailable(msg);
  }
  timeval tt{static_cast<time_t>(options_.command_timeout_ms / 1000),
             static_cast<suseconds_t>((options_.command_timeout_ms % 1000) * 1000)};
  redisSetTimeout(c, tt);
  if (!endpoint_.unix_socket) redisEnableKeepAlive(c);
  // hiredis 0.14 keeps up to maxbuf idle bytes of its read buffer; keep the
  // documented default explicitly so a huge reply does not pin its buffer.
  if (c->reader != nullptr) c->reader->maxbuf = REDIS_READER_MAX_BUF;
  ctx_ = c;
  if (!endpoint_.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!endpoint_.user.empty()) auth.push_back(endpoint_.user);
    auth.push_back(endpoint_.password);
    auto r = RawCommand(auth);
    if (!r.ok()) {
      Disconnect();
      return r.status().code() == Code::kUnavailable
                 ? r.status()
                 : Refused("Redis AUTH failed for " + endpoint_.Redacted() + ": " +
                           r.status().message());
    }
  }
  if (endpoint_.db != 0) {
    auto r = RawCommand({"SELECT", std::to_string(endpoint_.db)});
    if (!r.ok()) {
      Disconnect();
      return r.status().code() == Code::kUnavailable
                 ? r.status()
                 : InvalidArgument("Redis SELECT " + std::to_string(endpoint_.db) +
                                   " failed: " + r.status().message());
    }
  }
  if (!options_.client_name.empty()) {
    auto r = RawCommand({"CLIENT", "SETNAME", options_.client_name});
    if (!r.ok() && r.status().code() == Code::kUnavailable) {
      Disconnect();
      return r.status();
    }
  }
  return Status::Ok();
}

Result<RedisValue> RedisClient::RawCommand(const std::vector<std::string>& argv) {
  if (ctx_ == nullptr) return Unavailable("Redis: not connected");
  std::vector<const char*> args;
  std::vector<size_t> lens;
  args.reserve(argv.size());
  lens.reserve(argv.size());
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  void* raw = redisCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lens.data());
  if (raw == nullptr) {
    // I/O error or timeout: the context is unusable, and the command may or
    // may not have run. The caller decides whether resending is safe.
    std::string msg = std::string("Redis ") + endpoint_.Redacted() + ": " +
                      (ctx_->errstr[0] ? ctx_->errstr : "connection lost");
    Disconnect();
    ++reconnects_;
    return Unavailable(msg);
  }
  auto v = CopyReply(raw);
  freeReplyObject(raw);
  return v;
}

Result<RedisValue> RedisClient::Command(const std::vector<std::string>& argv) {
  if (ctx_ == nullptr) {
    Status st = Connect();
    if (!st.ok()) return st;
  }
  return RawCommand(argv);
}

bool RedisClient::SleepBackoff(int64_t& delay_ms, const std::atomic<bool>* stop,
                               int64_t deadline_ms) {
  const Clock& clock = SystemClock::Instance();
  int64_t until = clock.MonotonicMs() + delay_ms;
  if (deadline_ms > 0 && until > deadline_ms) until = deadline_ms;
  // Sleep in small slices so a stop request is seen quickly.
  while (clock.MonotonicMs() < until) {
    if (stop != nullptr && stop->load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  delay_ms = std::min(delay_ms * 2, options_.backoff_max_ms);
  if (stop != nullptr && stop->load()) return false;
  return !(deadline_ms > 0 && clock.MonotonicMs() >= deadline_ms);
}

Result<RedisValue> RedisClient::CommandRetry(const std::vector<std::string>& argv,
                                             const std::atomic<bool>* stop,
                                             int64_t deadline_ms) {
  int64_t delay = options_.backoff_initial_ms;
  while (true) {
    auto r = Command(argv);
    if (r.ok() || r.status().code() != Code::kUnavailable) return r;
    if (!SleepBackoff(delay, stop, deadline_ms)) return r;
  }
}

Result<RedisValue> RedisClient::Eval(const RedisScript& script,
                                     const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args,
                                     const std::atomic<bool>* stop, int64_t deadline_ms) {
  std::vector<std::string> argv = {"EVALSHA", script.sha(), std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  int64_t delay = options_.backoff_initial_ms;
  while (true) {
    auto r = Command(argv);
    if (!r.ok() && r.status().message().rfind("NOSCRIPT", 0) == 0) {
      // The server does not know the script (first use, or it restarted):
      // send the source. EVAL caches it for the next EVALSHA.
      std::vector<std::string> ev = argv;
      ev[0] = "EVAL";
      ev[1] = script.source();
      r = Command(ev);
    }
    if (r.ok() || r.status().code() != Code::kUnavailable) return r;
    if (!SleepBackoff(delay, stop, deadline_ms)) return r;
  }
}

}  // namespace dragnet::app
