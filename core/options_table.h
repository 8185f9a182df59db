#pragma once
// OptionTable: one table per Options struct binds each TOML key to its
// member, with the key's kind (flag, integer, size, duration, text, list)
// and, for numbers, the range it must fall in. The same table reads the
// config file (BindOptions) and checks the struct again once command-line
// flags have been applied (CheckOptions), so a range is written once and a
// flag cannot bypass it (STYLE.md lesson 19).
//
//   const OptionTable<CrawlOptions>& Table() {
//     static const OptionTable<CrawlOptions> t = {
//         Int("depth", &CrawlOptions::depth, 0, 20),
//         Bytes("max_body_bytes", &CrawlOptions::max_body_bytes, 1 << 10, 1LL << 30),
//         Duration("total_timeout", &CrawlOptions::total_timeout_ms, 100, kHourMs),
//         Text("user_agent", &CrawlOptions::user_agent),
//     };
//     return t;
//   }
//
// Errors name the key and the allowed range in the units people write:
//   config key 'crawl.max_body_bytes' must be between 1KiB and 1GiB (got 0B)
// Sizes and durations that overflow 64 bits are refused when parsed
// (core/config_section.h). Tables are immutable; safe from any thread.

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config_section.h"
#include "core/status.h"

namespace dragnet {

enum class OptionKind { kFlag, kInt, kInt64, kBytes, kDuration, kReal, kText, kList };

template <typename O>
struct OptionSpec {
  const char* key = "";
  OptionKind kind = OptionKind::kFlag;
  bool O::*flag = nullptr;
  int O::*i32 = nullptr;
  int64_t O::*i64 = nullptr;             // kInt64, kBytes, kDuration (milliseconds)
  double O::*real = nullptr;
  std::string O::*text = nullptr;
  std::vector<std::string> O::*list = nullptr;
  int64_t min = 0, max = 0;              // inclusive; integers, sizes, durations
  double real_min = 0, real_max = 0;
};

template <typename O>
using OptionTable = std::vector<OptionSpec<O>>;

template <typename O>
OptionSpec<O> Flag(const char* key, bool O::*m) {
  OptionSpec<O> s;
  s.key = key;
  s.kind = OptionKind::kFlag;
  s.flag = m;
  return s;
}
template <typename O>
OptionSpec<O> Int(const char* key, int O::*m, int64_t min, int64_t max) {
  OptionSpec<O> s;
  s.key = key;
  s.kind = OptionKind::kInt;
  s.i32 = m;
  s.min = min;
  s.max = max;
  return s;
}
template <typename O>
OptionSpec<O> Int(const char* key, int64_t O::*m, int64_t min, int64_t max) {
  OptionSpec<O> s;
  s.key = key;
  s.kind = OptionKind::kInt64;
  s.i64 = m;
  s.min = min;
  s.max = max;
  return s;
}
// A byte size: an integer or a string with a unit ("5MiB").
template <typename O>
OptionSpec<O> Bytes(const char* key, int64_t O::*m, int64_t min, int64_t max) {
  OptionSpec<O> s = Int(key, m, min, max);
  s.kind = OptionKind::kBytes;
  return s;
}
// A duration string with a unit ("30s"), kept in milliseconds.
template <typename O>
OptionSpec<O> Duration(const char* key, int64_t O::*m, int64_t min_ms, int64_t max_ms) {
  OptionSpec<O> s = Int(key, m, min_ms, max_ms);
  s.kind = OptionKind::kDuration;
  return s;
}
template <typename O>
OptionSpec<O> Real(const char* key, double O::*m, double min, double max) {
  OptionSpec<O> s;
  s.key = key;
  s.kind = OptionKind::kReal;
  s.real = m;
  s.real_min = min;
  s.real_max = max;
  return s;
}
template <typename O>
OptionSpec<O> Text(const char* key, std::string O::*m) {
  OptionSpec<O> s;
  s.key = key;
  s.kind = OptionKind::kText;
  s.text = m;
  return s;
}
template <typename O>
OptionSpec<O> List(const char* key, std::vector<std::string> O::*m) {
  OptionSpec<O> s;
  s.key = key;
  s.kind = OptionKind::kList;
  s.list = m;
  return s;
}

// "1KiB", "5MiB", "1GiB", "1000B": the exact size in the largest binary unit
// that divides it.
std::string FormatBytes(int64_t bytes);
// InvalidArgument naming `section.key`, the allowed range and the value.
Status OutOfRange(const std::string& section, const char* key, OptionKind kind, int64_t min,
                  int64_t max, int64_t got);
Status OutOfRangeReal(const std::string& section, const char* key, double min, double max, double got);

// Checks every numeric member of `o` against its range.
template <typename O>
Status CheckOptions(const std::string& section, const OptionTable<O>& table, const O& o) {
  for (const OptionSpec<O>& s : table) {
    switch (s.kind) {
      case OptionKind::kInt: {
        int64_t v = o.*(s.i32);
        if (v < s.min || v > s.max) return OutOfRange(section, s.key, s.kind, s.min, s.max, v);
        break;
      }
      case OptionKind::kInt64:
      case OptionKind::kBytes:
      case OptionKind::kDuration: {
        int64_t v = o.*(s.i64);
        if (v < s.min || v > s.max) return OutOfRange(section, s.key, s.kind, s.min, s.max, v);
        break;
      }
      case OptionKind::kReal: {
        double v = o.*(s.real);
        if (!(v >= s.real_min && v <= s.real_max)) return OutOfRangeReal(section, s.key, s.real_min, s.real_max, v);
        break;
      }
      default:
        break;
    }
  }
  return Status::Ok();
}

// Reads every key of `table` present in `s` into `o` (a missing key keeps
// the default), then checks the ranges. Does not call s.Finish(): the
// caller may Allow() sub-tables first.
template <typename O>
Status BindOptions(ConfigSection& s, const OptionTable<O>& table, O& o) {
  for (const OptionSpec<O>& spec : table) {
    switch (spec.kind) {
      case OptionKind::kFlag: DRAGNET_RETURN_IF_ERROR(s.Get(spec.key, o.*(spec.flag))); break;
      case OptionKind::kInt: DRAGNET_RETURN_IF_ERROR(s.Get(spec.key, o.*(spec.i32))); break;
      case OptionKind::kInt64: DRAGNET_RETURN_IF_ERROR(s.Get(spec.key, o.*(spec.i64))); break;
      case OptionKind::kBytes: DRAGNET_RETURN_IF_ERROR(s.GetBytes(spec.key, o.*(spec.i64))); break;
      case OptionKind::kDuration: DRAGNET_RETURN_IF_ERROR(s.GetDuration(spec.key, o.*(spec.i64))); break;
      case OptionKind::kReal: DRAGNET_RETURN_IF_ERROR(s.Get(spec.key, o.*(spec.real))); break;
      case OptionKind::kText: DRAGNET_RETURN_IF_ERROR(s.Get(spec.key, o.*(spec.text))); break;
      case OptionKind::kList: DRAGNET_RETURN_IF_ERROR(s.Get(spec.key, o.*(spec.list))); break;
    }
  }
  return CheckOptions(s.path(), table, o);
}

}  // namespace dragnet
