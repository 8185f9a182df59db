// `dragnet evidence` end to end, the binary of this build tree on real
// files: every tampering case of issue 12 finding 4 (and the log's own)
// exits 3 naming what; keygen rotates; export by case ID writes a bundle
// that verifies with Dragnet and with the stand-alone verifier.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "crawler/evidence.h"
#include "reporters/sqlite_state.h"
#include "tests/harness/harness.h"
#include "tests/unit/crawler/evidence_test_util.h"

namespace dragnet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ReadAll;
using testing::RunResult;
using testing::TempDir;
using testing::WriteAll;

class EvidenceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteAll(config_, "[general]\nstate_dir = \"" + state_.path() + "\"\n");
    ASSERT_TRUE(store_.Init().ok());
    for (int i = 0; i < 3; ++i) AddManifest();
  }
  std::string AddManifest() {
    auto p = crawler::test::WriteManifest(store_, "http://s" + std::to_string(manifests_.size()) + ".example/", 3);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    manifests_.push_back(p.ok() ? *p : "");
    return manifests_.back();
  }
  RunResult Dragnet(std::vector<std::string> args) {
    args.insert(args.begin(), {testing::DragnetBinary(), "--config", config_});
    return testing::Run(args);
  }
  RunResult Verify(const std::string& path = "") { return Dragnet({"evidence", "verify", path.empty() ? evdir() : path}); }
  std::string evdir() const { return state_.path() + "/evidence"; }
  json Load(int i) { return json::parse(ReadAll(manifests_[i])); }
  void Save(int i, const json& j) { WriteAll(manifests_[i], j.dump(1) + "\n"); }

  TempDir state_;
  std::string config_ = state_.path() + "/dragnet.toml";
  crawler::EvidenceStore store_{state_.path() + "/evidence", {state_.path() + "/keys"}};
  std::vector<std::string> manifests_;
};

TEST_F(EvidenceCliTest, UntouchedEvidenceVerifiesWithTheInstallationKey) {
  RunResult r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK: 3 manifests, 9 entries"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 sealed; log of 3 manifests, 3 signed checkpoints"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("key: ed25519 " + store_.keyring().Current()->pub.fingerprint), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("trusted: this installation's keys"), std::string::npos) << r.out;
  r = Verify(manifests_[1]);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(EvidenceCliTest, EveryTamperingExitsThreeNamingWhat) {
  struct Case {
    std::string name;
    std::function<void()> tamper;
    std::vector<std::string> says;
  };
  const std::string m1 = fs::path(manifests_[1]).filename().string();
  const std::string leaves = evdir() + "/log/leaves.jsonl";
  std::vector<Case> cases = {
      {"cut last entry, rewrite head and entry_count",
       [&] {
         json j = Load(2);
         j["entries"].erase(2);
         j["entry_count"] = 2;
         j["head"] = j["entries"][1]["hash"];
         Save(2, j);
       },
       {"entries, entry_count, head edited after signing", "differs from the manifest the evidence log sealed (leaf 2)"}},
      {"delete a manifest", [&] { fs::remove(manifests_[1]); },
       {"manifests/" + m1 + ": named by the evidence log (leaf 1) but missing"}},
      {"delete all manifests",
       [&] {
         for (const auto& m : manifests_) fs::remove(m);
       },
       {"(leaf 0) but missing", "(leaf 1) but missing", "(leaf 2) but missing", "FAILED: 0 manifests"}},
      {"edit started_at", [&] { json j = Load(0); j["started_at"] = "2026-01-01T00:00:00.000Z"; Save(0, j); },
       {"started_at edited after signing"}},
      {"edit written_at", [&] { json j = Load(0); j["written_at"] = "2026-01-01T00:00:00.000Z"; Save(0, j); },
       {"written_at edited after signing"}},
      {"edit tool", [&] { json j = Load(0); j["tool"] = "dragnet/0.0.1"; Save(0, j); }, {"tool edited after signing"}},
      {"edit annex", [&] { json j = Load(0); j["annex"]["dns"] = {{"A", {"198.51.100.9"}}}; Save(0, j); },
       {"annex edited after signing"}},
      {"reorder entries", [&] { json j = Load(1); std::swap(j["entries"][0], j["entries"][1]); Save(1, j); },
       {m1 + ": entry 0", "entries removed or reordered"}},
      {"reorder the log",
       [&] {
         std::string t = ReadAll(leaves);
         size_t a = t.find('\n'), b = t.find('\n', a + 1);
         WriteAll(leaves, t.substr(a + 1, b - a) + t.substr(0, a + 1) + t.substr(b + 1));
       },
       {"root does not match the log's leaves (leaves edited, removed or reordered)"}},
      {"edit the log",
       [&] {
         std::string t = ReadAll(leaves);
         size_t p = t.find("\"sha256\":\"") + 10;
         t[p] = t[p] == 'a' ? 'b' : 'a';
         WriteAll(leaves, t);
       },
       {"root does not match the log's leaves", "differs from the manifest the evidence log sealed (leaf 0)"}},
      {"delete the log", [&] { fs::remove_all(evdir() + "/log"); },
       {"the evidence log was deleted", "rolled back: this installation last checkpointed 3 manifests"}},
      {"swap the key",
       [&] {
         TempDir attacker;
         auto evil = crawler::Keyring(attacker.path()).Current();
         ASSERT_TRUE(evil.ok());
         json j = Load(1);
         j["annex"] = json::object();
         j["seal"]["key_id"] = evil->pub.key_id;
         j["seal"]["fingerprint"] = evil->pub.fingerprint;
         j["seal"]["signature"] = Base64Encode(evil->Sign(crawler::ManifestSignedBytes(j)));
         Save(1, j);
         fs::remove_all(evdir() + "/pubkeys");
         fs::create_directories(evdir() + "/pubkeys");
         WriteAll(evdir() + "/pubkeys/evidence-" + evil->pub.key_id + ".pub", evil->pub.ToJson());
       },
       {m1 + ": signed by key", "which is not a trusted key (trusted: this installation's keys"}},
  };
  // Everything as written, to restore between cases.
  TempDir pristine;
  fs::copy(state_.path(), pristine.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fs::remove_all(evdir());
    fs::copy(pristine.path() + "/evidence", evdir(), fs::copy_options::recursive);
    ASSERT_EQ(Verify().exit_code, 0);
    c.tamper();
    RunResult r = Verify();
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    for (const auto& s : c.says) EXPECT_NE(r.out.find(s), std::string::npos) << "wanted: " << s << "\n" << r.out;
    EXPECT_NE(r.out.find("BROKEN "), std::string::npos) << r.out;
  }
}

