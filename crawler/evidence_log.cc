#include "crawler/evidence_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/json.h"

namespace dragnet::crawler {
namespace fs = std::filesystem;

namespace {

// state.json holds at most 64 frontier hashes; anything bigger is not ours.
constexpr uint64_t kMaxStateBytes = 64 << 10;
// A manifest read when a new log takes in the unsealed ones already there.
constexpr uint64_t kMaxAdoptManifestBytes = 64ull << 20;

std::string HexDecode32(const std::string& hex) {
  if (hex.size() != 64) return {};
  std::string out;
  out.reserve(32);
  for (size_t i = 0; i < 64; i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nib(hex[i]), lo = nib(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

// Calls fn(line_number, line) for every newline-terminated line of `path`.
// Sets *complete_bytes to the length of the file up to its last newline
// (a torn last line lies beyond it). kNotFound when the file is missing.
Status ForEachLine(const std::string& path, const std::function<Status(uint64_t, std::string_view)>& fn,
                   uint64_t* complete_bytes = nullptr) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("no file '" + path + "'");
    return IoError("cannot open '" + path + "': " + std::strerror(errno));
  }
  std::string pending;
  char buf[65536];
  uint64_t line_no = 0, offset = 0, complete = 0;
  Status st;
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      st = IoError("cannot read '" + path + "': " + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    size_t start = 0;
    for (size_t i = 0; i < static_cast<size_t>(n); ++i) {
      if (buf[i] != '\n') continue;
      pending.append(buf + start, i - start);
      ++line_no;
      complete = offset + i + 1;
      st = fn(line_no, pending);
      pending.clear();
      start = i + 1;
      if (!st.ok()) break;
    }
    if (!st.ok()) break;
    pending.append(buf + start, static_cast<size_t>(n) - start);
    offset += static_cast<uint64_t>(n);
    if (pending.size() > kMaxLogLineBytes) {
      st = LimitExceeded("'" + path + "' line " + std::to_string(line_no + 1) + " is longer than kMaxLogLineBytes");
      break;
    }
  }
  ::close(fd);
  if (complete_bytes) *complete_bytes = complete;
  return st;
}

Status AppendLine(const std::string& path, const std::string& line, bool sync) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open '" + path + "': " + std::strerror(errno));
  std::string data = line + "\n";
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = IoError("cannot append to '" + path + "': " + std::strerror(errno));
      ::close(fd);
      return st;
    }
    off += static_cast<size_t>(n);
  }
  if (sync && ::fdatasync(fd) != 0) {
    Status st = IoError("cannot sync '" + path + "': " + std::strerror(errno));
    ::close(fd);
    return st;
  }
  ::close(fd);
  return Status::Ok();
}

Status TruncateTo(const std::string& path, uint64_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0 && errno != ENOENT) {
    return IoError("cannot truncate '" + path + "': " + std::strerror(errno));
  }
  return Status::Ok();
}

// Overwrites `path` in place (no rename: on ext4 a rename over a file
// forces its data out, a disk wait per append). Used for state.json, which
// is checked against the files' sizes on every read and rebuilt when torn.
Status WriteInPlace(const std::string& path, std::string_view data, off_t offset, bool truncate) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open '" + path + "': " + std::strerror(errno));
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::pwrite(fd, data.data() + off, data.size() - off, offset + static_cast<off_t>(off));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = IoError("cannot write '" + path + "': " + std::strerror(errno));
      ::close(fd);
      return st;
    }
    off += static_cast<size_t>(n);
  }
  if (truncate && ::ftruncate(fd, offset + static_cast<off_t>(data.size())) != 0) {
    Status st = IoError("cannot truncate '" + path + "': " + std::strerror(errno));
    ::close(fd);
    return st;
  }
  ::close(fd);
  return Status::Ok();
}

// The witness file holds two slots of kWitnessSlotBytes, written
// alternately (by tree size parity), each "<tree head JSON> <SHA-256 of it>"
// padded with spaces: a torn write spoils at most the slot being written,
// and the other still holds the previous head, a prefix of the log.
constexpr size_t kWitnessSlotBytes = 2048;

std::string WitnessSlot(const std::string& json) {
  std::string slot = json + " " + Sha256Hex(json);
  if (slot.size() >= kWitnessSlotBytes) return {};
  slot.resize(kWitnessSlotBytes - 1, ' ');
  return slot + "\n";
}

struct LogState {
  uint64_t leaves_bytes = 0, checkpoints_bytes = 0;
  MerkleFrontier frontier;
};

