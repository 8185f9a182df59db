#pragma once
// Files: whole-file reads with a size cap, and atomic writes (write to a
// temporary beside the target, fsync, rename, fsync the folder), so a crash
// leaves either the old file or the new one, never half of one. Many small
// files that only matter together (evidence blobs) can defer durability to
// one SyncFilesystem() call.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dragnet {

// Reads a whole file, refusing anything larger than `max_bytes`.
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = 64ull << 20);
enum class Durability {
  kSync,      // fsync the file and its folder before returning
  kDeferred,  // atomic, but durable only after a later SyncFilesystem()
};
// Atomically replaces `path` with `data`; with kSync, also makes it durable.
Status WriteFileAtomic(const std::string& path, std::string_view data,
                       Durability durability = Durability::kSync);
// Creates `path` holding `data` when no file has that name, never showing a
// partial file: the bytes go to an unnamed file (O_TMPFILE) that is linked
// in place once complete, one directory change instead of a temporary name
// and a rename. Durable only after a later SyncFilesystem(). Returns true
// when it created the file, false when `path` existed already (left alone);
// falls back to WriteFileAtomic(kDeferred) where O_TMPFILE or /proc is
// unavailable.
Result<bool> CreateFileAtomic(const std::string& path, std::string_view data);
// Makes every write on the filesystem holding `dir` durable (syncfs(2)):
// one journal commit for many kDeferred files instead of two fsyncs each.
Status SyncFilesystem(const std::string& dir);
// Size of a regular file, or -1 when it does not exist.
int64_t FileSize(const std::string& path);
// mkdir -p.
Status MakeDirs(const std::string& path);
bool FileExists(const std::string& path);
// <prefix>/share/dragnet for a binary installed as <prefix>/bin/dragnet
// (cmake/DragnetInstall.cmake), from /proc/self/exe; "" when unknown. The
// folder may not exist (a binary in the build tree): callers check for
// the file they need.
std::string InstalledShareDir();

}  // namespace dragnet
