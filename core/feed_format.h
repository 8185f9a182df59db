#pragma once
// Feed formats: the lists CERTs live on, read into seed candidates.
//
//   plain           one URL (or domain, or defanged URL) a line; '#' comments
//   openphish       the OpenPhish feed: plain text, one URL a line
//   urlhaus_csv     the URLhaus CSV dumps: '#' comment lines (the last one
//                   names the columns), then RFC 4180 records; the `url`
//                   column (the third when the header comment is missing)
//   phishtank_json  the PhishTank data file: a JSON array of objects, each
//                   with `url` (and `phish_id`, used to name the entry)
//   csv:COLUMN      any RFC 4180 CSV with a header row; COLUMN names the
//                   column (case-insensitive) or gives its 1-based number
//
// A feed is bytes from outside: a UTF-8 byte-order mark is dropped, CRLF,
// LF and lone CR end lines, quoted CSV fields may span lines, and an entry
// that cannot be a seed (a NUL byte, a missing column, an object without
// `url`) is kept with its error and its place, never silently dropped.
// Entries are what the feed says; refanging and URL validation are the
// caller's (core/refang.h, core/url.h). Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dragnet {

struct FeedFormat {
  enum class Kind { kPlain, kOpenPhish, kUrlhausCsv, kPhishtankJson, kCsv };
  Kind kind = Kind::kPlain;
  std::string column;  // kCsv: the column's name or 1-based number
};

// "plain", "openphish", "urlhaus_csv", "phishtank_json", "csv:COLUMN";
// anything else is kInvalidArgument listing the formats.
Result<FeedFormat> ParseFeedFormat(std::string_view spec);

struct FeedEntry {
  std::string text;   // the entry as the feed gives it, trimmed (bytes; may be invalid UTF-8)
  size_t line = 0;    // where the entry starts (1-based); 0 for JSON entries
  std::string label;  // JSON entries: "entry 3 (phish_id 8123456)"
  std::string error;  // non-empty: this entry cannot be a seed, and why
};

// Largest number of entries read from one feed; the rest is an error entry.
inline constexpr size_t kMaxFeedEntries = 1'000'000;

// Appends the entries of `bytes` to `out`. A feed whose structure is broken
// as a whole (phishtank_json that is not a JSON array, csv:NAME without that
// column in its header) is an error; a broken entry is an entry with `error`.
Status ReadFeed(std::string_view bytes, const FeedFormat& format, std::vector<FeedEntry>& out);

}  // namespace dragnet