std::string StateJson(const LogState& s) {
  nlohmann::json f = nlohmann::json::array();
  for (const auto& n : s.frontier.nodes()) f.push_back(HexEncode(n));
  nlohmann::json j = {{"size", s.frontier.size()},
                      {"leaves_bytes", s.leaves_bytes},
                      {"checkpoints_bytes", s.checkpoints_bytes},
                      {"frontier", f}};
  return DumpJson(j) + "\n";
}

Result<LogState> ParseState(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("frontier") || !j["frontier"].is_array()) {
    return Corrupt("log state is malformed");
  }
  LogState s;
  try {
    s.leaves_bytes = j.at("leaves_bytes").get<uint64_t>();
    s.checkpoints_bytes = j.at("checkpoints_bytes").get<uint64_t>();
    std::vector<std::string> nodes;
    for (const auto& n : j["frontier"]) nodes.push_back(HexDecode32(n.get<std::string>()));
    auto f = MerkleFrontier::From(j.at("size").get<uint64_t>(), std::move(nodes));
    if (!f.ok()) return f.status();
    s.frontier = std::move(f).value();
  } catch (const nlohmann::json::exception&) {
    return Corrupt("log state is malformed");
  }
  return s;
}

std::string FolderId(const std::string& evidence_dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(evidence_dir, ec), ec);
  return Sha256Hex(p.string()).substr(0, 16);
}

}  // namespace

// ------------------------------------------------------------------ lines ---

std::string LogLeaf::Line() const {
  return DumpJson(nlohmann::json({{"manifest", manifest}, {"sha256", sha256}}));
}

Result<LogLeaf> ParseLogLeaf(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.size() != 2 || !j.contains("manifest") ||
      !j["manifest"].is_string() || !j.contains("sha256") || !j["sha256"].is_string()) {
    return ParseError("not a log leaf");
  }
  LogLeaf l{j["manifest"].get<std::string>(), j["sha256"].get<std::string>()};
  if (HexDecode32(l.sha256).empty()) return ParseError("log leaf sha256 is not 64 hex digits");
  if (l.manifest.empty() || l.manifest.find('/') != std::string::npos || l.manifest[0] == '.') {
    return ParseError("log leaf names no manifest file");
  }
  if (l.Line() != line) return ParseError("log leaf is not in canonical form");
  return l;
}

std::string TreeHead::SignedBytes() const {
  nlohmann::json j = {{"format", "dragnet-evidence-sth/1"},
                      {"key_id", key_id},
                      {"root", HexEncode(root)},
                      {"size", size},
                      {"time", time}};
  return DumpJson(j);
}

std::string TreeHead::Line() const {
  nlohmann::json j = nlohmann::json::parse(SignedBytes());
  j["signature"] = Base64Encode(signature);
  return DumpJson(j);
}

std::string TreeHead::Digest() const { return Sha256Raw(SignedBytes()); }

Result<TreeHead> ParseTreeHead(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return ParseError("not a signed tree head");
  TreeHead h;
  try {
    if (j.at("format").get<std::string>() != "dragnet-evidence-sth/1") return ParseError("unknown tree head format");
    h.size = j.at("size").get<uint64_t>();
    h.root = HexDecode32(j.at("root").get<std::string>());
    h.time = j.at("time").get<std::string>();
    h.key_id = j.at("key_id").get<std::string>();
    h.signature = Base64Decode(j.at("signature").get<std::string>());
  } catch (const nlohmann::json::exception&) {
    return ParseError("signed tree head is missing a field or has a wrong type");
  }
  if (h.root.size() != 32) return ParseError("tree head root is not 64 hex digits");
  if (h.signature.size() != 64) return ParseError("tree head signature is not 64 bytes");
  if (j.size() != 6) return ParseError("signed tree head has unknown fields");
  return h;
}

// ----------------------------------------------------------------- writer ---

EvidenceLog::EvidenceLog(std::string evidence_dir, Keyring keys, LogOptions options)
    : dir_(std::move(evidence_dir)), keys_(std::move(keys)), options_(std::move(options)) {}

