#pragma once
// Files: whole-file reads with a size cap, and durable atomic writes
// (write to a temporary beside the target, fsync, rename, fsync the folder),
// so a crash leaves either the old file or the new one, never half of one.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dragnet {

// Reads a whole file, refusing anything larger than `max_bytes`.
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = 64ull << 20);
// Atomically replaces `path` with `data` and makes it durable.
Status WriteFileAtomic(const std::string& path, std::string_view data);
// mkdir -p.
Status MakeDirs(const std::string& path);
bool FileExists(const std::string& path);

}  // namespace dragnet
