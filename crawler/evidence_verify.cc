// dragnet evidence verify: manifests (chain, blobs, seal), the evidence log
// (leaves, signed checkpoints, consistency, witness, timestamps) and
// exported bundles. See crawler/evidence.h and docs/EVIDENCE.md.
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "core/fs.h"
#include "core/hash.h"
#include "core/json.h"
#include "crawler/evidence.h"
#include "crawler/evidence_bundle.h"
#include "crawler/evidence_tsa.h"

namespace dragnet::crawler {
namespace fs = std::filesystem;

namespace {

// A manifest larger than this is not ours: refuse to load it whole.
constexpr uint64_t kMaxManifestBytes = 64ull << 20;
// Checkpoint problems listed before the rest are only counted.
constexpr int kMaxCheckpointProblems = 5;

bool IsHex(const std::string& s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

// ------------------------------------------------------------ file hashing ---

Result<std::string> Sha256FileHex(const std::string& path, uint64_t* size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("no file '" + path + "'");
    return IoError("cannot open '" + path + "': " + std::strerror(errno));
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    ::close(fd);
    return Internal("EVP_DigestInit(sha256) failed");
  }
  std::string buf(kHashChunkBytes, '\0');
  uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = IoError("cannot read '" + path + "': " + std::strerror(errno));
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n));
    total += static_cast<uint64_t>(n);
  }
  ::close(fd);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  if (size) *size = total;
  return HexEncode(std::string_view(reinterpret_cast<char*>(md), len));
}

// ------------------------------------------------------------------- trust ---

