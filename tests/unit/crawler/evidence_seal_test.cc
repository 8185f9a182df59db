// Sealed evidence through the library: what Write() leaves on disk (seal,
// log, checkpoint, key 0600), key rotation, several processes appending to
// one log at once, recovery from a torn append, manifests from before
// sealing, and the log's own tampering cases. The tampering cases of issue
// 12 finding 4 run against the CLI in tests/unit/app/evidence_cli_test.cc.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "crawler/evidence.h"
#include "crawler/evidence_tsa.h"
#include "tests/harness/harness.h"
#include "tests/unit/crawler/evidence_test_util.h"

namespace dragnet::crawler {
namespace {

namespace fs = std::filesystem;
using dragnet::testing::ReadAll;
using dragnet::testing::TempDir;
using dragnet::testing::WriteAll;

class SealTest : public ::testing::Test {
 protected:
  SealTest() : store_(state_.path() + "/evidence", {state_.path() + "/keys"}) {}
  void SetUp() override { ASSERT_TRUE(store_.Init().ok()); }
  std::string Write(const std::string& seed, int n = 3, const std::string& salt = "") {
    auto p = test::WriteManifest(store_, seed, n, salt);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : "";
  }
  VerifyReport Verify(VerifyOptions o = {}) {
    if (o.key_dir.empty()) o.key_dir = state_.path() + "/keys";
    auto r = VerifyEvidence(store_.dir(), o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }
  static std::string All(const VerifyReport& r) {
    std::string s;
    for (const auto& p : r.problems) s += p + "\n";
    return s;
  }
  std::string Log(const char* f) { return store_.dir() + "/log/" + f; }

  TempDir state_;
  EvidenceStore store_;
};

TEST_F(SealTest, WriteSealsLogsAndCheckpointsWithAPrivateKey) {
  std::string m1 = Write("http://a.example/");
  std::string m2 = Write("http://b.example/");
  auto j = nlohmann::json::parse(ReadAll(m2));
  EXPECT_EQ(j["format"], "dragnet-evidence-manifest/2");
  ASSERT_TRUE(j.contains("seal"));
  auto key = store_.keyring().Current();
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(j["seal"]["key_id"], key->pub.key_id);
  EXPECT_EQ(j["seal"]["fingerprint"], key->pub.fingerprint);
  EXPECT_TRUE(VerifySignature(key->pub, ManifestSignedBytes(j), Base64Decode(j["seal"]["signature"].get<std::string>())));

  struct stat st {};
  ASSERT_EQ(::stat((store_.key_dir() + "/evidence-" + key->pub.key_id + ".key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(store_.key_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // The private key is never in the evidence folder; its public half is.
  for (const auto& e : fs::recursive_directory_iterator(store_.dir())) {
    EXPECT_NE(e.path().extension(), ".key") << e.path();
  }
  EXPECT_TRUE(fs::exists(store_.dir() + "/pubkeys/evidence-" + key->pub.key_id + ".pub"));

  auto log = ReadLogLeaves(store_.dir());
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->leaves.size(), 2u);
  EXPECT_EQ(log->leaves[1].manifest, fs::path(m2).filename().string());
  EXPECT_EQ(log->leaves[1].sha256, Sha256Hex(ReadAll(m2)));
  auto head = LatestCheckpoint(store_.dir());
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 2u);
  EXPECT_EQ(head->root, log->tree.Root());
  EXPECT_TRUE(VerifySignature(key->pub, head->SignedBytes(), head->signature));

  VerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok()) << All(rep);
  EXPECT_EQ(rep.sealed, 2);
  EXPECT_EQ(rep.log_size, 2u);
  EXPECT_EQ(rep.checkpoints, 2);
  EXPECT_NE(rep.trust.find("installation"), std::string::npos) << rep.trust;
}

// Old keys stay trusted for what they signed; the old private key is gone.
TEST_F(SealTest, KeyRotationKeepsOldManifestsVerifiable) {
  std::string m1 = Write("http://a.example/");
  auto k1 = store_.keyring().Current();
  ASSERT_TRUE(k1.ok());
  auto k2 = store_.keyring().Rotate();
  ASSERT_TRUE(k2.ok());
  EXPECT_NE(k1->pub.key_id, k2->pub.key_id);
  EXPECT_FALSE(fs::exists(store_.key_dir() + "/evidence-" + k1->pub.key_id + ".key"));
  EXPECT_TRUE(fs::exists(store_.key_dir() + "/evidence-" + k1->pub.key_id + ".pub"));
  std::string m2 = Write("http://b.example/");
  EXPECT_EQ(nlohmann::json::parse(ReadAll(m1))["seal"]["key_id"], k1->pub.key_id);
  EXPECT_EQ(nlohmann::json::parse(ReadAll(m2))["seal"]["key_id"], k2->pub.key_id);
  auto pubs = store_.keyring().PublicKeys();
  ASSERT_TRUE(pubs.ok());
  EXPECT_EQ(pubs->size(), 2u);

  VerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok()) << All(rep);
  EXPECT_EQ(rep.sealed, 2);
  // Pinning only the new key: what the old key signed is no longer trusted.
  VerifyOptions pinned;
  pinned.pinned_keys = {k2->pub.fingerprint};
  rep = Verify(pinned);
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(All(rep).find("signed by key " + k1->pub.key_id + ", which is not a trusted key"), std::string::npos)
      << All(rep);
}

// Several processes (the daemon's workers, daemons sharing a state folder)
// write manifests into one folder at once: every one is logged exactly
// once, the checkpoints grow one by one, and everything verifies.
TEST_F(SealTest, ConcurrentWritersFromSeveralProcessesKeepTheLogConsistent) {
  constexpr int kProcs = 4, kEach = 15;
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      EvidenceStore s(store_.dir(), {store_.key_dir()});
      int bad = 0;
      for (int i = 0; i < kEach; ++i) {
        auto r = test::WriteManifest(s, "http://p" + std::to_string(p) + "-" + std::to_string(i) + ".example/", 2);
        if (!r.ok()) ++bad;
      }
      ::_exit(bad);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  VerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok()) << All(rep);
  EXPECT_EQ(rep.manifests, kProcs * kEach);
  EXPECT_EQ(rep.log_size, static_cast<uint64_t>(kProcs * kEach));
  EXPECT_EQ(rep.checkpoints, kProcs * kEach);
  // One key, made once although four processes started without one.
  auto pubs = store_.keyring().PublicKeys();
  ASSERT_TRUE(pubs.ok());
  EXPECT_EQ(pubs->size(), 1u);
}

// A crash mid-append leaves a torn line, or a state file behind the log:
// the next append repairs it and nothing is lost or doubled.
TEST_F(SealTest, TornAppendAndStaleStateAreRepairedByTheNextAppend) {
  Write("http://a.example/");
  {
    std::ofstream f(Log("leaves.jsonl"), std::ios::app);
    f << "{\"manifest\":\"half";
  }
  Write("http://b.example/");
  fs::remove(Log("state.json"));
  Write("http://c.example/");
  VerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok()) << All(rep);
  EXPECT_EQ(rep.log_size, 3u);
}

