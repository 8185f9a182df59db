// dragnet evidence verify DIR|MANIFEST|BUNDLE [--key FPR]... [--tsa-ca PEM]
// dragnet evidence keygen
// dragnet evidence export CASE|MANIFEST... -o DIR
// dragnet evidence timestamp
// Sealed evidence: crawler/evidence*.h, docs/EVIDENCE.md.
#include <iostream>

#include "cli/common.h"
#include "crawler/evidence.h"
#include "crawler/evidence_bundle.h"
#include "crawler/evidence_tsa.h"
#include "dragnet/version.h"
#include "reporters/service.h"

namespace dragnet::cli {
namespace {

struct EvidenceFlags {
  std::string path;
  std::vector<std::string> keys;
  std::string tsa_ca;
  std::vector<std::string> items;
  std::string out;
};

void PrintReport(const crawler::VerifyReport& r) {
  if (!r.trusted_keys.empty()) {
    for (const auto& fp : r.trusted_keys) std::cout << "key: ed25519 " << fp << "\n";
    std::cout << "trusted: " << r.trust << "\n";
  }
  for (const auto& n : r.notes) std::cout << "note: " << n << "\n";
  for (const auto& p : r.problems) std::cout << "BROKEN " << p << "\n";
  std::cout << (r.ok() ? "OK" : "FAILED") << ": " << r.manifests << " manifests, " << r.entries << " entries, "
            << r.blobs << " blobs checked";
  std::cout << "; " << r.sealed << " sealed";
  if (r.unsealed > 0) std::cout << ", " << r.unsealed << " unsigned (written before sealing: hash chain only)";
  std::cout << "; log of " << r.log_size << " manifests, " << r.checkpoints << " signed checkpoints";
  if (r.timestamps > 0) std::cout << ", " << r.timestamps << " timestamps";
  std::cout << "\n";
}

// A case ID (DN-...) -> the manifest of its last scan; anything else is a path.
bool ResolveItems(Globals& g, const std::vector<std::string>& items, std::vector<std::string>& paths) {
  std::unique_ptr<reporters::OpenedService> svc;
  for (const auto& it : items) {
    if (it.rfind("DN-", 0) != 0) {
      paths.push_back(it);
      continue;
    }
    if (!svc) svc = OpenReporter(g, "evidence export");
    if (!svc) return false;
    auto c = svc->service->GetCase(it);
    if (!c.ok()) {
      std::cerr << "dragnet evidence export: " << c.status().message() << "\n";
      g.exit_code = ExitCodeFor(c.status());
      return false;
    }
    if (!c->result.is_object() || !c->result.contains("evidence_manifest") ||
        !c->result["evidence_manifest"].is_string() || c->result["evidence_manifest"].get<std::string>().empty()) {
      std::cerr << "dragnet evidence export: case " << it << " has no evidence manifest\n";
      g.exit_code = kExitUsage;
      return false;
    }
    paths.push_back(c->result["evidence_manifest"].get<std::string>());
  }
  return true;
}

void RegisterEvidence(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("evidence", "Work with the evidence store: verify, keygen, export, timestamp");
  cmd->require_subcommand(1);
  auto f = std::make_shared<EvidenceFlags>();

  auto* verify = cmd->add_subcommand(
      "verify", "Re-check every blob, every manifest's hash chain and seal, the evidence log, its signed "
                "checkpoints and timestamps, or an exported bundle; exit 3 naming what was altered, cut, "
                "reordered or deleted");
  verify->add_option("path", f->path, "Evidence folder, one manifest file, or an exported bundle")->required();
  verify->add_option("--key", f->keys, "Trust only this key (SHA-256 fingerprint or key ID); repeatable");
  verify->add_option("--tsa-ca", f->tsa_ca, "PEM CA of the time-stamping authority [evidence.tsa_ca_file]");
  verify->callback([f, &g] {
    auto cfg = LoadConfigOrReport(g, "evidence verify");
    if (!cfg) return;
    crawler::VerifyOptions o;
    o.key_dir = cfg->evidence.key_dir;
    o.pinned_keys = f->keys;
    o.tsa_ca_file = f->tsa_ca.empty() ? cfg->evidence.tsa_ca_file : f->tsa_ca;
    auto rep = crawler::VerifyEvidence(f->path, o);
    if (!rep.ok()) {
      std::cerr << "dragnet evidence verify: " << rep.status().message() << "\n";
      g.exit_code = kExitUsage;
      return;
    }
    PrintReport(*rep);
    g.exit_code = rep->ok() ? kExitOk : kExitIntegrity;
  });

  auto* keygen = cmd->add_subcommand(
      "keygen", "Make a new evidence signing key current (the old private key is deleted, its public key kept "
                "so what it signed still verifies); prints the new fingerprint");
  keygen->callback([&g] {
    auto cfg = LoadConfigOrReport(g, "evidence keygen");
    if (!cfg) return;
    auto k = crawler::Keyring(cfg->evidence.key_dir).Rotate();
    if (!k.ok()) {
      std::cerr << "dragnet evidence keygen: " << k.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    std::cout << "key: ed25519 " << k->pub.fingerprint << " (key ID " << k->pub.key_id << ")\n"
              << "public key: " << k->pub.Base64() << "\n"
              << "folder: " << cfg->evidence.key_dir << "\n";
  });

  auto* key = cmd->add_subcommand("key", "Print the evidence signing key's fingerprint and public key (made on first use)");
  key->callback([&g] {
    auto cfg = LoadConfigOrReport(g, "evidence key");
    if (!cfg) return;
    auto k = crawler::Keyring(cfg->evidence.key_dir).Current();
    if (!k.ok()) {
      std::cerr << "dragnet evidence key: " << k.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    std::cout << "key: ed25519 " << k->pub.fingerprint << " (key ID " << k->pub.key_id << ")\n"
              << "public key: " << k->pub.Base64() << "\n";
  });

  auto* exp = cmd->add_subcommand(
      "export", "Write a self-contained bundle (manifests, blobs, log proofs, signed tree head, public keys, "
                "timestamp, README.txt and a stand-alone verifier) for cases or manifest files");
  exp->add_option("items", f->items, "Case IDs (DN-...) or manifest paths")->required();
  exp->add_option("-o,--output", f->out, "Bundle folder to create (must not exist or be empty)")->required();
  exp->callback([f, &g] {
    auto cfg = LoadConfigOrReport(g, "evidence export");
    if (!cfg) return;
    std::vector<std::string> paths;
    if (!ResolveItems(g, f->items, paths)) return;
    crawler::ExportOptions o;
    o.key_dir = cfg->evidence.key_dir;
    o.tsa_ca_file = cfg->evidence.tsa_ca_file;
    o.tool = std::string("dragnet/") + DRAGNET_VERSION;
    auto r = crawler::ExportBundle(paths, f->out, o);
    if (!r.ok()) {
      std::cerr << "dragnet evidence export: " << r.status().message() << "\n";
      g.exit_code = r.status().code() == Code::kCorrupt ? kExitIntegrity : ExitCodeFor(r.status());
      return;
    }
    std::cout << "bundle: " << r->dir << "\n"
              << "  " << r->manifests << " manifests, " << r->blobs << " blobs, tree head of " << r->head.size
              << " manifests" << (r->timestamped ? " (timestamped)" : "") << "\n";
    for (const auto& fp : r->fingerprints) std::cout << "  key: ed25519 " << fp << "\n";
    std::cout << "verify: dragnet evidence verify " << r->dir << "   (or: python3 " << r->dir
              << "/verify-evidence-bundle " << r->dir << ")\n";
  });

  auto* ts = cmd->add_subcommand(
      "timestamp", "Ask the TSA ([evidence] tsa_url) for an RFC 3161 timestamp of the evidence log's latest "
                   "checkpoint, through the fetcher");
  ts->callback([&g] {
    auto cfg = LoadConfigOrReport(g, "evidence timestamp");
    if (!cfg) return;
    auto r = crawler::TimestampLatest(cfg->crawl.evidence_dir, cfg->evidence.tsa(), cfg->crawl);
    if (!r.ok()) {
      std::cerr << "dragnet evidence timestamp: " << r.status().message() << "\n";
      g.exit_code = ExitCodeFor(r.status());
      return;
    }
    std::cout << "timestamp: " << r->path << " (checkpoint of " << r->head.size << " manifests"
              << (r->gen_time.empty() ? "" : ", TSA time " + r->gen_time) << ")\n";
  });
}

}  // namespace

DRAGNET_COMMAND(evidence, 40, RegisterEvidence);

}  // namespace dragnet::cli