Result<LogAppend> EvidenceLog::Append(const LogLeaf& leaf) {
  const std::string ldir = dir();
  const std::string leaves = ldir + "/leaves.jsonl", checkpoints = ldir + "/checkpoints.jsonl";
  const std::string state_path = ldir + "/state.json";
  DRAGNET_RETURN_IF_ERROR(MakeDirs(ldir));
  auto key = keys_.Current();
  if (!key.ok()) return Status(key.status().code(), "evidence key: " + key.status().message());
  auto lock = FileLock::Acquire(ldir + "/lock");
  if (!lock.ok()) return lock.status();

  // ---- where the log stands: the cached state when it matches the files,
  // else rebuilt from them (after a crash, or the first append) ----
  int64_t lsize = FileSize(leaves), csize = FileSize(checkpoints);
  LogState st;
  bool have_state = false;
  auto stext = ReadFile(state_path, kMaxStateBytes);
  if (stext.ok()) {
    auto parsed = ParseState(*stext);
    if (parsed.ok()) {
      st = std::move(parsed).value();
      have_state = true;
      if (static_cast<int64_t>(st.leaves_bytes) > std::max<int64_t>(lsize, 0) ||
          static_cast<int64_t>(st.checkpoints_bytes) > std::max<int64_t>(csize, 0)) {
        return Corrupt("evidence log " + ldir + " is shorter than its own state (" + std::to_string(st.frontier.size()) +
                       " leaves): cut or rolled back; not appending");
      }
    }
  }
  bool fresh = lsize <= 0;
  if (!have_state || static_cast<int64_t>(st.leaves_bytes) != std::max<int64_t>(lsize, 0) ||
      static_cast<int64_t>(st.checkpoints_bytes) != std::max<int64_t>(csize, 0)) {
    // Rebuild: every complete leaf line counts; a torn last line (a crash
    // mid-append) is cut off, in both files.
    LogState rebuilt;
    uint64_t complete = 0;
    Status rs = ForEachLine(
        leaves,
        [&](uint64_t n, std::string_view line) -> Status {
          if (!ParseLogLeaf(line).ok()) return Corrupt("evidence log " + leaves + " line " + std::to_string(n) + " is malformed; not appending");
          rebuilt.frontier.Append(MerkleLeafHash(line));
          return Status::Ok();
        },
        &complete);
    if (!rs.ok() && rs.code() != Code::kNotFound) return rs;
    rebuilt.leaves_bytes = complete;
    uint64_t ccomplete = 0;
    Status cs = ForEachLine(checkpoints, [](uint64_t, std::string_view) { return Status::Ok(); }, &ccomplete);
    if (!cs.ok() && cs.code() != Code::kNotFound) return cs;
    rebuilt.checkpoints_bytes = ccomplete;
    DRAGNET_RETURN_IF_ERROR(TruncateTo(leaves, complete));
    DRAGNET_RETURN_IF_ERROR(TruncateTo(checkpoints, ccomplete));
    st = std::move(rebuilt);
    fresh = st.frontier.size() == 0;
  }

  // ---- the witness: the log must still hold what this installation last
  // saw in it ----
  std::string witness_file;
  if (!options_.witness_dir.empty()) {
    witness_file = WitnessPath(options_.witness_dir, dir_);
    auto w = ReadWitness(options_.witness_dir, dir_);
    if (w.ok()) {
      bool consistent = w->size <= st.frontier.size();
      if (consistent && w->size == st.frontier.size()) {
        consistent = w->root == st.frontier.Root();
      } else if (consistent) {
        // The state moved past the witness (a crash between the two
        // writes): check the prefix the witness names, once.
        MerkleFrontier prefix;
        Status ps = ForEachLine(leaves, [&](uint64_t, std::string_view line) {
          if (prefix.size() < w->size) prefix.Append(MerkleLeafHash(line));
          return Status::Ok();
        });
        if (!ps.ok()) return ps;
        consistent = prefix.size() == w->size && prefix.Root() == w->root;
      }
      if (!consistent) {
        return Corrupt("evidence log " + ldir + " does not extend the tree head this installation last wrote (" +
                       std::to_string(w->size) + " leaves, root " + HexEncode(w->root).substr(0, 16) +
                       ", witness " + witness_file + "): rolled back or replaced; not appending");
      }
    } else if (w.status().code() != Code::kNotFound) {
      return w.status();
    }
  }

  // ---- a new log takes in the manifests written before sealing ----
  std::vector<LogLeaf> todo;
  if (fresh) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& de : fs::directory_iterator(dir_ + "/manifests", ec)) {
      if (de.path().extension() == ".json") names.push_back(de.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      if (name == leaf.manifest) continue;
      auto text = ReadFile(dir_ + "/manifests/" + name, kMaxAdoptManifestBytes);
      if (!text.ok()) continue;
      auto j = nlohmann::json::parse(*text, nullptr, false);
      if (j.is_discarded() || !j.is_object() || j.contains("seal")) continue;
      todo.push_back({name, Sha256Hex(*text)});
    }
  }
  todo.push_back(leaf);

  for (const auto& l : todo) {
    std::string line = l.Line();
    DRAGNET_RETURN_IF_ERROR(AppendLine(leaves, line, options_.sync));
    st.leaves_bytes += line.size() + 1;
    st.frontier.Append(MerkleLeafHash(line));
  }
  LogAppend out;
  out.index = st.frontier.size() - 1;
  TreeHead& h = out.head;
  h.size = st.frontier.size();
  h.root = st.frontier.Root();
  h.time = FormatRfc3339Ms(SystemClock::Instance().NowUnixMs());
  h.key_id = key->pub.key_id;
  h.signature = key->Sign(h.SignedBytes());
  std::string cline = h.Line();
  DRAGNET_RETURN_IF_ERROR(AppendLine(checkpoints, cline, options_.sync));
  st.checkpoints_bytes += cline.size() + 1;
  DRAGNET_RETURN_IF_ERROR(WriteInPlace(state_path, StateJson(st), 0, true));
  if (!witness_file.empty()) {
    DRAGNET_RETURN_IF_ERROR(MakeDirs(options_.witness_dir));
    nlohmann::json w = nlohmann::json::parse(cline);
    w["evidence_dir"] = dir_;
    std::string slot = WitnessSlot(DumpJson(w));
    if (slot.empty()) return LimitExceeded("witness record longer than kWitnessSlotBytes (evidence_dir path too long)");
    DRAGNET_RETURN_IF_ERROR(
        WriteInPlace(witness_file, slot, static_cast<off_t>((h.size % 2) * kWitnessSlotBytes), false));
  }
  return out;
}