// The log and its manifests rolled back together to an older checkpoint:
// everything left is self-consistent; the witness beside the key says no.
TEST_F(EvidenceCliTest, ALogRolledBackWithItsManifestsIsCaughtByTheWitness) {
  TempDir saved;
  fs::copy(evdir(), saved.path() + "/evidence", fs::copy_options::recursive);
  std::string m3 = AddManifest();
  ASSERT_EQ(Verify().exit_code, 0);
  fs::remove_all(evdir());
  fs::copy(saved.path() + "/evidence", evdir(), fs::copy_options::recursive);
  RunResult r = Verify();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("rolled back: this installation last checkpointed 4 manifests in it"), std::string::npos)
      << r.out;
  // Without the installation (another machine, no config) the folder alone
  // looks whole: what the threat model says, and the output says whose keys.
  r = testing::Run({testing::DragnetBinary(), "--config", "/dev/null", "evidence", "verify", evdir()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("compare the fingerprint"), std::string::npos) << r.out;
}

TEST_F(EvidenceCliTest, KeygenRotatesAndOldManifestsStillVerify) {
  std::string old_fp = store_.keyring().Current()->pub.fingerprint;
  RunResult k = Dragnet({"evidence", "key"});
  EXPECT_EQ(k.exit_code, 0) << k.err;
  EXPECT_NE(k.out.find(old_fp), std::string::npos) << k.out;
  RunResult g = Dragnet({"evidence", "keygen"});
  ASSERT_EQ(g.exit_code, 0) << g.out << g.err;
  std::string new_fp = store_.keyring().Current()->pub.fingerprint;
  EXPECT_NE(new_fp, old_fp);
  EXPECT_NE(g.out.find("key: ed25519 " + new_fp), std::string::npos) << g.out;
  AddManifest();
  RunResult r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("key: ed25519 " + old_fp), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("key: ed25519 " + new_fp), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4 sealed"), std::string::npos) << r.out;
}

TEST_F(EvidenceCliTest, ExportByCaseIdWritesABundleThatVerifiesAnywhere) {
  {
    auto db = reporters::SqliteState::Open(state_.path() + "/reporter.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    reporters::CaseRecord c;
    c.case_id = "DN-0123456789ab";
    c.key = "s1.example";
    c.seed = c.final_url = "http://s1.example/";
    c.status = reporters::kCaseReported;
    c.result = {{"seed", c.seed}, {"evidence_manifest", manifests_[1]}};
    ASSERT_TRUE((*db)->Upsert(c).ok());
  }
  std::string out = state_.path() + "/bundle";
  RunResult e = Dragnet({"evidence", "export", "DN-0123456789ab", manifests_[2], "-o", out});
  ASSERT_EQ(e.exit_code, 0) << e.out << e.err;
  EXPECT_NE(e.out.find("2 manifests"), std::string::npos) << e.out;
  std::string fp = store_.keyring().Current()->pub.fingerprint;
  RunResult v = testing::Run({testing::DragnetBinary(), "--config", "/dev/null", "evidence", "verify", out, "--key", fp});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  RunResult py = testing::Run({"/usr/bin/python3", out + "/verify-evidence-bundle", out, "--key", fp});
  EXPECT_EQ(py.exit_code, 0) << py.out << py.err;

  RunResult none = Dragnet({"evidence", "export", "DN-ffffffffffff", "-o", state_.path() + "/b2"});
  EXPECT_EQ(none.exit_code, 2) << none.out << none.err;
  RunResult again = Dragnet({"evidence", "export", manifests_[0], "-o", out});
  EXPECT_EQ(again.exit_code, 2) << again.err;  // not empty
}

}  // namespace
}  // namespace dragnet
