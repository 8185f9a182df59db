#include "crawler/merkle.h"

#include "core/hash.h"

namespace dragnet::crawler {

namespace {

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace

std::string MerkleLeafHash(std::string_view leaf) {
  std::string buf;
  buf.reserve(leaf.size() + 1);
  buf.push_back('\x00');
  buf.append(leaf);
  return Sha256Raw(buf);
}

std::string MerkleNodeHash(std::string_view left, std::string_view right) {
  std::string buf;
  buf.reserve(1 + left.size() + right.size());
  buf.push_back('\x01');
  buf.append(left);
  buf.append(right);
  return Sha256Raw(buf);
}

std::string MerkleEmptyRoot() { return Sha256Raw(""); }

// ---------------------------------------------------------------- frontier ---

Result<MerkleFrontier> MerkleFrontier::From(uint64_t size, std::vector<std::string> nodes) {
  if (static_cast<size_t>(__builtin_popcountll(size)) != nodes.size()) {
    return Corrupt("Merkle frontier of size " + std::to_string(size) + " needs " +
                   std::to_string(__builtin_popcountll(size)) + " nodes, has " + std::to_string(nodes.size()));
  }
  for (const auto& n : nodes) {
    if (n.size() != 32) return Corrupt("Merkle frontier node is not 32 bytes");
  }
  MerkleFrontier f;
  f.size_ = size;
  f.nodes_ = std::move(nodes);
  return f;
}

void MerkleFrontier::Append(const std::string& leaf_hash) {
  // Each trailing one bit of the size is a perfect subtree that the new
  // leaf completes into one twice as large: at most 64 merges.
  std::string carry = leaf_hash;
  for (uint64_t s = size_; s & 1; s >>= 1) {
    carry = MerkleNodeHash(nodes_.back(), carry);
    nodes_.pop_back();
  }
  nodes_.push_back(std::move(carry));
  ++size_;
}

std::string MerkleFrontier::Root() const {
  if (nodes_.empty()) return MerkleEmptyRoot();
  std::string r = nodes_.back();
  for (size_t i = nodes_.size() - 1; i-- > 0;) r = MerkleNodeHash(nodes_[i], r);
  return r;
}

// -------------------------------------------------------------------- tree ---

void MerkleTree::Append(const std::string& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  for (size_t l = 0; levels_[l].size() % 2 == 0; ++l) {
    if (levels_.size() == l + 1) levels_.emplace_back();
    const auto& lv = levels_[l];
    levels_[l + 1].push_back(MerkleNodeHash(lv[lv.size() - 2], lv[lv.size() - 1]));
  }
}

std::string MerkleTree::Range(uint64_t begin, uint64_t end) const {
  uint64_t n = end - begin;
  if (n == 0) return MerkleEmptyRoot();
  if (IsPowerOfTwo(n) && begin % n == 0) {
    int l = __builtin_ctzll(n);
    return levels_[l][begin >> l];
  }
  uint64_t k = SplitPoint(n);
  return MerkleNodeHash(Range(begin, begin + k), Range(begin + k, end));
}

std::string MerkleTree::Root(uint64_t n) const { return Range(0, n); }

std::vector<std::string> MerkleTree::InclusionProof(uint64_t index, uint64_t n) const {
  std::vector<std::string> out;
  uint64_t begin = 0, end = n, m = index;
  std::vector<std::string> rev;  // collected top-down, returned bottom-up
  while (end - begin > 1) {
    uint64_t k = SplitPoint(end - begin);
    if (m < k) {
      rev.push_back(Range(begin + k, end));
      end = begin + k;
    } else {
      rev.push_back(Range(begin, begin + k));
      begin += k;
      m -= k;
    }
  }
  out.assign(rev.rbegin(), rev.rend());
  return out;
}

void MerkleTree::SubProof(uint64_t m, uint64_t begin, uint64_t end, bool whole,
                          std::vector<std::string>& out) const {
  uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(Range(begin, end));
    return;
  }
  uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(m, begin, begin + k, whole, out);
    out.push_back(Range(begin + k, end));
  } else {
    SubProof(m - k, begin + k, end, false, out);
    out.push_back(Range(begin, begin + k));
  }
}

std::vector<std::string> MerkleTree::ConsistencyProof(uint64_t m, uint64_t n) const {
  std::vector<std::string> out;
  if (m == 0 || m > n) return out;
  SubProof(m, 0, n, true, out);
  return out;
}

// ------------------------------------------------------------ verification ---

bool VerifyInclusion(uint64_t index, uint64_t size, const std::string& leaf_hash,
                     const std::vector<std::string>& proof, const std::string& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  std::string r = leaf_hash;
  for (const auto& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = MerkleNodeHash(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t size1, uint64_t size2, const std::string& root1, const std::string& root2,
                       const std::vector<std::string>& proof) {
  if (size1 > size2) return false;
  if (size1 == size2) return proof.empty() && root1 == root2;
  if (size1 == 0) return proof.empty();  // the empty tree is a prefix of every tree
  if (proof.empty()) return false;
  std::vector<std::string> path;
  if (IsPowerOfTwo(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = size1 - 1, sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == root1 && sr == root2 && sn == 0;
}

}  // namespace dragnet::crawler
