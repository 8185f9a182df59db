#include "crawler/evidence_bundle.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/json.h"
#include "crawler/evidence.h"
#include "crawler/evidence_tsa.h"

namespace dragnet::crawler {
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxManifestBytes = 64ull << 20;

nlohmann::json HexArray(const std::vector<std::string>& hashes) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& h : hashes) a.push_back(HexEncode(h));
  return a;
}

std::string Readme(const ExportResult& r) {
  std::string fps;
  for (const auto& f : r.fingerprints) fps += "    " + f + "\n";
  return "Dragnet evidence bundle\n"
         "=======================\n\n"
         "What this is: " + std::to_string(r.manifests) + " evidence manifest(s) of a fraud-site scan, every\n"
         "captured response they name (objects/), and the proof that each manifest is\n"
         "in the sender's append-only evidence log: a Merkle inclusion proof against\n"
         "a signed tree head of " + std::to_string(r.head.size) + " manifests (bundle.json)" +
         (r.timestamped ? ", timestamped by an\nRFC 3161 time-stamping authority (log/tsr/)" : "") + ".\n\n"
         "Signing key fingerprint(s) (SHA-256 of the Ed25519 public key); compare\n"
         "with the fingerprint printed in the abuse report you received:\n" + fps + "\n"
         "Verify with Dragnet:\n"
         "    dragnet evidence verify THIS_FOLDER --key FINGERPRINT\n\n"
         "Verify without Dragnet (python3 and the openssl command, OpenSSL 3):\n"
         "    python3 THIS_FOLDER/verify-evidence-bundle THIS_FOLDER --key FINGERPRINT\n\n"
         "It checks every blob's SHA-256, each manifest's hash chain and Ed25519\n"
         "signature (openssl pkeyutl -verify -rawin), the inclusion proofs and the\n"
         "signed tree head (RFC 9162 Merkle hashing), the consistency proof from the\n"
         "checkpoint written when each manifest was logged, and the timestamp\n"
         "(openssl ts -verify). It prints OK and exits 0, or names what fails and\n"
         "exits 3. docs/EVIDENCE.md in Dragnet's source explains every step.\n";
}

}  // namespace

