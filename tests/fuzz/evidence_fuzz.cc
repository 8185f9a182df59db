// evidence_fuzz: hostile bytes into every evidence parser and verifier:
// log leaves, signed tree heads, public key files, RFC 3161 responses (DER
// from a TSA on the network), and whole manifests and bundle indexes run
// through VerifyEvidence. The first byte picks the target; the rest is the
// input. Nothing may crash, leak or hang; every outcome is a Status or a
// problem in the report.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/fs.h"
#include "core/hash.h"
#include "crawler/evidence.h"
#include "crawler/evidence_bundle.h"
#include "crawler/evidence_log.h"
#include "crawler/evidence_tsa.h"

namespace {

// The scratch folder, removed when the fuzzer exits.
struct Scratch {
  std::string path;
  ~Scratch() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

const std::string& Dir() {
  static Scratch scratch;
  static const std::string dir = [] {
    char tmpl[] = "/tmp/dragnet-evidence-fuzz-XXXXXX";
    char* d = ::mkdtemp(tmpl);
    if (!d) std::abort();
    std::string s = d;
    std::filesystem::create_directories(s + "/ev/manifests");
    std::filesystem::create_directories(s + "/ev/objects");
    std::filesystem::create_directories(s + "/ev/log");
    std::filesystem::create_directories(s + "/bundle/manifests");
    scratch.path = s;
    return s;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace dragnet::crawler;
  switch (data[0] % 6) {
    case 0:
      (void)ParseLogLeaf(in);
      break;
    case 1:
      if (auto h = ParseTreeHead(in); h.ok()) (void)h->Line();
      break;
    case 2:
      (void)ParsePublicKey(in);
      break;
    case 3: {
      std::string gen;
      (void)VerifyTimestampResponse(in, dragnet::Sha256Raw("x"), "", "", &gen);
      break;
    }
    case 4: {
      // A manifest, and the same bytes as the log's leaves and checkpoints.
      (void)dragnet::WriteFileAtomic(Dir() + "/ev/manifests/m.json", in, dragnet::Durability::kDeferred);
      (void)dragnet::WriteFileAtomic(Dir() + "/ev/log/leaves.jsonl", in, dragnet::Durability::kDeferred);
      (void)dragnet::WriteFileAtomic(Dir() + "/ev/log/checkpoints.jsonl", in, dragnet::Durability::kDeferred);
      (void)VerifyEvidence(Dir() + "/ev");
      break;
    }
    case 5: {
      (void)dragnet::WriteFileAtomic(Dir() + "/bundle/bundle.json", in, dragnet::Durability::kDeferred);
      (void)VerifyEvidence(Dir() + "/bundle");
      break;
    }
  }
  return 0;
}
