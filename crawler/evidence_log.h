#pragma once
// The evidence log: an append-only Merkle tree (RFC 9162 hashing,
// crawler/merkle.h) over the manifests of an evidence folder, with a signed
// tree head checkpointed after every append, as Certificate Transparency
// logs do. A manifest's own hash chain cannot show that it was cut or
// deleted (its head lives in the file it protects); the log, its signed
// checkpoints and a witness kept outside the evidence folder can.
//
// Layout under <evidence dir>/log/:
//   leaves.jsonl       one leaf per line: {"manifest":NAME,"sha256":HEX}
//                      (compact, keys sorted); the line's bytes without the
//                      newline are the leaf, hashed as SHA-256(0x00||line)
//   checkpoints.jsonl  one signed tree head per line, one per append:
//                      {"format":"dragnet-evidence-sth/1","key_id",
//                       "root":HEX,"size":N,"time":RFC3339,"signature":B64};
//                      the signature is Ed25519 over the canonical JSON of
//                      the line without "signature" (TreeHeadSignedBytes)
//   tsr/<size>.tsr     RFC 3161 TimeStampResp for the checkpoint of that
//                      size, when a TSA was asked (crawler/evidence_tsa.h)
//   state.json         cache: size, the Merkle frontier and the two files'
//                      lengths, so an append costs O(log n), not a re-read
//   lock               flock: one appender at a time, across processes
// The witness (<key dir>/witness/<folder-id>.witness) is the last checkpoint
// this installation wrote for the folder; it lives beside the keys, so an
// evidence folder rolled back as a whole (log and manifests) is still
// caught by `verify` and refused by the next append.
//
// Appends: leaf line (fdatasync), checkpoint line (fdatasync), state,
// witness. A crash leaves at most a torn last line or a stale state, which
// the next append repairs from the two files. A log that is shorter than
// its state or its witness was cut or rolled back: Append refuses (kCorrupt)
// rather than paper over it.
//
// Threads and processes: Append takes the folder's flock; any number of
// threads and processes may append to one log. Reads take no lock and see
// whole lines only.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crawler/evidence_key.h"
#include "crawler/merkle.h"

namespace dragnet::crawler {

// A log line longer than this is not ours (leaves ~130 B, checkpoints ~300 B).
inline constexpr size_t kMaxLogLineBytes = 4096;
// Leaves a verification or an export holds in memory (two hashes and a
// name each, about 200 bytes: 800 MiB at the cap). One leaf per scanned
// seed; a log beyond this is refused by readers with this limit named.
inline constexpr uint64_t kMaxLogLeaves = 1ull << 22;

struct LogLeaf {
  std::string manifest;   // file name under manifests/
  std::string sha256;     // hex SHA-256 of the manifest file's bytes
  std::string Line() const;  // the leaf bytes
};
Result<LogLeaf> ParseLogLeaf(std::string_view line);

struct TreeHead {
  uint64_t size = 0;
  std::string root;       // 32 raw bytes
  std::string time;       // RFC 3339 UTC
  std::string key_id;
  std::string signature;  // 64 raw bytes
  // Canonical JSON of the head without its signature: what is signed, and
  // whose SHA-256 a TSA timestamps.
  std::string SignedBytes() const;
  std::string Line() const;  // the checkpoints.jsonl line (no newline)
  std::string Digest() const;  // SHA-256 raw of SignedBytes()
};
Result<TreeHead> ParseTreeHead(std::string_view line);

struct LogAppend {
  uint64_t index = 0;     // of the new leaf
  TreeHead head;          // the checkpoint written with it
};

struct LogOptions {
  // fdatasync each appended line. Off only in benchmarks.
  bool sync = true;
  // Folder of witnesses (<key dir>/witness); empty: no witness.
  std::string witness_dir;
};

class EvidenceLog {
 public:
  EvidenceLog(std::string evidence_dir, Keyring keys, LogOptions options = {});
  // Appends `leaf` and a checkpoint signed with the keyring's current key.
  // A new log first takes in the manifests already in the folder that carry
  // no seal (written before sealing), so they are anchored from then on.
  Result<LogAppend> Append(const LogLeaf& leaf);
  std::string dir() const { return dir_ + "/log"; }

 private:
  std::string dir_;
  Keyring keys_;
  LogOptions options_;
};

// Everything a reader needs: leaves in order and the whole tree.
struct LogContents {
  bool exists = false;              // log/leaves.jsonl is there
  std::vector<LogLeaf> leaves;
  MerkleTree tree;
  std::vector<std::string> problems;  // torn or malformed lines, by line number
};
Result<LogContents> ReadLogLeaves(const std::string& evidence_dir);

// Calls `fn` for each checkpoint line in file order (1-based line number);
// a line that does not parse is passed as an error Status.
Status ForEachCheckpoint(const std::string& evidence_dir,
                         const std::function<void(uint64_t line, Result<TreeHead> head)>& fn);

// The witness file of `evidence_dir` under `witness_dir`.
std::string WitnessPath(const std::string& witness_dir, const std::string& evidence_dir);
// Reads a witness; kNotFound when this installation never appended there.
Result<TreeHead> ReadWitness(const std::string& witness_dir, const std::string& evidence_dir);

}  // namespace dragnet::crawler
