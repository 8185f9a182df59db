#pragma once
// Seed list input shared by `scan` and `submit`: URLs from the command line
// plus a file ('-' = stdin) in a feed format (core/feed_format.h; `plain`:
// one per line, blank lines and '#' comments skipped, surrounding
// whitespace trimmed).
//
// A seed file is a user's bytes: a UTF-8 byte-order mark at its start is
// dropped, CRLF and CR line ends are accepted, and a line holding a NUL byte
// is an invalid line (reported by where it is, never silently cut). Each
// seed remembers where it came from ("FILE:LINE", "stdin:LINE",
// "argument N") so that a bad one is named precisely.

#include <string>
#include <vector>

#include "core/status.h"

namespace dragnet::cli {

struct SeedInput {
  std::string text;   // the line as given, trimmed (bytes; may be invalid)
  std::string where;  // "FILE:LINE", "stdin:LINE", "FILE: entry N" or "argument N"
  std::string error;  // non-empty: the line cannot be a seed (a NUL byte)
};

// Appends to `out`; an unreadable file is an error naming it. A file that is
// UTF-16 or UTF-32 (by its byte-order mark) is an error saying so.
// `format` is a feed format name (ParseFeedFormat); a bad one is an error.
Status CollectSeeds(const std::vector<std::string>& args, const std::string& file,
                    std::vector<SeedInput>& out, const std::string& format = "plain");

}  // namespace dragnet::cli
