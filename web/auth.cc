#include "web/auth.h"

#include <sodium.h>

#include "core/hash.h"

namespace dragnet::web {

Status InitCrypto() {
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  DRAGNET_RETURN_IF_ERROR(InitCrypto());
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgument("password longer than " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Unavailable("Argon2id hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (!InitCrypto().ok() || password.size() > kMaxPasswordBytes) return false;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomSecret() {
  (void)InitCrypto();
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(buf), sizeof buf));
}

std::string SecretDigest(std::string_view secret) { return Sha256Hex(secret); }

bool SecretEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  (void)InitCrypto();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewApiToken() { return "dn_" + RandomSecret(); }

// ------------------------------------------------------------ rate limit ---

void LoginLimiter::Expire(int64_t now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now - it->second.start_ms >= window_ms_) it = windows_.erase(it);
    else ++it;
  }
}

bool LoginLimiter::Blocked(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) return false;
  if (clock_->NowUnixMs() - it->second.start_ms >= window_ms_) {
    windows_.erase(it);
    return false;
  }
  return it->second.failures >= max_failures_;
}

void LoginLimiter::Failure(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  int64_t now = clock_->NowUnixMs();
  if (windows_.size() >= kMaxKeys) Expire(now);
  if (windows_.size() >= kMaxKeys) windows_.erase(windows_.begin());
  auto& w = windows_[key];
  if (w.failures == 0 || now - w.start_ms >= window_ms_) w = Window{now, 0};
  ++w.failures;
}

void LoginLimiter::Reset(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  windows_.erase(key);
}

int64_t LoginLimiter::RetryAfterMs(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end() || it->second.failures < max_failures_) return 0;
  int64_t left = it->second.start_ms + window_ms_ - clock_->NowUnixMs();
  return left > 0 ? left : 0;
}

}  // namespace dragnet::web