// ---------------------------------------------------------------- readers ---

Result<LogContents> ReadLogLeaves(const std::string& evidence_dir) {
  LogContents c;
  std::string path = evidence_dir + "/log/leaves.jsonl";
  uint64_t complete = 0;
  Status st = ForEachLine(
      path,
      [&](uint64_t n, std::string_view line) -> Status {
        if (c.leaves.size() >= kMaxLogLeaves) {
          return LimitExceeded("evidence log " + path + " has more than kMaxLogLeaves (" +
                               std::to_string(kMaxLogLeaves) + ") leaves");
        }
        auto l = ParseLogLeaf(line);
        if (!l.ok()) {
          c.problems.push_back("log leaf " + std::to_string(n) + " is malformed: " + l.status().message());
          l = LogLeaf{};
        }
        c.tree.Append(MerkleLeafHash(line));
        c.leaves.push_back(std::move(l).value());
        return Status::Ok();
      },
      &complete);
  if (st.code() == Code::kNotFound) return c;
  if (!st.ok()) return st;
  c.exists = true;
  if (FileSize(path) != static_cast<int64_t>(complete)) {
    c.problems.push_back("log leaves file ends in a torn line (an append cut short)");
  }
  return c;
}

Status ForEachCheckpoint(const std::string& evidence_dir,
                         const std::function<void(uint64_t, Result<TreeHead>)>& fn) {
  Status st = ForEachLine(evidence_dir + "/log/checkpoints.jsonl", [&](uint64_t n, std::string_view line) {
    fn(n, ParseTreeHead(line));
    return Status::Ok();
  });
  return st;
}

std::string WitnessPath(const std::string& witness_dir, const std::string& evidence_dir) {
  return witness_dir + "/" + FolderId(evidence_dir) + ".witness";
}

Result<TreeHead> ReadWitness(const std::string& witness_dir, const std::string& evidence_dir) {
  std::string path = WitnessPath(witness_dir, evidence_dir);
  auto text = ReadFile(path, 2 * kWitnessSlotBytes);
  if (!text.ok()) return text.status();
  bool found = false;
  TreeHead best;
  for (size_t off = 0; off + kWitnessSlotBytes <= text->size(); off += kWitnessSlotBytes) {
    std::string slot = text->substr(off, kWitnessSlotBytes);
    size_t end = slot.find_last_not_of(" \n");
    if (end == std::string::npos || end < 65) continue;
    // "<json> <64 hex>": the space sits just before the checksum.
    std::string json = slot.substr(0, end - 64), sum = slot.substr(end - 63, 64);
    if (slot[end - 64] != ' ') continue;
    if (Sha256Hex(json) != sum) continue;  // torn: the other slot holds the previous head
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    j.erase("evidence_dir");
    auto h = ParseTreeHead(DumpJson(j));
    if (!h.ok()) continue;
    if (!found || h->size > best.size) best = std::move(h).value();
    found = true;
  }
  if (!found) return Corrupt("witness " + path + " holds no valid tree head");
  return best;
}

}  // namespace dragnet::crawler
