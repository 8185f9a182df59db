#include "core/options_table.h"

#include <fmt/format.h>

namespace dragnet {

std::string FormatBytes(int64_t bytes) {
  if (bytes != 0) {
    if (bytes % (1LL << 30) == 0) return std::to_string(bytes >> 30) + "GiB";
    if (bytes % (1LL << 20) == 0) return std::to_string(bytes >> 20) + "MiB";
    if (bytes % (1LL << 10) == 0) return std::to_string(bytes >> 10) + "KiB";
  }
  return std::to_string(bytes) + "B";
}

namespace {

std::string Show(OptionKind kind, int64_t v) {
  if (kind == OptionKind::kBytes) return FormatBytes(v);
  if (kind == OptionKind::kDuration) return FormatDuration(v);
  return std::to_string(v);
}

}  // namespace

Status OutOfRange(const std::string& section, const char* key, OptionKind kind, int64_t min,
                  int64_t max, int64_t got) {
  return InvalidArgument("config key '" + section + "." + key + "' must be between " + Show(kind, min) +
                         " and " + Show(kind, max) + " (got " + Show(kind, got) + ")");
}

Status OutOfRangeReal(const std::string& section, const char* key, double min, double max, double got) {
  return InvalidArgument(fmt::format("config key '{}.{}' must be between {} and {} (got {})", section, key,
                                     min, max, got));
}

}  // namespace dragnet
