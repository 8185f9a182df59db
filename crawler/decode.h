#pragma once
// BodyDecoder: streaming Content-Encoding decoder (gzip, deflate, br, zstd)
// with a hard cap on the decoded size.
//
// The fetcher asks servers for "gzip, deflate, br" itself and keeps the wire
// bytes as evidence; it feeds them here as they arrive. A compression bomb
// (a few KiB on the wire, gigabytes decoded) stops at `max_output` bytes:
// decoding works through fixed 16 KiB buffers and never holds more than the
// cap plus one buffer, whatever the ratio. Stacked encodings
// ("gzip, br": applied in that order, decoded in reverse) are supported up to
// kMaxEncodings.
//
// "deflate" is meant to be zlib-wrapped (RFC 9110) but many servers send raw
// DEFLATE; the first bytes decide. "gzip" accepts concatenated members.
//
// A BodyDecoder is a single-use, single-thread object: Feed() the wire
// bytes in order, then Finish().

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dragnet::crawler {

// More stacked codings than this in one Content-Encoding header is an
// attack on the decoder, not a real server (curl stops at 5 too).
inline constexpr int kMaxEncodings = 4;

class BodyDecoder {
 public:
  // One stage of the stack (gzip, deflate or br); defined in decode.cc.
  class Stage;

  // `content_encoding` is the header value ("gzip", "x-gzip", "br",
  // "deflate", "zstd", "identity", "" or a comma-separated stack). Unknown
  // codings (compress, garbage) and too many codings are InvalidArgument.
  static Result<std::unique_ptr<BodyDecoder>> Create(std::string_view content_encoding,
                                                     size_t max_output);
  ~BodyDecoder();
  BodyDecoder(const BodyDecoder&) = delete;
  BodyDecoder& operator=(const BodyDecoder&) = delete;

  // Decodes `in` and appends to `*out` (never past max_output in total).
  // Corrupt data is a ParseError; what was decoded before it stays in *out.
  // Once capped() is true further input is ignored.
  Status Feed(std::string_view in, std::string* out);
  // End of the wire body: ParseError when a compressed stream was cut short
  // (truncated transfer), Ok otherwise (and when capped).
  Status Finish(std::string* out);

  // The output reached max_output while input still had more to give.
  bool capped() const { return capped_; }
  // True for identity (nothing to decode).
  bool identity() const { return stages_.empty(); }

 private:
  BodyDecoder() = default;
  Status Pump(size_t stage, std::string_view in, std::string* out, bool finish);

  std::vector<std::unique_ptr<Stage>> stages_;  // in decode order
  size_t max_output_ = 0;
  size_t produced_ = 0;
  bool capped_ = false;
  bool failed_ = false;
};

// One-shot helper for tests and small bodies.
Result<std::string> DecodeBody(std::string_view content_encoding, std::string_view data,
                               size_t max_output, bool* capped = nullptr);

}  // namespace dragnet::crawler