// A log shorter than its state, or than the witness beside the keys, was
// cut: appending refuses (the scan records the evidence error) rather than
// build on it.
TEST_F(SealTest, AppendRefusesALogThatWasCutOrRolledBack) {
  Write("http://a.example/");
  std::string before = ReadAll(Log("leaves.jsonl"));
  std::string cps = ReadAll(Log("checkpoints.jsonl"));
  std::string state = ReadAll(Log("state.json"));
  Write("http://b.example/");
  // Roll the whole log folder back, state included: only the witness knows.
  WriteAll(Log("leaves.jsonl"), before);
  WriteAll(Log("checkpoints.jsonl"), cps);
  WriteAll(Log("state.json"), state);
  auto r = test::WriteManifest(store_, "http://c.example/", 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorrupt);
  EXPECT_NE(r.status().message().find("rolled back"), std::string::npos) << r.status().message();
}

// Manifests written before sealing still verify (chain only, said so); the
// first sealed write takes them into the log, and from then on editing
// them shows.
TEST_F(SealTest, UnsealedManifestsVerifyAndAreAnchoredByTheFirstLog) {
  TempDir other;
  EvidenceStore old(other.path() + "/evidence", {other.path() + "/keys"});
  ASSERT_TRUE(old.Init().ok());
  auto sealed = test::WriteManifest(old, "http://old.example/", 2);
  ASSERT_TRUE(sealed.ok());
  // Make it look like a manifest from before sealing, in our folder.
  auto j = nlohmann::json::parse(ReadAll(*sealed));
  j.erase("seal");
  j["format"] = "dragnet-evidence-manifest/1";
  std::string legacy = store_.dir() + "/manifests/2026-01-01T00-00-00-000Z-legacy.json";
  WriteAll(legacy, j.dump(1) + "\n");
  fs::copy(other.path() + "/evidence/objects", store_.dir() + "/objects",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);

  VerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok()) << All(rep);
  EXPECT_EQ(rep.unsealed, 1);
  EXPECT_EQ(rep.sealed, 0);

  Write("http://new.example/");
  rep = Verify();
  EXPECT_TRUE(rep.ok()) << All(rep);
  EXPECT_EQ(rep.unsealed, 1);
  EXPECT_EQ(rep.sealed, 1);
  EXPECT_EQ(rep.log_size, 2u);  // the legacy manifest, then the new one

  j["annex"] = {{"note", "added later"}};
  WriteAll(legacy, j.dump(1) + "\n");
  rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(All(rep).find("legacy.json: differs from the manifest the evidence log sealed"), std::string::npos)
      << All(rep);
}

