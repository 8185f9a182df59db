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

TEST(EvidenceHeadersTest, OnlyPrintableAsciiBlocksAreInlined) {
  EXPECT_TRUE(InlineableHeaders("HTTP/1.1 200\r\nServer: nginx\r\nX-A:\tb\r\n"));
  EXPECT_TRUE(InlineableHeaders(""));
  EXPECT_FALSE(InlineableHeaders("HTTP/1.1 200\r\nX-Name: caf\xc3\xa9\r\n"));   // UTF-8
  EXPECT_FALSE(InlineableHeaders("HTTP/1.1 200\r\nX-Name: \xff\xfe\r\n"));      // raw bytes
  EXPECT_FALSE(InlineableHeaders(std::string("HTTP/1.1 200\r\nX: a\0b\r\n", 20)));
  EXPECT_FALSE(InlineableHeaders("HTTP/1.1 200\r\nX: \x1b[31m\r\n"));
}

// Inline header blocks are covered by the entry hash, and verify checks
// them against headers_sha256 so the recorded hash keeps its meaning.
TEST(EvidenceHeadersTest, InlineHeadersVerifyAndEditsAreDetected) {
  TempDir dir;
  EvidenceStore store(dir.path());
  ASSERT_TRUE(store.Init().ok());
  const std::string block = "HTTP/1.1 200\r\nServer: nginx\r\nContent-Type: text/html\r\n";
  auto write = [&](const std::string& sha) {
    ManifestWriter w(&store, "http://scam.example.com/", "test");
    Capture c;
    c.url = c.final_url = "http://scam.example.com/";
    c.via = "seed";
    c.status = 200;
    c.headers = block;
    c.headers_sha256 = sha;
    w.Add(c);
    auto path = w.Write();
    EXPECT_TRUE(path.ok());
    return path.ok() ? *path : std::string();
  };
  std::string manifest = write(Sha256Hex(block));
  auto rep = VerifyEvidence(manifest);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << rep->problems[0];
  EXPECT_EQ(rep->blobs, 0);  // nothing in objects/ to read for this entry
  EXPECT_FALSE(std::filesystem::exists(store.BlobPath(Sha256Hex(block))));

  auto j = nlohmann::json::parse(ReadAll(manifest));
  j["entries"][0]["headers"] = "HTTP/1.1 200\r\nServer: Apache\r\nContent-Type: text/html\r\n";
  WriteAll(manifest, j.dump(1));
  rep = VerifyEvidence(manifest);
  ASSERT_TRUE(rep.ok());
  ASSERT_FALSE(rep->ok());
  EXPECT_NE(rep->problems[0].find("content altered"), std::string::npos) << rep->problems[0];

  // A writer that recorded the wrong hash for its inline block.
  std::string wrong = write(Sha256Hex("something else"));
  rep = VerifyEvidence(wrong);
  ASSERT_TRUE(rep.ok());
  ASSERT_FALSE(rep->ok());
  EXPECT_NE(rep->problems[0].find("inline headers do not match"), std::string::npos) << rep->problems[0];
}

TEST(EvidenceVerifyTest, NonEvidencePathIsAnError) {
  EXPECT_FALSE(VerifyEvidence("/nonexistent/evidence").ok());
  TempDir d;
  EXPECT_FALSE(VerifyEvidence(d.path()).ok());
}

}  // namespace
}  // namespace dragnet::crawler
