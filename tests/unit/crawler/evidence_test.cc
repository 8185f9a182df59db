#include "crawler/evidence.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/hash.h"
#include "tests/harness/harness.h"

namespace dragnet::crawler {
namespace {

using dragnet::testing::ReadAll;
using dragnet::testing::TempDir;
using dragnet::testing::WriteAll;

class EvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<EvidenceStore>(dir_.path());
    ASSERT_TRUE(store_->Init().ok());
    ManifestWriter w(store_.get(), "http://scam.example.com/", "test");
    for (int i = 0; i < 3; ++i) {
      Capture c;
      c.url = "http://scam.example.com/p" + std::to_string(i);
      c.final_url = c.url;
      c.via = i == 0 ? "seed" : "link";
      c.time = "2026-11-29T12:00:0" + std::to_string(i) + ".000Z";
      c.status = 200;
      c.remote_ip = "203.0.113.7";
      auto body = store_->PutBlob("<html>page " + std::to_string(i) + "</html>");
      ASSERT_TRUE(body.ok());
      c.body_sha256 = *body;
      c.raw_sha256 = *body;
      w.Add(c);
    }
    auto path = w.Write();
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    manifest_ = *path;
    head_ = w.head();
  }

  nlohmann::json Load() { return nlohmann::json::parse(ReadAll(manifest_)); }
  void Save(const nlohmann::json& j) { WriteAll(manifest_, j.dump(1)); }
  VerifyReport Verify() {
    auto r = VerifyEvidence(dir_.path());
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : VerifyReport{};
  }

  TempDir dir_;
  std::unique_ptr<EvidenceStore> store_;
  std::string manifest_;
  std::string head_;
};

TEST_F(EvidenceTest, UntouchedEvidenceVerifies) {
  VerifyReport rep = Verify();
  EXPECT_TRUE(rep.ok()) << (rep.problems.empty() ? "" : rep.problems[0]);
  EXPECT_EQ(rep.manifests, 1);
  EXPECT_EQ(rep.entries, 3);
  EXPECT_EQ(rep.blobs, 6);
  EXPECT_EQ(Load()["head"], head_);
}

TEST_F(EvidenceTest, BlobsAreContentAddressed) {
  auto sha = store_->PutBlob("hello");
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(*sha, Sha256Hex("hello"));
  EXPECT_EQ(ReadAll(store_->BlobPath(*sha)), "hello");
  auto again = store_->PutBlob("hello");
  EXPECT_EQ(*again, *sha);
}

// A blob cut short (a crash between its write and the sync that makes it
// durable) is written again by the next PutBlob of the same bytes, not
// trusted because its name exists.
TEST_F(EvidenceTest, ATruncatedBlobIsRewrittenNotReused) {
  std::string bytes(10000, 'z');
  auto sha = store_->PutBlob(bytes);
  ASSERT_TRUE(sha.ok());
  std::filesystem::resize_file(store_->BlobPath(*sha), 0);
  auto again = store_->PutBlob(bytes);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ReadAll(store_->BlobPath(*sha)), bytes);
  EXPECT_TRUE(store_->Sync().ok());
}

TEST_F(EvidenceTest, OneFlippedByteInABlobIsDetected) {
  auto j = Load();
  std::string blob = store_->BlobPath(j["entries"][1]["body_sha256"]);
  std::string bytes = ReadAll(blob);
  bytes[3] ^= 1;
  WriteAll(blob, bytes);
  VerifyReport rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("entry 1"), std::string::npos) << rep.problems[0];
  EXPECT_NE(rep.problems[0].find("altered"), std::string::npos) << rep.problems[0];
}

TEST_F(EvidenceTest, EditedEntryFieldIsDetected) {
  auto j = Load();
  j["entries"][2]["remote_ip"] = "198.51.100.1";
  Save(j);
  VerifyReport rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("entry 2"), std::string::npos) << rep.problems[0];
}

TEST_F(EvidenceTest, RemovedMiddleEntryIsDetected) {
  auto j = Load();
  j["entries"].erase(1);
  j["entry_count"] = 2;
  Save(j);
  VerifyReport rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("entry 1"), std::string::npos) << rep.problems[0];
}

TEST_F(EvidenceTest, ReorderedEntriesAreDetected) {
  auto j = Load();
  std::swap(j["entries"][0], j["entries"][1]);
  Save(j);
  VerifyReport rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("entry 0"), std::string::npos) << rep.problems[0];
}

TEST_F(EvidenceTest, DroppedTailIsDetectedByCountAndHead) {
  auto j = Load();
  j["entries"].erase(2);
  Save(j);
  VerifyReport rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("entry_count"), std::string::npos) << rep.problems[0];
  j["entry_count"] = 2;
  Save(j);
  rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("head"), std::string::npos) << rep.problems[0];
}

TEST_F(EvidenceTest, MissingBlobAndGarbageManifestAreReported) {
  auto j = Load();
  std::filesystem::remove(store_->BlobPath(j["entries"][0]["raw_sha256"]));
  VerifyReport rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("missing"), std::string::npos) << rep.problems[0];
  WriteAll(manifest_, "{not json");
  rep = Verify();
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("not a valid manifest"), std::string::npos);
}

TEST(EvidenceVerifyTest, NonEvidencePathIsAnError) {
  EXPECT_FALSE(VerifyEvidence("/nonexistent/evidence").ok());
  TempDir d;
  EXPECT_FALSE(VerifyEvidence(d.path()).ok());
}

}  // namespace
}  // namespace dragnet::crawler
