#pragma once
// Logging setup: spdlog to stderr, text or JSON lines (for SIEM ingestion).
// Call InitLogging once from main() before starting threads; afterwards the
// spdlog free functions (spdlog::info, ...) are thread-safe. One sentence per
// event, naming the component and the URL or case.

#include <string>

#include "core/status.h"

namespace dragnet {

// format: "text" or "json"; level: trace, debug, info, warn, error, off.
Status InitLogging(const std::string& format, const std::string& level);

}  // namespace dragnet
