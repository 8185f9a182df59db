#pragma once
// Time: the Clock seam, RFC 3339 formatting and parsing, and durations with
// units as the config file writes them ("500ms", "30s", "5m", "72h", "7d").
// SystemClock is stateless and thread-safe; tests inject a FakeClock.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dragnet {

using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (wall clock; may jump).
  virtual int64_t NowUnixMs() const = 0;
  // Monotonic milliseconds, for timeouts and backoff.
  virtual int64_t MonotonicMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowUnixMs() const override;
  int64_t MonotonicMs() const override;
  static const Clock& Instance();
};

// "2026-11-29T13:28:15.123Z".
std::string FormatRfc3339Ms(int64_t unix_ms);
// "2026-11-29T13:28:15Z".
std::string FormatRfc3339(int64_t unix_s);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)". Returns Unix ms.
Result<int64_t> ParseRfc3339Ms(std::string_view s);

// "500ms", "30s", "5m", "72h", "7d"; a bare number is refused (the unit is
// what makes a config readable). Returns milliseconds.
Result<int64_t> ParseDurationMs(std::string_view s);
// Shortest exact form: 30000 -> "30s", 90000 -> "90s", 3600000 -> "1h".
std::string FormatDuration(int64_t ms);

}  // namespace dragnet