TEST_F(SealTest, LogTamperingIsNamed) {
  for (int i = 0; i < 4; ++i) Write("http://s" + std::to_string(i) + ".example/");
  std::string leaves = ReadAll(Log("leaves.jsonl"));
  std::string cps = ReadAll(Log("checkpoints.jsonl"));

  // Two leaves swapped: every later checkpoint's root disagrees.
  std::vector<std::string> lines;
  std::stringstream ss(leaves);
  for (std::string l; std::getline(ss, l);) lines.push_back(l);
  std::swap(lines[1], lines[2]);
  std::string swapped;
  for (const auto& l : lines) swapped += l + "\n";
  WriteAll(Log("leaves.jsonl"), swapped);
  VerifyReport rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(All(rep).find("root does not match the log's leaves"), std::string::npos) << All(rep);

  // A checkpoint edited (its time): its signature no longer holds.
  WriteAll(Log("leaves.jsonl"), leaves);
  std::string edited = cps;
  size_t t = edited.find("\"time\":\"2");
  ASSERT_NE(t, std::string::npos);
  edited[t + 8] = '1';
  WriteAll(Log("checkpoints.jsonl"), edited);
  rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(All(rep).find("checkpoint 1 (size 1): signature does not match"), std::string::npos) << All(rep);

  // Checkpoints replayed out of order.
  std::vector<std::string> cl;
  std::stringstream cs(cps);
  for (std::string l; std::getline(cs, l);) cl.push_back(l);
  std::swap(cl[2], cl[3]);
  std::string reordered;
  for (const auto& l : cl) reordered += l + "\n";
  WriteAll(Log("checkpoints.jsonl"), reordered);
  rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(All(rep).find("does not grow the log"), std::string::npos) << All(rep);

  // A leaf appended by hand, with no signed checkpoint over it.
  WriteAll(Log("checkpoints.jsonl"), cps);
  WriteAll(Log("leaves.jsonl"), leaves + LogLeaf{"x.json", std::string(64, 'a')}.Line() + "\n");
  rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(All(rep).find("1 leaves are not covered by a valid signed checkpoint"), std::string::npos) << All(rep);
  EXPECT_NE(All(rep).find("x.json: named by the evidence log (leaf 4) but missing"), std::string::npos) << All(rep);

  WriteAll(Log("leaves.jsonl"), leaves);
  rep = Verify();
  EXPECT_TRUE(rep.ok()) << All(rep);
}

// verify streams blobs: a blob far larger than the chunk is hashed in
// chunks and a change in its last byte is still caught.
TEST_F(SealTest, BlobsAreHashedInChunks) {
  std::string big(3 * kHashChunkBytes + 17, 'x');
  auto sha = store_.PutBlob(big);
  ASSERT_TRUE(sha.ok());
  uint64_t size = 0;
  auto got = Sha256FileHex(store_.BlobPath(*sha), &size);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, Sha256Hex(big));
  EXPECT_EQ(size, big.size());
  big.back() = 'y';
  WriteAll(store_.BlobPath(*sha), big);
  EXPECT_NE(*Sha256FileHex(store_.BlobPath(*sha)), *sha);
  EXPECT_EQ(Sha256FileHex(store_.dir() + "/nope").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace dragnet::crawler
