// RFC 9162 / RFC 6962 Merkle hashing: the Certificate Transparency reference
// vectors (roots of the 8-leaf test tree and two audit paths, as published
// with CT's reference implementation), and proofs round-tripped over every
// tree shape up to 70 leaves, with every single tampering rejected.
#include "crawler/merkle.h"

#include <gtest/gtest.h>

#include "core/hash.h"

namespace dragnet::crawler {
namespace {

std::string Unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

const std::vector<std::string> kLeaves = {"", Unhex("00"), Unhex("10"), Unhex("2021"), Unhex("3031"),
                                          Unhex("40414243"), Unhex("5051525354555657"),
                                          Unhex("606162636465666768696a6b6c6d6e6f")};
const std::vector<std::string> kRoots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

TEST(MerkleTest, RootsMatchTheCertificateTransparencyVectors) {
  MerkleTree tree;
  MerkleFrontier frontier;
  EXPECT_EQ(HexEncode(tree.Root()), kRoots[0]);
  EXPECT_EQ(HexEncode(frontier.Root()), kRoots[0]);
  for (size_t i = 0; i < kLeaves.size(); ++i) {
    tree.Append(MerkleLeafHash(kLeaves[i]));
    frontier.Append(MerkleLeafHash(kLeaves[i]));
    EXPECT_EQ(HexEncode(tree.Root()), kRoots[i + 1]) << "size " << i + 1;
    EXPECT_EQ(HexEncode(frontier.Root()), kRoots[i + 1]) << "size " << i + 1;
  }
  for (size_t n = 0; n <= kLeaves.size(); ++n) EXPECT_EQ(HexEncode(tree.Root(n)), kRoots[n]);
}

TEST(MerkleTest, AuditPathsMatchTheReferenceVectors) {
  MerkleTree tree;
  for (const auto& l : kLeaves) tree.Append(MerkleLeafHash(l));
  std::vector<std::string> p0;
  for (const auto& h : tree.InclusionProof(0, 8)) p0.push_back(HexEncode(h));
  EXPECT_EQ(p0, (std::vector<std::string>{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                                          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  std::vector<std::string> p5;
  for (const auto& h : tree.InclusionProof(5, 8)) p5.push_back(HexEncode(h));
  EXPECT_EQ(p5, (std::vector<std::string>{"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                                          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                                          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
}

TEST(MerkleTest, ProofsRoundTripForEveryShapeAndTamperingFails) {
  constexpr uint64_t kMax = 70;
  MerkleTree tree;
  for (uint64_t i = 0; i < kMax; ++i) tree.Append(MerkleLeafHash("leaf " + std::to_string(i)));
  const std::string bogus = MerkleLeafHash("bogus");
  for (uint64_t n = 1; n <= kMax; ++n) {
    std::string root = tree.Root(n);
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = tree.InclusionProof(i, n);
      ASSERT_TRUE(VerifyInclusion(i, n, tree.Leaf(i), proof, root)) << i << "/" << n;
      EXPECT_FALSE(VerifyInclusion(i, n, bogus, proof, root));
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((i + 1) % n, n, tree.Leaf(i), proof, root)) << i << "/" << n;
      }
      for (size_t k = 0; k < proof.size(); ++k) {
        auto bad = proof;
        bad[k][0] ^= 1;
        EXPECT_FALSE(VerifyInclusion(i, n, tree.Leaf(i), bad, root));
      }
    }
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = tree.ConsistencyProof(m, n);
      ASSERT_TRUE(VerifyConsistency(m, n, tree.Root(m), root, proof)) << m << "->" << n;
      if (m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, bogus, root, proof)) << m << "->" << n;
        EXPECT_FALSE(VerifyConsistency(m, n, tree.Root(m), bogus, proof)) << m << "->" << n;
        for (size_t k = 0; k < proof.size(); ++k) {
          auto bad = proof;
          bad[k][5] ^= 0x40;
          EXPECT_FALSE(VerifyConsistency(m, n, tree.Root(m), root, bad)) << m << "->" << n << " #" << k;
        }
      }
    }
  }
  // A shrinking "consistency" is never accepted.
  EXPECT_FALSE(VerifyConsistency(5, 4, tree.Root(5), tree.Root(4), tree.ConsistencyProof(4, 5)));
}

TEST(MerkleTest, FrontierRoundTripsAndRejectsAWrongShape) {
  MerkleFrontier f;
  for (int i = 0; i < 13; ++i) f.Append(MerkleLeafHash(std::to_string(i)));
  auto copy = MerkleFrontier::From(f.size(), f.nodes());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->Root(), f.Root());
  EXPECT_FALSE(MerkleFrontier::From(12, f.nodes()).ok());  // 12 has two set bits, 13 three
}

}  // namespace
}  // namespace dragnet::crawler
