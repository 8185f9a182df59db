#pragma once
// Authentication primitives of the console and API: password hashing
// (Argon2id through libsodium's crypto_pwhash_str, the salt and parameters
// stored in the hash string), random secrets for session IDs, CSRF tokens
// and API tokens, the hash under which those secrets are stored (SHA-256:
// they are 256-bit random values, so a fast hash is enough and a stolen
// database holds nothing that logs in), constant-time comparison, and the
// login rate limiter.
//
// Pure functions are thread-safe once InitCrypto() has run (it is
// idempotent and called by each function that needs it). LoginLimiter is
// internally locked: any thread may call it.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace dragnet::web {

// Longest password accepted (Argon2 takes any length; this bounds the work
// a login request can ask for).
inline constexpr size_t kMaxPasswordBytes = 1024;
// Shortest password `users add` accepts.
inline constexpr size_t kMinPasswordBytes = 10;

// sodium_init(); kUnavailable when libsodium cannot start.
Status InitCrypto();

// Argon2id hash string ("$argon2id$v=19$m=...") of `password`, with
// libsodium's interactive limits (64 MiB, 2 passes): about 0.1 s per login.
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `hash` (constant time in the password).
bool VerifyPassword(std::string_view password, const std::string& hash);

// 32 random bytes as 64 lowercase hex digits (libsodium randombytes).
std::string RandomSecret();
// What a secret is stored as: SHA-256, lowercase hex.
std::string SecretDigest(std::string_view secret);
// Constant-time equality (sodium_memcmp); false when the sizes differ.
bool SecretEquals(std::string_view a, std::string_view b);

// API tokens as users see them: "dn_" + RandomSecret(). Stored as
// SecretDigest of the whole string.
std::string NewApiToken();

// Counts failed logins per key (a user name, a client address) in a fixed
// window; Blocked() is true once `max_failures` fell within `window_ms`.
// Success does not reset the count of the address (a guesser holding one
// valid account learns nothing), it resets the user name's.
class LoginLimiter {
 public:
  // Keys tracked at most; when full, the oldest windows are dropped (a
  // flood of names cannot grow memory without bound).
  static constexpr size_t kMaxKeys = 100'000;

  LoginLimiter(int max_failures, int64_t window_ms, const Clock* clock = &SystemClock::Instance())
      : max_failures_(max_failures), window_ms_(window_ms), clock_(clock) {}
  bool Blocked(const std::string& key);
  void Failure(const std::string& key);
  void Reset(const std::string& key);
  // Milliseconds until `key` may try again (0 when not blocked).
  int64_t RetryAfterMs(const std::string& key);

 private:
  struct Window {
    int64_t start_ms = 0;
    int failures = 0;
  };
  void Expire(int64_t now);  // requires mu_

  const int max_failures_;
  const int64_t window_ms_;
  const Clock* clock_;
  std::mutex mu_;
  std::map<std::string, Window> windows_;  // GUARDED_BY(mu_)
};

}  // namespace dragnet::web
