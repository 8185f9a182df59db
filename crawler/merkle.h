#pragma once
// Merkle trees as Certificate Transparency builds them (RFC 9162 §2.1, the
// same hashes as RFC 6962): leaf hash = SHA-256(0x00 || leaf), interior
// node = SHA-256(0x01 || left || right), the split at the largest power of
// two below the size. Used by the evidence log (crawler/evidence_log.h).
//
// MerkleFrontier: the right edge of a tree (one perfect subtree root per set
// bit of the size, at most 64 hashes): enough to append a leaf and to
// compute the root in O(log n), which is what a writer keeps on disk.
// MerkleTree: every level of a tree held in memory (2n hashes), for
// verification and proofs: the root of any prefix, inclusion proofs
// (RFC 9162 §2.1.3) and consistency proofs (§2.1.4) in O(log^2 n).
// The free Verify* functions are the RFC's verification algorithms.
//
// Hashes are raw 32-byte strings. Plain value types, no I/O; a const
// instance may be read from several threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dragnet::crawler {

std::string MerkleLeafHash(std::string_view leaf);
std::string MerkleNodeHash(std::string_view left, std::string_view right);
// The root of the empty tree: SHA-256 of nothing.
std::string MerkleEmptyRoot();

class MerkleFrontier {
 public:
  MerkleFrontier() = default;
  // `nodes` are the perfect subtree roots from the largest to the
  // smallest; their count must equal the number of set bits of `size`.
  static Result<MerkleFrontier> From(uint64_t size, std::vector<std::string> nodes);
  void Append(const std::string& leaf_hash);
  std::string Root() const;
  uint64_t size() const { return size_; }
  const std::vector<std::string>& nodes() const { return nodes_; }

 private:
  uint64_t size_ = 0;
  std::vector<std::string> nodes_;
};

class MerkleTree {
 public:
  void Append(const std::string& leaf_hash);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // The root of the first `n` leaves (n <= size()).
  std::string Root(uint64_t n) const;
  std::string Root() const { return Root(size()); }
  const std::string& Leaf(uint64_t i) const { return levels_[0][i]; }
  // Audit path of leaf `index` in the tree of the first `n` leaves.
  std::vector<std::string> InclusionProof(uint64_t index, uint64_t n) const;
  // Proof that the tree of the first `m` leaves is a prefix of the tree of
  // the first `n` (0 < m <= n <= size()).
  std::vector<std::string> ConsistencyProof(uint64_t m, uint64_t n) const;

 private:
  // MTH of leaves [begin, end).
  std::string Range(uint64_t begin, uint64_t end) const;
  void SubProof(uint64_t m, uint64_t begin, uint64_t end, bool whole, std::vector<std::string>& out) const;
  // levels_[l][i]: root of the perfect subtree of leaves [i<<l, (i+1)<<l).
  std::vector<std::vector<std::string>> levels_;
};

// RFC 9162 §2.1.3.2.
bool VerifyInclusion(uint64_t index, uint64_t size, const std::string& leaf_hash,
                     const std::vector<std::string>& proof, const std::string& root);
// RFC 9162 §2.1.4.2. Sizes equal: the proof must be empty and the roots equal.
bool VerifyConsistency(uint64_t size1, uint64_t size2, const std::string& root1, const std::string& root2,
                       const std::vector<std::string>& proof);

}  // namespace dragnet::crawler
