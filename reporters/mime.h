#pragma once
// MIME building blocks for takedown emails (RFC 5322, 2045-2047), written so
// that nothing a scanned site controls can break out of a header:
//  - SanitizeHeaderText: CR, LF, every other control character and invalid
//    UTF-8 become spaces / U+FFFD, whitespace is folded, length is capped;
//  - HeaderField: "Name: value" with RFC 2047 encoded-words (UTF-8, base64)
//    when the value is not plain ASCII or has a word too long to fold, and
//    folded so that no line exceeds kMaxHeaderLine;
//  - body encodings (quoted-printable, base64 in 76-column lines) and gzip.
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dragnet::reporters {

// A header value from outside is cut here (RFC 5322 allows any length once
// folded, but abuse desks' ticket systems choke on kilobyte subjects).
inline constexpr size_t kMaxHeaderValueBytes = 900;
// RFC 5322 2.1.1: lines SHOULD be at most 78 characters.
inline constexpr size_t kMaxHeaderLine = 78;
// Decompressed input to Gzip() is capped so a runaway capture cannot blow
// up a message: the evidence store already caps bodies at the fetcher.
inline constexpr size_t kMaxGzipInput = 16u << 20;

// Control characters (including CR/LF) -> space, invalid UTF-8 -> U+FFFD,
// runs of whitespace -> one space, trimmed, capped at kMaxHeaderValueBytes
// (cut on a character boundary, "..." appended).
std::string SanitizeHeaderText(std::string_view in);

// "Name: value\r\n", value sanitised, encoded and folded.
std::string HeaderField(std::string_view name, std::string_view value);

// RFC 2047 "=?UTF-8?B?...?=" words, each at most 75 characters, never
// splitting a UTF-8 sequence, joined by "\r\n ".
std::string EncodeWords(std::string_view utf8, size_t first_line_room);

// True when every byte is printable ASCII or space/tab.
bool IsPlainAscii(std::string_view s);

// Quoted-printable (RFC 2045 6.7), CRLF line breaks, lines <= 76.
std::string QuotedPrintable(std::string_view text);
// Base64 in lines of 76 characters, CRLF.
std::string Base64Lines(std::string_view bytes);
// gzip (RFC 1952) of `data`; kLimitExceeded above kMaxGzipInput.
Result<std::string> Gzip(std::string_view data);

struct MimePart {
  std::string content_type;     // "application/json", "text/plain; charset=utf-8"
  std::string filename;         // attachment name; empty for the body part
  std::string data;             // raw bytes
};

// A multipart/mixed message: `headers` are complete "Name: value\r\n" lines
// (from HeaderField), parts[0] is the text body (quoted-printable), the rest
// attachments (base64). `boundary` must not occur in any part.
std::string BuildMime(const std::vector<std::string>& headers, const std::vector<MimePart>& parts,
                      const std::string& boundary);

}  // namespace dragnet::reporters
