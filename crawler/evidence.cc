#include "crawler/evidence.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/model_json.h"

namespace dragnet::crawler {
namespace fs = std::filesystem;

namespace {

// Blobs are bodies capped by the fetcher (5 MiB by default); allow headroom
// for configs that raise the cap, but never read unbounded files.
constexpr uint64_t kMaxBlobBytes = 1ull << 30;

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

nlohmann::json CaptureToJson(const Capture& c) {
  nlohmann::json j = {{"url", c.url},
                      {"final_url", c.final_url},
                      {"via", c.via},
                      {"time", c.time},
                      {"status", c.status},
                      {"remote_ip", c.remote_ip},
                      {"remote_port", c.remote_port},
                      {"http_version", c.http_version},
                      {"headers_sha256", c.headers_sha256},
                      {"raw_sha256", c.raw_sha256},
                      {"body_sha256", c.body_sha256},
                      {"raw_size", c.raw_size},
                      {"body_size", c.body_size},
                      {"content_type", c.content_type},
                      {"error", c.error},
                      {"limits_hit", c.limits_hit}};
  if (c.tls.present) j["tls"] = c.tls;
  if (!c.headers.empty()) j["headers"] = c.headers;
  return j;
}

bool InlineableHeaders(std::string_view block) {
  for (unsigned char ch : block) {
    if ((ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch > 0x7e) return false;
  }
  return true;
}

std::string GenesisHash(const std::string& seed) { return Sha256Hex("dragnet-evidence-v1\n" + seed); }

std::string ManifestSignedBytes(const nlohmann::json& manifest) {
  nlohmann::json copy = manifest;
  copy.erase("seal");
  return DumpJson(copy);
}

std::string EntryHash(const nlohmann::json& entry) {
  nlohmann::json copy = entry;
  copy.erase("hash");
  // nlohmann's object is a std::map: keys come out sorted, so dump() with no
  // indent is canonical for our own documents.
  return Sha256Hex(DumpJson(copy));
}

EvidenceStore::EvidenceStore(std::string dir, EvidenceStoreOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  if (options_.key_dir.empty()) options_.key_dir = dir_ + "/keys";
}

Status EvidenceStore::Init() {
  DRAGNET_RETURN_IF_ERROR(MakeDirs(dir_ + "/objects"));
  return MakeDirs(dir_ + "/manifests");
}

EvidenceLog EvidenceStore::log() const {
  LogOptions lo;
  lo.sync = options_.sync_log;
  lo.witness_dir = options_.key_dir + "/witness";
  return EvidenceLog(dir_, keyring(), lo);
}

std::string EvidenceStore::BlobPath(const std::string& sha256) const {
  return dir_ + "/objects/" + sha256.substr(0, 2) + "/" + sha256;
}

Result<std::string> EvidenceStore::PutBlob(std::string_view bytes) {
  std::string sha = Sha256Hex(bytes);
  std::string path = BlobPath(sha);
  // Already stored (identical bodies across pages and seeds). A size that
  // differs means a copy cut short by a crash before its sync: write again.
  int64_t size = FileSize(path);
  if (size == static_cast<int64_t>(bytes.size())) return sha;
  DRAGNET_RETURN_IF_ERROR(MakeDirs(dir_ + "/objects/" + sha.substr(0, 2)));
  if (size < 0) {
    // New: created complete in one step. Another writer may have won the
    // race with the same bytes, or a cut-short copy may be there.
    auto created = CreateFileAtomic(path, bytes);
    if (!created.ok()) return created.status();
    if (*created || FileSize(path) == static_cast<int64_t>(bytes.size())) return sha;
  }
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(path, bytes, Durability::kDeferred));
  return sha;
}

Status EvidenceStore::Sync() {
  Status st = SyncFilesystem(dir_);
  if (!st.ok()) return IoError("evidence: " + st.message());
  return st;
}

Result<std::string> EvidenceStore::GetBlob(const std::string& sha256) const {
  if (!IsHex64(sha256)) return InvalidArgument("not a SHA-256: '" + sha256 + "'");
  return ReadFile(BlobPath(sha256), kMaxBlobBytes);
}

ManifestWriter::ManifestWriter(EvidenceStore* store, std::string seed, std::string tool_version)
    : store_(store),
      seed_(std::move(seed)),
      tool_version_(std::move(tool_version)),
      started_at_(FormatRfc3339Ms(SystemClock::Instance().NowUnixMs())),
      head_(GenesisHash(seed_)) {}

void ManifestWriter::Add(Capture c) {
  nlohmann::json e = CaptureToJson(c);
  e["index"] = entries_.size();
  e["tool"] = "dragnet/" + tool_version_;
  e["prev"] = head_;
  std::string h = EntryHash(e);
  e["hash"] = h;
  head_ = h;
  entries_.push_back(std::move(e));
}

void ManifestWriter::SetAnnex(const std::string& key, nlohmann::json value) {
  annex_[key] = std::move(value);
}

Result<std::string> ManifestWriter::Write() {
  nlohmann::json m = {{"format", "dragnet-evidence-manifest/2"},
                      {"seed", seed_},
                      {"tool", "dragnet/" + tool_version_},
                      {"started_at", started_at_},
                      {"written_at", FormatRfc3339Ms(SystemClock::Instance().NowUnixMs())},
                      {"genesis", GenesisHash(seed_)},
                      {"entries", entries_},
                      {"entry_count", entries_.size()},
                      {"head", head_},
                      {"annex", annex_}};
  // ---- the seal: a signature over everything above, plus a digest per
  // top-level field so that verify can name the field that was edited ----
  Keyring keys = store_->keyring();
  auto key = keys.Current();
  if (!key.ok()) return Status(key.status().code(), "evidence key: " + key.status().message());
  nlohmann::json digests = nlohmann::json::object();
  for (const auto& [k, v] : m.items()) {
    digests[k] = Sha256Hex(DumpJson(v));
  }
  m["seal"] = {{"alg", "ed25519"},
               {"key_id", key->pub.key_id},
               {"fingerprint", key->pub.fingerprint},
               {"field_sha256", digests},
               {"signature", Base64Encode(key->Sign(ManifestSignedBytes(m)))}};

  // Manifest name: time + the first 16 hex digits of the head, so two scans
  // of one seed never collide and names sort by time.
  std::string stamp = started_at_;
  for (char& ch : stamp) {
    if (ch == ':' || ch == '.') ch = '-';
  }
  std::string base = store_->dir() + "/manifests/" + stamp + "-" + head_.substr(0, 16);
  std::string path = base + ".json";
  // The same seed scanned twice in one millisecond by two processes.
  for (int n = 2; FileExists(path) && n < 100; ++n) path = base + "-" + std::to_string(n) + ".json";

  // Copies of the public key beside the evidence, for recipients and for
  // verification on another machine (trusted only when nothing better is).
  std::string pub = store_->dir() + "/pubkeys/evidence-" + key->pub.key_id + ".pub";
  if (!FileExists(pub)) {
    DRAGNET_RETURN_IF_ERROR(MakeDirs(store_->dir() + "/pubkeys"));
    DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(pub, key->pub.ToJson(), Durability::kDeferred));
  }
  std::string text = DumpJson(m, 1) + "\n";
  // The blobs this manifest names reach the disk before it does.
  DRAGNET_RETURN_IF_ERROR(store_->Sync());
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(path, text));
  // Anchored in the log: from here on, deleting or cutting it shows.
  auto logged = store_->log().Append({path.substr(path.rfind('/') + 1), Sha256Hex(text)});
  if (!logged.ok()) return Status(logged.status().code(), "evidence log: " + logged.status().message());
  logged_ = std::move(logged).value();
  return path;
}

}  // namespace dragnet::crawler
