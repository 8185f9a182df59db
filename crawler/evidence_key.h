#pragma once
// Evidence signing keys: one Ed25519 key pair per installation (libsodium),
// used to seal every evidence manifest and every checkpoint of the evidence
// log (crawler/evidence_log.h).
//
// Layout of the key folder (mode 0700; default <state_dir>/keys, set apart
// from the evidence folder so copying or exporting evidence never copies a
// private key, and a separately mounted evidence_dir never holds one):
//   current                      the key ID that signs now
//   evidence-<key-id>.key        private key, mode 0600 (JSON)
//   evidence-<key-id>.pub        public key (JSON: base64, PEM, fingerprint)
//   lock                         flock: key creation and rotation
//   witness/<folder-id>.witness  the last signed tree head of each evidence
//                                log this installation appended to (see
//                                evidence_log.h: detects a rolled-back log)
//
// Fingerprint = lowercase hex SHA-256 of the 32 raw public key bytes; key
// ID = its first 16 hex digits. The key is created on first use; Rotate()
// (`dragnet evidence keygen`) makes a new one current and deletes the old
// private key, keeping its public key so what it signed still verifies.
//
// Threads and processes: every call takes the folder's flock where it
// writes, so several processes may share one key folder. A Keyring object
// holds no state beyond its path: safe to share between threads.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dragnet::crawler {

struct PublicKey {
  std::string key_id;        // 16 hex
  std::string fingerprint;   // 64 hex, SHA-256 of `raw`
  std::string raw;           // 32 bytes
  std::string created_at;    // RFC 3339
  std::string Base64() const;
  // SubjectPublicKeyInfo PEM, as `openssl pkeyutl -verify -pubin` reads it.
  std::string Pem() const;
  // The .pub file's JSON text.
  std::string ToJson() const;
};

struct SigningKey {
  PublicKey pub;
  std::string secret;        // libsodium's 64-byte secret key (seed || public)
  // Detached Ed25519 signature (64 bytes) of `message`.
  std::string Sign(std::string_view message) const;
};

// A .pub file's text -> PublicKey; checks key ID and fingerprint agree.
Result<PublicKey> ParsePublicKey(std::string_view json_text);
// A 32-byte public key -> PublicKey (key_id and fingerprint computed).
PublicKey MakePublicKey(std::string raw, std::string created_at = "");
// True when `signature` (64 raw bytes) is `key`'s Ed25519 signature of `message`.
bool VerifySignature(const PublicKey& key, std::string_view message, std::string_view signature);

class Keyring {
 public:
  explicit Keyring(std::string dir);
  const std::string& dir() const { return dir_; }

  // The current signing key; created (0600) when the folder has none.
  Result<SigningKey> Current() const;
  // Makes a new key current; the old private key is deleted, its public
  // key kept. Returns the new key.
  Result<SigningKey> Rotate() const;
  // Every public key in the folder, oldest first. Empty when the folder
  // does not exist.
  Result<std::vector<PublicKey>> PublicKeys() const;

 private:
  Result<SigningKey> CreateLocked(const std::string& now) const;
  Result<SigningKey> LoadLocked(const std::string& key_id) const;
  std::string dir_;
};

// Holds an exclusive flock on a file for its lifetime (created 0600).
class FileLock {
 public:
  static Result<FileLock> Acquire(const std::string& path);
  FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace dragnet::crawler