Result<ExportResult> ExportBundle(const std::vector<std::string>& manifest_paths, const std::string& out_dir,
                                  const ExportOptions& o) {
  if (manifest_paths.empty()) return InvalidArgument("no manifests to export");
  // ---- one evidence folder ----
  std::string evdir;
  std::vector<std::string> names;
  for (const auto& p : manifest_paths) {
    fs::path mp(p);
    std::string d = mp.parent_path().parent_path().string();
    if (d.empty()) d = ".";
    if (mp.parent_path().filename() != "manifests" || !FileExists(p)) {
      return NotFound("'" + p + "' is not a manifest file in an evidence folder (…/manifests/NAME.json)");
    }
    std::error_code ec;
    std::string canon = fs::weakly_canonical(d, ec).string();
    if (!evdir.empty() && canon != evdir) return InvalidArgument("manifests from two evidence folders: " + evdir + " and " + canon);
    evdir = canon;
    std::string name = mp.filename().string();
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::error_code ec;
  if (fs::exists(out_dir, ec) && !fs::is_empty(out_dir, ec)) {
    return InvalidArgument("'" + out_dir + "' exists and is not empty");
  }

  // ---- the log: each manifest's leaf, and the head to prove against ----
  auto log = ReadLogLeaves(evdir);
  if (!log.ok()) return log.status();
  if (!log->exists) return NotFound(evdir + " has no evidence log: its manifests were written before sealing");
  std::map<std::string, uint64_t> index;
  for (uint64_t i = 0; i < log->leaves.size(); ++i) index[log->leaves[i].manifest] = i;
  std::map<std::string, std::string> texts;
  uint64_t max_index = 0;
  for (const auto& name : names) {
    auto it = index.find(name);
    if (it == index.end()) return NotFound(name + " is not in the evidence log of " + evdir);
    auto text = ReadFile(evdir + "/manifests/" + name, kMaxManifestBytes);
    if (!text.ok()) return text.status();
    if (Sha256Hex(*text) != log->leaves[it->second].sha256) {
      return Corrupt(name + " differs from the manifest the evidence log sealed: run dragnet evidence verify");
    }
    texts[name] = std::move(text).value();
    max_index = std::max(max_index, it->second);
  }
  std::set<uint64_t> tsr_sizes;
  for (const auto& de : fs::directory_iterator(evdir + "/log/tsr", ec)) {
    std::string stem = de.path().stem().string();
    if (de.path().extension() == ".tsr" && !stem.empty() && stem.size() < 19 &&
        std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      tsr_sizes.insert(std::stoull(stem));
    }
  }
  // Checkpoints in file order: the first covering each manifest, the latest,
  // and the latest timestamped one covering them all.
  std::map<std::string, TreeHead> logged_head;
  TreeHead latest, stamped;
  bool have_latest = false, have_stamped = false;
  Status cs = ForEachCheckpoint(evdir, [&](uint64_t, Result<TreeHead> h) {
    if (!h.ok() || h->size > log->tree.size() || h->root != log->tree.Root(h->size)) return;
    for (const auto& name : names) {
      if (!logged_head.count(name) && h->size > index[name]) logged_head[name] = *h;
    }
    latest = *h;
    have_latest = true;
    if (h->size > max_index && tsr_sizes.count(h->size)) {
      stamped = *h;
      have_stamped = true;
    }
  });
  if (!cs.ok()) return cs;
  if (!have_latest || latest.size <= max_index) return Corrupt(evdir + "/log: no valid checkpoint covers these manifests");
  ExportResult r;
  r.dir = out_dir;
  r.head = have_stamped ? stamped : latest;
  r.timestamped = have_stamped;

  // ---- copy ----
  DRAGNET_RETURN_IF_ERROR(MakeDirs(out_dir + "/manifests"));
  DRAGNET_RETURN_IF_ERROR(MakeDirs(out_dir + "/pubkeys"));
  std::set<std::string> key_ids, blobs;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& name : names) {
    const std::string& text = texts[name];
    DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/manifests/" + name, text, Durability::kDeferred));
    auto m = nlohmann::json::parse(text, nullptr, false);
    if (m.is_object() && m.contains("seal") && m["seal"].is_object() && m["seal"].contains("key_id") &&
        m["seal"]["key_id"].is_string()) {
      key_ids.insert(m["seal"]["key_id"].get<std::string>());
    }
    if (m.is_object() && m.contains("entries") && m["entries"].is_array()) {
      for (const auto& e : m["entries"]) {
        if (!e.is_object()) continue;
        for (const char* k : {"headers_sha256", "raw_sha256", "body_sha256"}) {
          if (!e.contains(k) || !e[k].is_string()) continue;
          std::string sha = e[k].get<std::string>();
          if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos ||
              (std::string_view(k) == "headers_sha256" && e.contains("headers"))) {
            continue;
          }
          blobs.insert(sha);
        }
      }
    }
    uint64_t i = index[name];
    nlohmann::json item = {{"manifest", name},
                           {"sha256", log->leaves[i].sha256},
                           {"leaf_index", i},
                           {"inclusion_proof", HexArray(log->tree.InclusionProof(i, r.head.size))}};
    auto lh = logged_head.find(name);
    if (lh != logged_head.end() && lh->second.size <= r.head.size) {
      item["logged_head"] = nlohmann::json::parse(lh->second.Line());
      item["consistency_proof"] = HexArray(log->tree.ConsistencyProof(lh->second.size, r.head.size));
    }
    items.push_back(item);
  }
  key_ids.insert(r.head.key_id);
  for (const auto& [name, h] : logged_head) key_ids.insert(h.key_id);
  for (const auto& sha : blobs) {
    std::string dst = out_dir + "/objects/" + sha.substr(0, 2);
    DRAGNET_RETURN_IF_ERROR(MakeDirs(dst));
    fs::copy_file(evdir + "/objects/" + sha.substr(0, 2) + "/" + sha, dst + "/" + sha,
                  fs::copy_options::overwrite_existing, ec);
    if (ec) return IoError("cannot copy blob " + sha + ": " + ec.message());
    r.blobs++;
  }
  // Public keys: from the installation when it has them, else beside the evidence.
  for (const auto& id : key_ids) {
    // A key ID becomes a file name: 16 hex digits or nothing.
    if (id.size() != 16 || id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Corrupt("a manifest names key ID '" + id + "', which is not a key ID");
    }
    std::string src = (o.key_dir.empty() ? evdir + "/pubkeys" : o.key_dir) + "/evidence-" + id + ".pub";
    if (!FileExists(src)) src = evdir + "/pubkeys/evidence-" + id + ".pub";
    auto text = ReadFile(src, 64 << 10);
    if (!text.ok()) return Status(text.status().code(), "public key " + id + ": " + text.status().message());
    auto k = ParsePublicKey(*text);
    if (!k.ok()) return Status(k.status().code(), src + ": " + k.status().message());
    DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/pubkeys/evidence-" + id + ".pub", *text, Durability::kDeferred));
    DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/pubkeys/evidence-" + id + ".pem", k->Pem(), Durability::kDeferred));
    r.fingerprints.push_back(k->fingerprint);
  }
  nlohmann::json b = {{"format", kBundleFormat},
                      {"created_at", FormatRfc3339Ms(SystemClock::Instance().NowUnixMs())},
                      {"tool", o.tool},
                      {"tree_head", nlohmann::json::parse(r.head.Line())},
                      {"manifests", items},
                      {"keys", r.fingerprints}};
  if (r.timestamped) {
    std::string rel = "log/tsr/" + std::to_string(r.head.size) + ".tsr";
    DRAGNET_RETURN_IF_ERROR(MakeDirs(out_dir + "/log/tsr"));
    fs::copy_file(evdir + "/" + rel, out_dir + "/" + rel, fs::copy_options::overwrite_existing, ec);
    if (ec) return IoError("cannot copy timestamp: " + ec.message());
    b["timestamp"] = {{"file", rel}};
    if (!o.tsa_ca_file.empty()) {
      fs::copy_file(o.tsa_ca_file, out_dir + "/log/tsa-ca.pem", fs::copy_options::overwrite_existing, ec);
      if (ec) return IoError("cannot copy the TSA certificate " + o.tsa_ca_file + ": " + ec.message());
    }
  }
  r.manifests = static_cast<int>(names.size());
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/bundle.json", DumpJson(b, 1) + "\n", Durability::kDeferred));
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/README.txt", Readme(r), Durability::kDeferred));
  DRAGNET_RETURN_IF_ERROR(
      WriteFileAtomic(out_dir + "/verify-evidence-bundle", BundleVerifyScript(), Durability::kDeferred));
  fs::permissions(out_dir + "/verify-evidence-bundle", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add, ec);
  DRAGNET_RETURN_IF_ERROR(SyncFilesystem(out_dir));
  return r;
}

}  // namespace dragnet::crawler
