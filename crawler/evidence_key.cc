#include "crawler/evidence_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/json.h"

namespace dragnet::crawler {
namespace fs = std::filesystem;

namespace {

// Key files are a few hundred bytes; anything bigger is not ours.
constexpr uint64_t kMaxKeyFileBytes = 64 << 10;
// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32 key
// bytes follow it.
constexpr unsigned char kEd25519SpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

bool SodiumReady() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

bool IsKeyId(const std::string& s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Writes `data` to `path` atomically and durably with `mode` (the private
// key must never exist, even for a moment, with wider permissions).
Status WritePrivateFile(const std::string& path, std::string_view data, mode_t mode) {
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return IoError("cannot create '" + tmp + "': " + std::strerror(errno));
  ::fchmod(fd, mode);  // an older leftover tmp keeps its mode through O_CREAT
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = IoError("cannot write '" + tmp + "': " + std::strerror(errno));
      ::close(fd);
      ::unlink(tmp.c_str());
      return st;
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return IoError("cannot write '" + tmp + "': " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return IoError("cannot rename to '" + path + "': " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

// ------------------------------------------------------------------- keys ---

std::string PublicKey::Base64() const { return Base64Encode(raw); }

std::string PublicKey::Pem() const {
  std::string der(reinterpret_cast<const char*>(kEd25519SpkiPrefix), sizeof kEd25519SpkiPrefix);
  der += raw;
  return "-----BEGIN PUBLIC KEY-----\n" + Base64Encode(der) + "\n-----END PUBLIC KEY-----\n";
}

std::string PublicKey::ToJson() const {
  nlohmann::json j = {{"format", "dragnet-evidence-pubkey/1"},
                      {"alg", "ed25519"},
                      {"key_id", key_id},
                      {"fingerprint", fingerprint},
                      {"public_key", Base64()},
                      {"pem", Pem()},
                      {"created_at", created_at}};
  return DumpJson(j, 1) + "\n";
}

PublicKey MakePublicKey(std::string raw, std::string created_at) {
  PublicKey k;
  k.fingerprint = Sha256Hex(raw);
  k.key_id = k.fingerprint.substr(0, 16);
  k.raw = std::move(raw);
  k.created_at = std::move(created_at);
  return k;
}

Result<PublicKey> ParsePublicKey(std::string_view json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("public_key") || !j["public_key"].is_string()) {
    return ParseError("not a Dragnet public key file");
  }
  try {
    if (j.value("alg", std::string()) != "ed25519") return ParseError("public key is not ed25519");
    std::string raw = Base64Decode(j["public_key"].get<std::string>());
    if (raw.size() != crypto_sign_PUBLICKEYBYTES) return ParseError("public key is not 32 bytes");
    PublicKey k = MakePublicKey(raw, j.value("created_at", std::string()));
    if (j.value("fingerprint", k.fingerprint) != k.fingerprint || j.value("key_id", k.key_id) != k.key_id) {
      return Corrupt("public key file's fingerprint or key_id does not match its key");
    }
    return k;
  } catch (const nlohmann::json::exception&) {
    return ParseError("public key file has a field of the wrong type");
  }
}

std::string SigningKey::Sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret.data()));
  return std::string(reinterpret_cast<char*>(sig), sizeof sig);
}

bool VerifySignature(const PublicKey& key, std::string_view message, std::string_view signature) {
  if (!SodiumReady() || key.raw.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     reinterpret_cast<const unsigned char*>(key.raw.data())) == 0;
}

// ------------------------------------------------------------------- lock ---

Result<FileLock> FileLock::Acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot open lock '" + path + "': " + std::strerror(errno));
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    Status st = IoError("cannot lock '" + path + "': " + std::strerror(errno));
    ::close(fd);
    return st;
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

// ---------------------------------------------------------------- keyring ---

Keyring::Keyring(std::string dir) : dir_(std::move(dir)) {}

Result<SigningKey> Keyring::LoadLocked(const std::string& key_id) const {
  std::string path = dir_ + "/evidence-" + key_id + ".key";
  auto text = ReadFile(path, kMaxKeyFileBytes);
  if (!text.ok()) return text.status();
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("secret_key") || !j["secret_key"].is_string()) {
    return Corrupt("evidence key " + path + " is not a Dragnet key file");
  }
  SigningKey k;
  try {
    k.pub.created_at = j.value("created_at", std::string());
  } catch (const nlohmann::json::exception&) {
  }
  k.secret = Base64Decode(j["secret_key"].get<std::string>());
  if (k.secret.size() != crypto_sign_SECRETKEYBYTES) return Corrupt("evidence key " + path + " has a bad secret key");
  k.pub = MakePublicKey(k.secret.substr(32), k.pub.created_at);
  if (k.pub.key_id != key_id) return Corrupt("evidence key " + path + " does not hold key " + key_id);
  return k;
}

Result<SigningKey> Keyring::CreateLocked(const std::string& now) const {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  SigningKey k;
  k.secret.assign(reinterpret_cast<char*>(sk), sizeof sk);
  sodium_memzero(sk, sizeof sk);
  k.pub = MakePublicKey(std::string(reinterpret_cast<char*>(pk), sizeof pk), now);
  nlohmann::json priv = {{"format", "dragnet-evidence-key/1"},
                         {"alg", "ed25519"},
                         {"key_id", k.pub.key_id},
                         {"fingerprint", k.pub.fingerprint},
                         {"public_key", k.pub.Base64()},
                         {"secret_key", Base64Encode(k.secret)},
                         {"created_at", now}};
  std::string base = dir_ + "/evidence-" + k.pub.key_id;
  DRAGNET_RETURN_IF_ERROR(WritePrivateFile(base + ".key", DumpJson(priv, 1) + "\n", 0600));
  DRAGNET_RETURN_IF_ERROR(WritePrivateFile(base + ".pub", k.pub.ToJson(), 0644));
  DRAGNET_RETURN_IF_ERROR(WritePrivateFile(dir_ + "/current", k.pub.key_id + "\n", 0644));
  return k;
}

Result<SigningKey> Keyring::Current() const {
  if (!SodiumReady()) return Internal("libsodium failed to initialise");
  // Fast path without the lock: the key exists (every Write() after the first).
  auto cur = ReadFile(dir_ + "/current", 256);
  if (cur.ok()) {
    std::string id = cur->substr(0, cur->find('\n'));
    if (IsKeyId(id)) {
      auto k = LoadLocked(id);
      if (k.ok() || k.status().code() != Code::kNotFound) return k;
    }
  }
  DRAGNET_RETURN_IF_ERROR(MakeDirs(dir_));
  ::chmod(dir_.c_str(), 0700);
  auto lock = FileLock::Acquire(dir_ + "/lock");
  if (!lock.ok()) return lock.status();
  // Another process may have created it while we waited for the lock.
  cur = ReadFile(dir_ + "/current", 256);
  if (cur.ok()) {
    std::string id = cur->substr(0, cur->find('\n'));
    if (!IsKeyId(id)) return Corrupt("evidence key folder " + dir_ + ": 'current' does not name a key");
    return LoadLocked(id);
  }
  if (cur.status().code() != Code::kNotFound) return cur.status();
  return CreateLocked(FormatRfc3339Ms(SystemClock::Instance().NowUnixMs()));
}

Result<SigningKey> Keyring::Rotate() const {
  if (!SodiumReady()) return Internal("libsodium failed to initialise");
  DRAGNET_RETURN_IF_ERROR(MakeDirs(dir_));
  ::chmod(dir_.c_str(), 0700);
  auto lock = FileLock::Acquire(dir_ + "/lock");
  if (!lock.ok()) return lock.status();
  std::string old;
  auto cur = ReadFile(dir_ + "/current", 256);
  if (cur.ok()) old = cur->substr(0, cur->find('\n'));
  auto k = CreateLocked(FormatRfc3339Ms(SystemClock::Instance().NowUnixMs()));
  if (!k.ok()) return k;
  // The old private key signs nothing more; its .pub stays for verification.
  if (IsKeyId(old) && old != k->pub.key_id) ::unlink((dir_ + "/evidence-" + old + ".key").c_str());
  return k;
}

Result<std::vector<PublicKey>> Keyring::PublicKeys() const {
  std::vector<PublicKey> out;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return out;
  for (const auto& de : fs::directory_iterator(dir_, ec)) {
    std::string name = de.path().filename().string();
    if (name.rfind("evidence-", 0) != 0 || de.path().extension() != ".pub") continue;
    auto text = ReadFile(de.path().string(), kMaxKeyFileBytes);
    if (!text.ok()) return text.status();
    auto k = ParsePublicKey(*text);
    if (!k.ok()) return Status(k.status().code(), de.path().string() + ": " + k.status().message());
    out.push_back(std::move(k).value());
  }
  std::sort(out.begin(), out.end(), [](const PublicKey& a, const PublicKey& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.key_id < b.key_id;
  });
  return out;
}

}  // namespace dragnet::crawler