namespace {

struct Trust {
  std::map<std::string, PublicKey> by_id;  // key_id -> key
  const PublicKey* Find(const std::string& key_id) const {
    auto it = by_id.find(key_id);
    return it == by_id.end() ? nullptr : &it->second;
  }
};

Result<std::vector<PublicKey>> ReadPubkeyFolder(const std::string& dir) {
  std::vector<PublicKey> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<std::string> files;
  for (const auto& de : fs::directory_iterator(dir, ec)) {
    if (de.path().extension() == ".pub") files.push_back(de.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto text = ReadFile(f, 64 << 10);
    if (!text.ok()) return text.status();
    auto k = ParsePublicKey(*text);
    if (!k.ok()) return Status(k.status().code(), f + ": " + k.status().message());
    out.push_back(std::move(k).value());
  }
  return out;
}

// The trusted keys: the installation's, else those beside the evidence;
// narrowed to the pinned ones when any are given.
Trust LoadTrust(const std::string& folder, const VerifyOptions& o, VerifyReport& rep) {
  Trust t;
  std::vector<PublicKey> keys;
  if (!o.key_dir.empty()) {
    auto k = Keyring(o.key_dir).PublicKeys();
    if (k.ok()) keys = std::move(k).value();
    else rep.problems.push_back(o.key_dir + ": " + k.status().message());
    if (!keys.empty()) rep.trust = "this installation's keys (" + o.key_dir + ")";
  }
  if (keys.empty()) {
    auto k = ReadPubkeyFolder(folder + "/pubkeys");
    if (k.ok()) keys = std::move(k).value();
    else rep.problems.push_back(folder + "/pubkeys: " + k.status().message());
    rep.trust = "the public keys stored with the evidence (" + folder +
                "/pubkeys): compare the fingerprint with the one your report carries, or pass --key";
  }
  if (!o.pinned_keys.empty()) {
    rep.trust = "the pinned key(s) only";
    std::vector<PublicKey> pinned;
    for (const auto& k : keys) {
      for (const auto& p : o.pinned_keys) {
        if (p == k.fingerprint || p == k.key_id) pinned.push_back(k);
      }
    }
    keys = std::move(pinned);
  }
  for (auto& k : keys) {
    rep.trusted_keys.push_back(k.fingerprint);
    t.by_id.emplace(k.key_id, std::move(k));
  }
  return t;
}

std::string Untrusted(const std::string& key_id, const VerifyReport& rep) {
  return "signed by key " + key_id + ", which is not a trusted key (trusted: " + rep.trust + ")";
}

// --------------------------------------------------------------- manifest ---

// Checks one manifest's text: chain, blobs (under blob_dir/objects), seal.
// Appends at most one problem (the first) and counts what it checked.
void CheckManifestFields(const std::string& path, const std::string& text, const std::string& blob_dir,
                         const Trust& trust, VerifyReport& rep);

// Hostile JSON (a field of the wrong type) is a problem of that manifest,
// never an exception out of verify.
void CheckManifest(const std::string& path, const std::string& text, const std::string& blob_dir,
                   const Trust& trust, VerifyReport& rep) {
  size_t before = rep.problems.size();
  try {
    CheckManifestFields(path, text, blob_dir, trust, rep);
  } catch (const nlohmann::json::exception& e) {
    rep.problems.resize(before);
    rep.problems.push_back(path + ": not a valid manifest (a field has the wrong type)");
  }
}

void CheckManifestFields(const std::string& path, const std::string& text, const std::string& blob_dir,
                         const Trust& trust, VerifyReport& rep) {
  rep.manifests++;
  nlohmann::json m = nlohmann::json::parse(text, nullptr, false);
  if (m.is_discarded() || !m.is_object() || !m.contains("entries") || !m["entries"].is_array() ||
      !m.contains("seed") || !m["seed"].is_string()) {
    rep.problems.push_back(path + ": not a valid manifest (malformed JSON or missing fields)");
    return;
  }
  std::string prev = GenesisHash(m["seed"].get<std::string>());
  if (m.value("genesis", std::string()) != prev) {
    rep.problems.push_back(path + ": genesis hash does not match the seed");
    return;
  }
  const auto& entries = m["entries"];
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    rep.entries++;
    std::string where = path + ": entry " + std::to_string(i);
    if (!e.is_object() || !e.contains("hash") || !e["hash"].is_string()) {
      rep.problems.push_back(where + " is malformed");
      return;
    }
    if (e.value("index", static_cast<size_t>(-1)) != i) {
      rep.problems.push_back(where + " has index " + DumpJson(e.value("index", nlohmann::json())) +
                             " (entries removed or reordered)");
      return;
    }
    if (e.value("prev", std::string()) != prev) {
      rep.problems.push_back(where + " (" + e.value("url", std::string()) +
                             "): chain broken, prev does not match the hash of entry " +
                             std::to_string(i == 0 ? 0 : i - 1) + (i == 0 ? " genesis" : "") +
                             " (entries removed or reordered)");
      return;
    }
    std::string h = EntryHash(e);
    if (h != e["hash"].get<std::string>()) {
      rep.problems.push_back(where + " (" + e.value("url", std::string()) + "): content altered, hash mismatch");
      return;
    }
    if (e.contains("headers")) {
      // Inline header block: the entry hash covers it; its SHA-256 must
      // still be the one recorded (the block a blob would have held).
      if (!e["headers"].is_string() ||
          Sha256Hex(e["headers"].get<std::string>()) != e.value("headers_sha256", std::string())) {
        rep.problems.push_back(where + " (" + e.value("url", std::string()) +
                               "): inline headers do not match headers_sha256");
        return;
      }
    }
    for (const char* key : {"headers_sha256", "raw_sha256", "body_sha256"}) {
      std::string sha = e.value(key, std::string());
      if (sha.empty()) continue;
      if (std::string_view(key) == "headers_sha256" && e.contains("headers")) continue;
      rep.blobs++;
      if (!IsHex(sha, 64)) {
        rep.problems.push_back(where + ": " + key + " is not a SHA-256: '" + sha + "'");
        return;
      }
      // Streamed in kHashChunkBytes chunks: a 5 GB blob costs 1 MiB of memory.
      auto got = Sha256FileHex(blob_dir + "/objects/" + sha.substr(0, 2) + "/" + sha);
      if (!got.ok()) {
        rep.problems.push_back(where + ": blob " + key + " " + sha + " missing or unreadable: " +
                               got.status().message());
        return;
      }
      if (*got != sha) {
        rep.problems.push_back(where + ": blob " + key + " " + sha + " altered (hash mismatch)");
        return;
      }
    }
    prev = h;
  }
  if (m.value("entry_count", static_cast<size_t>(-1)) != entries.size()) {
    rep.problems.push_back(path + ": entry_count says " + DumpJson(m.value("entry_count", nlohmann::json())) + " but " +
                           std::to_string(entries.size()) + " entries present (entries removed)");
    return;
  }
  if (m.value("head", std::string()) != prev) {
    rep.problems.push_back(path + ": head hash does not match the last entry (entries removed)");
    return;
  }

  // ---- the seal ----
  if (!m.contains("seal")) {
    rep.unsealed++;
    return;
  }
  const auto& seal = m["seal"];
  if (!seal.is_object() || !seal.contains("signature") || !seal["signature"].is_string() ||
      !seal.contains("key_id") || !seal["key_id"].is_string() || seal.value("alg", std::string()) != "ed25519") {
    rep.problems.push_back(path + ": seal is malformed");
    return;
  }
  std::string key_id = seal["key_id"].get<std::string>();
  const PublicKey* key = trust.Find(key_id);
  if (!key) {
    rep.problems.push_back(path + ": " + Untrusted(key_id, rep));
    return;
  }
  if (VerifySignature(*key, ManifestSignedBytes(m), Base64Decode(seal["signature"].get<std::string>()))) {
    rep.sealed++;
    return;
  }
  // Name what changed: each top-level field against its digest in the seal.
  std::vector<std::string> changed;
  if (seal.contains("field_sha256") && seal["field_sha256"].is_object()) {
    const auto& d = seal["field_sha256"];
    for (const auto& [k, v] : m.items()) {
      if (k == "seal") continue;
      if (!d.contains(k)) {
        changed.push_back(k + " (added)");
      } else if (!d[k].is_string() ||
                 d[k].get<std::string>() !=
                     Sha256Hex(DumpJson(v))) {
        changed.push_back(k);
      }
    }
    for (const auto& [k, v] : d.items()) {
      if (!m.contains(k)) changed.push_back(k + " (removed)");
    }
  }
  rep.problems.push_back(path + ": seal broken, the signature does not match the content" +
                         (changed.empty() ? std::string(" (the seal itself was altered)")
                                          : ": " + Join(changed) + " edited after signing"));
}

// ----------------------------------------------------------------- the log ---

struct CheckpointScan {
  int count = 0;
  std::vector<std::string> problems;
  int more_problems = 0;
  bool have_last = false;
  TreeHead last;
  std::map<uint64_t, TreeHead> by_size;  // only the sizes asked for
};

CheckpointScan ScanCheckpoints(const std::string& dir, const LogContents& log, const Trust& trust,
                               const VerifyReport& rep, const std::set<uint64_t>& keep) {
  CheckpointScan s;
  std::string file = dir + "/log/checkpoints.jsonl";
  auto problem = [&](uint64_t line, const std::string& what) {
    if (static_cast<int>(s.problems.size()) < kMaxCheckpointProblems) {
      s.problems.push_back(file + ": checkpoint " + std::to_string(line) + " " + what);
    } else {
      s.more_problems++;
    }
  };
  const uint64_t n = log.tree.size();
  Status st = ForEachCheckpoint(dir, [&](uint64_t line, Result<TreeHead> h) {
    if (!h.ok()) {
      problem(line, "is malformed: " + h.status().message());
      return;
    }
    s.count++;
    const PublicKey* key = trust.Find(h->key_id);
    if (!key) {
      problem(line, Untrusted(h->key_id, rep));
    } else if (!VerifySignature(*key, h->SignedBytes(), h->signature)) {
      problem(line, "(size " + std::to_string(h->size) + "): signature does not match (edited)");
    } else if (h->size > n) {
      problem(line, "names " + std::to_string(h->size) + " leaves but the log has " + std::to_string(n) +
                        " (leaves cut or rolled back)");
    } else if (h->root != log.tree.Root(h->size)) {
      problem(line, "(size " + std::to_string(h->size) +
                        "): root does not match the log's leaves (leaves edited, removed or reordered)");
    } else if (s.have_last && h->size <= s.last.size) {
      problem(line, "(size " + std::to_string(h->size) + ") does not grow the log past checkpoint size " +
                        std::to_string(s.last.size) + " (reordered or replayed)");
    } else if (s.have_last &&
               !VerifyConsistency(s.last.size, h->size, s.last.root, h->root,
                                  log.tree.ConsistencyProof(s.last.size, h->size))) {
      problem(line, "is not consistent with the checkpoint before it (the log was rewritten)");
    } else {
      s.last = *h;
      s.have_last = true;
      if (keep.count(h->size)) s.by_size[h->size] = *h;
    }
  });
  if (!st.ok() && st.code() != Code::kNotFound) s.problems.push_back(file + ": " + st.message());
  return s;
}

void CheckWitness(const std::string& dir, const LogContents& log, const VerifyOptions& o, VerifyReport& rep) {
  if (o.key_dir.empty()) return;
  auto w = ReadWitness(o.key_dir + "/witness", dir);
  if (!w.ok()) {
    if (w.status().code() != Code::kNotFound) rep.problems.push_back(w.status().message());
    return;
  }
  const uint64_t n = log.tree.size();
  std::string wfile = WitnessPath(o.key_dir + "/witness", dir);
  if (w->size > n) {
    rep.problems.push_back(dir + "/log: rolled back: this installation last checkpointed " + std::to_string(w->size) +
                           " manifests in it (witness " + wfile + "), the log now has " + std::to_string(n));
  } else if (!VerifyConsistency(w->size, n, w->root, log.tree.Root(n), log.tree.ConsistencyProof(w->size, n))) {
    rep.problems.push_back(dir + "/log: rewritten: not an extension of the checkpoint of " + std::to_string(w->size) +
                           " manifests this installation last wrote (witness " + wfile + ")");
  }
}

// Checks log/tsr/<size>.tsr against the checkpoints of those sizes.
void CheckTimestamps(const std::string& dir, const std::string& ca_file, const std::map<uint64_t, TreeHead>& heads,
                     VerifyReport& rep) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& de : fs::directory_iterator(dir + "/log/tsr", ec)) {
    if (de.path().extension() == ".tsr") files.push_back(de.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::string stem = f.stem().string();
    uint64_t size = 0;
    bool numeric = !stem.empty() && stem.size() < 19 &&
                   std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric) size = std::stoull(stem);
    auto it = heads.find(size);
    if (!numeric || it == heads.end()) {
      rep.problems.push_back(f.string() + ": timestamp of no valid checkpoint (renamed, or its checkpoint is gone)");
      continue;
    }
    auto der = ReadFile(f.string(), kMaxTsrBytes);
    if (!der.ok()) {
      rep.problems.push_back(f.string() + ": " + der.status().message());
      continue;
    }
    std::string when;
    Status st = VerifyTimestampResponse(*der, it->second.Digest(), ca_file, "", &when);
    if (!st.ok()) {
      rep.problems.push_back(f.string() + ": " + st.message());
      continue;
    }
    rep.timestamps++;
    rep.notes.push_back("checkpoint of " + std::to_string(size) + " manifests timestamped by the TSA at " + when +
                        (ca_file.empty() ? " (imprint checked; TSA signature not checked: no tsa_ca_file)" : ""));
  }
}

