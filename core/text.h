#pragma once
// Text from outside. Bytes a site sent (headers, Location, body snippets),
// a certificate's names, a DNS answer or a line of a user's input file are
// not text until they pass through here: this is the one boundary where
// they become valid UTF-8, before JSON, SQLite, email, terminals or logs see
// them (nlohmann::json throws on invalid UTF-8 at dump time; a terminal obeys
// escape sequences; a log line can be forged with a newline).
//
//   ToText       valid UTF-8, every byte that does not start a well-formed
//                sequence (RFC 3629: no overlongs, no surrogates, nothing
//                past U+10FFFF) replaced by U+FFFD, and NUL by U+FFFD too
//                (C strings and SQLite text end there). Other control
//                characters stay: JSON escapes them.
//   ToPrintable  ToText, then every C0 control, DEL and C1 control shown
//                as \xNN, for one-line human output and logs.
//   CutText      ToText cut to at most `max_bytes` without splitting a
//                character.
//
// WireBytes names bytes that are not text yet (a raw header block kept as
// evidence, a body): they reach an output only through ToText.
//
// Pure functions, thread-safe. Cost: one pass; valid ASCII/UTF-8 is copied
// unchanged.

#include <cstddef>
#include <string>
#include <string_view>

namespace dragnet {

// Bytes exactly as a remote party sent them. Keep them as evidence; show,
// store or compare them as text only after ToText().
struct WireBytes {
  std::string bytes;
};

bool IsValidUtf8(std::string_view s);
std::string ToText(std::string_view bytes);
std::string ToPrintable(std::string_view bytes);
std::string CutText(std::string_view bytes, size_t max_bytes);

}  // namespace dragnet