std::set<uint64_t> TsrSizes(const std::string& dir) {
  std::set<uint64_t> out;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(dir + "/log/tsr", ec)) {
    std::string stem = de.path().stem().string();
    if (de.path().extension() == ".tsr" && !stem.empty() && stem.size() < 19 &&
        std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      out.insert(std::stoull(stem));
    }
  }
  return out;
}

// ------------------------------------------------------------------ folder ---

Result<VerifyReport> VerifyFolder(const std::string& dir, const VerifyOptions& o) {
  VerifyReport rep;
  Trust trust = LoadTrust(dir, o, rep);
  std::string mdir = dir + "/manifests";
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& de : fs::directory_iterator(mdir, ec)) {
    if (de.path().extension() == ".json") names.push_back(de.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::map<std::string, std::string> present;  // name -> SHA-256 of its bytes
  for (const auto& name : names) {
    std::string path = mdir + "/" + name;
    auto text = ReadFile(path, kMaxManifestBytes);
    if (!text.ok()) {
      rep.manifests++;
      rep.problems.push_back(path + ": " + text.status().message());
      continue;
    }
    present[name] = Sha256Hex(*text);
    CheckManifest(path, *text, dir, trust, rep);
  }

  auto log = ReadLogLeaves(dir);
  if (!log.ok()) {
    rep.problems.push_back(dir + "/log: " + log.status().message());
    return rep;
  }
  if (!log->exists) {
    if (rep.sealed > 0) {
      rep.problems.push_back(dir + "/log: missing, yet " + std::to_string(rep.sealed) +
                             " manifests are sealed (the evidence log was deleted)");
    }
    CheckWitness(dir, *log, o, rep);
    if (rep.unsealed > 0) rep.notes.push_back("no evidence log yet: the folder predates sealing");
    return rep;
  }
  for (const auto& p : log->problems) rep.problems.push_back(dir + "/log/leaves.jsonl: " + p);
  rep.log_size = log->tree.size();

  std::set<uint64_t> tsr = TsrSizes(dir);
  CheckpointScan cs = ScanCheckpoints(dir, *log, trust, rep, tsr);
  rep.checkpoints = cs.count;
  for (const auto& p : cs.problems) rep.problems.push_back(p);
  if (cs.more_problems > 0) {
    rep.problems.push_back(dir + "/log/checkpoints.jsonl: " + std::to_string(cs.more_problems) + " more broken checkpoints");
  }
  if (rep.log_size > 0 && (!cs.have_last || cs.last.size != rep.log_size)) {
    rep.problems.push_back(dir + "/log: " + std::to_string(rep.log_size - (cs.have_last ? cs.last.size : 0)) +
                           " leaves are not covered by a valid signed checkpoint (appended by hand)");
  }
  CheckWitness(dir, *log, o, rep);
  CheckTimestamps(dir, o.tsa_ca_file, cs.by_size, rep);

  // ---- every manifest the log names is there, unchanged; every manifest
  // there is in the log ----
  std::map<std::string, uint64_t> logged;
  for (uint64_t i = 0; i < log->leaves.size(); ++i) {
    const LogLeaf& l = log->leaves[i];
    if (l.manifest.empty()) continue;  // malformed, reported above
    std::string path = mdir + "/" + l.manifest;
    if (!logged.emplace(l.manifest, i).second) {
      rep.problems.push_back(path + ": named twice by the evidence log (leaves " + std::to_string(logged[l.manifest]) +
                             " and " + std::to_string(i) + ")");
      continue;
    }
    auto it = present.find(l.manifest);
    if (it == present.end()) {
      rep.problems.push_back(path + ": named by the evidence log (leaf " + std::to_string(i) +
                             ") but missing (deleted or renamed)");
    } else if (it->second != l.sha256) {
      rep.problems.push_back(path + ": differs from the manifest the evidence log sealed (leaf " + std::to_string(i) +
                             "): edited, cut or replaced");
    }
  }
  for (const auto& [name, sha] : present) {
    if (!logged.count(name)) {
      rep.problems.push_back(mdir + "/" + name +
                             ": not in the evidence log (added afterwards, or written by a process that stopped "
                             "before logging it)");
    }
  }
  return rep;
}

// One manifest file: its own checks, its leaf in the log, and the latest
// checkpoint covering it.
Result<VerifyReport> VerifyOneManifest(const std::string& path, const VerifyOptions& o) {
  VerifyReport rep;
  fs::path p(path);
  std::string dir = p.parent_path().parent_path().string();
  if (dir.empty()) dir = ".";
  Trust trust = LoadTrust(dir, o, rep);
  auto text = ReadFile(path, kMaxManifestBytes);
  if (!text.ok()) {
    rep.manifests++;
    rep.problems.push_back(path + ": " + text.status().message());
    return rep;
  }
  CheckManifest(path, *text, dir, trust, rep);
  auto log = ReadLogLeaves(dir);
  if (!log.ok() || !log->exists) {
    if (rep.sealed > 0) rep.problems.push_back(path + ": sealed, but there is no evidence log beside it (deleted)");
    return rep;
  }
  rep.log_size = log->tree.size();
  std::string name = p.filename().string(), sha = Sha256Hex(*text);
  bool found = false;
  for (uint64_t i = 0; i < log->leaves.size() && !found; ++i) {
    if (log->leaves[i].manifest != name) continue;
    found = true;
    if (log->leaves[i].sha256 != sha) {
      rep.problems.push_back(path + ": differs from the manifest the evidence log sealed (leaf " + std::to_string(i) +
                             "): edited, cut or replaced");
    }
  }
  if (!found) rep.problems.push_back(path + ": not in the evidence log");
  auto head = LatestCheckpoint(dir);
  if (head.ok()) {
    const PublicKey* key = trust.Find(head->key_id);
    if (!key || !VerifySignature(*key, head->SignedBytes(), head->signature) || head->size != rep.log_size ||
        head->root != log->tree.Root()) {
      rep.problems.push_back(dir + "/log: the latest checkpoint does not sign the log as it is");
    } else {
      rep.checkpoints = 1;
    }
  }
  return rep;
}

}  // namespace

// ------------------------------------------------------------------ bundle ---

namespace {

std::vector<std::string> HexList(const nlohmann::json& j, bool* ok) {
  std::vector<std::string> out;
  *ok = j.is_array();
  if (!*ok) return out;
  for (const auto& h : j) {
    std::string raw;
    if (h.is_string() && IsHex(h.get<std::string>(), 64)) {
      std::string s = h.get<std::string>();
      for (size_t i = 0; i < 64; i += 2) raw.push_back(static_cast<char>(std::stoi(s.substr(i, 2), nullptr, 16)));
    }
    if (raw.size() != 32) {
      *ok = false;
      return {};
    }
    out.push_back(raw);
  }
  return out;
}

void CheckBundleItem(const std::string& dir, const nlohmann::json& item, const TreeHead& head_ref, const Trust& trust,
                     std::set<std::string>& listed, VerifyReport& rep) {
  const TreeHead* head = &head_ref;
  if (!item.is_object()) {
    rep.problems.push_back(dir + "/bundle.json: a manifest item is not an object");
    return;
  }
  std::string name = item.value("manifest", std::string());
  std::string path = dir + "/manifests/" + name;
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') {
    rep.problems.push_back(dir + "/bundle.json: a manifest item names no manifest file");
    return;
  }
  listed.insert(name);
  auto mtext = ReadFile(path, kMaxManifestBytes);
  if (!mtext.ok()) {
    rep.manifests++;
    rep.problems.push_back(path + ": listed in the bundle but missing or unreadable: " + mtext.status().message());
    return;
  }
  size_t before = rep.problems.size();
  CheckManifest(path, *mtext, dir, trust, rep);
  if (rep.problems.size() != before) return;
  // ---- in the log: inclusion in the bundle's signed tree head ----
  LogLeaf leaf{name, Sha256Hex(*mtext)};
  bool ok1 = false, ok2 = false;
  auto proof = HexList(item.value("inclusion_proof", nlohmann::json()), &ok1);
  uint64_t index = item.value("leaf_index", static_cast<uint64_t>(-1));
  if (!ok1 || !VerifyInclusion(index, head->size, MerkleLeafHash(leaf.Line()), proof, head->root)) {
    rep.problems.push_back(path + ": not in the signed tree head: its inclusion proof fails (the manifest was "
                           "edited, cut or replaced, or the proof was)");
    return;
  }
  // ---- the checkpoint written when it was logged, and proof that the
  // log only grew from there to the bundle's head ----
  if (item.contains("logged_head")) {
    auto lh = ParseTreeHead(DumpJson(item["logged_head"]));
    auto cproof = HexList(item.value("consistency_proof", nlohmann::json()), &ok2);
    const PublicKey* lkey = lh.ok() ? trust.Find(lh->key_id) : nullptr;
    if (!lh.ok() || !lkey || !VerifySignature(*lkey, lh->SignedBytes(), lh->signature) || lh->size <= index ||
        !ok2 || !VerifyConsistency(lh->size, head->size, lh->root, head->root, cproof)) {
      rep.problems.push_back(path + ": the checkpoint written when it was logged is not a signed prefix of the "
                             "bundle's tree head (consistency proof fails)");
      return;
    }
  }
}

Result<VerifyReport> VerifyBundleDir(const std::string& dir, const VerifyOptions& o) {
  VerifyReport rep;
  auto text = ReadFile(dir + "/bundle.json", kMaxBundleIndexBytes);
  if (!text.ok()) return text.status();
  auto b = nlohmann::json::parse(*text, nullptr, false);
  if (b.is_discarded() || !b.is_object() || b.value("format", std::string()) != kBundleFormat ||
      !b.contains("manifests") || !b["manifests"].is_array() || !b.contains("tree_head") || !b["tree_head"].is_object()) {
    rep.problems.push_back(dir + "/bundle.json: not a Dragnet evidence bundle index");
    return rep;
  }
  Trust trust = LoadTrust(dir, o, rep);
  auto head = ParseTreeHead(DumpJson(b["tree_head"]));
  if (!head.ok()) {
    rep.problems.push_back(dir + "/bundle.json: tree_head: " + head.status().message());
    return rep;
  }
  const PublicKey* hkey = trust.Find(head->key_id);
  if (!hkey) {
    rep.problems.push_back(dir + "/bundle.json: tree_head " + Untrusted(head->key_id, rep));
  } else if (!VerifySignature(*hkey, head->SignedBytes(), head->signature)) {
    rep.problems.push_back(dir + "/bundle.json: tree_head signature does not match (edited)");
  } else {
    rep.checkpoints++;
  }
  rep.log_size = head->size;

  std::set<std::string> listed;
  for (const auto& item : b["manifests"]) {
    try {
      CheckBundleItem(dir, item, *head, trust, listed, rep);
    } catch (const nlohmann::json::exception&) {
      rep.problems.push_back(dir + "/bundle.json: a manifest item is malformed (a field has the wrong type)");
    }
  }
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(dir + "/manifests", ec)) {
    std::string name = de.path().filename().string();
    if (de.path().extension() == ".json" && !listed.count(name)) {
      rep.problems.push_back(de.path().string() + ": not listed in bundle.json (added)");
    }
  }
  if (b.contains("timestamp") && b["timestamp"].is_object()) {
    std::string rel = b["timestamp"].value("file", std::string());
    std::string ca = o.tsa_ca_file;
    if (ca.empty() && FileExists(dir + "/log/tsa-ca.pem")) {
      ca = dir + "/log/tsa-ca.pem";
      rep.notes.push_back("TSA certificate taken from the bundle (log/tsa-ca.pem); pass --tsa-ca to use your own");
    }
    auto der = ReadFile(dir + "/" + rel, kMaxTsrBytes);
    std::string when;
    Status st = der.ok() && rel.find("..") == std::string::npos
                    ? VerifyTimestampResponse(*der, head->Digest(), ca, "", &when)
                    : Status(Code::kNotFound, "timestamp file missing");
    if (!st.ok()) {
      rep.problems.push_back(dir + "/" + rel + ": " + st.message());
    } else {
      rep.timestamps++;
      rep.notes.push_back("tree head of " + std::to_string(head->size) + " manifests timestamped by the TSA at " + when);
    }
  }
  return rep;
}

}  // namespace

// ------------------------------------------------------------------- entry ---

Result<VerifyReport> VerifyEvidence(const std::string& path, const VerifyOptions& options) {
  std::error_code ec;
  try {
    if (fs::is_regular_file(path, ec)) return VerifyOneManifest(path, options);
    if (!fs::is_directory(path, ec)) return NotFound("no evidence at '" + path + "'");
    if (fs::is_regular_file(path + "/bundle.json", ec)) return VerifyBundleDir(path, options);
    if (!fs::is_directory(path + "/manifests", ec)) {
      return NotFound("'" + path + "' is not an evidence folder (no manifests/ inside) nor a bundle (no bundle.json)");
    }
    return VerifyFolder(path, options);
  } catch (const nlohmann::json::exception& e) {
    // A field of the wrong type somewhere no narrower guard caught.
    VerifyReport rep;
    rep.problems.push_back(path + ": malformed evidence (" + std::string(e.what()) + ")");
    return rep;
  } catch (const fs::filesystem_error& e) {
    return IoError(path + ": " + e.what());
  }
}

}  // namespace dragnet::crawler
