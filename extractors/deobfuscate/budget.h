#pragma once
// DecodeBudget: the named limits of the de-obfuscation layer
// (extractors/deobfuscate/) and what one page has spent of them.
//
// Every decoder reads bytes written by the people we are hunting, and several
// of them multiply: a packed script unpacks to a larger one, atob(atob(...))
// nests, document.write output is parsed again and may write again. So all the
// decoders of one page share one budget, charged as they go:
//   - depth: how many decodings produced a buffer (a literal in the page is 0,
//     atob of it 1, a literal of a script that packed code unpacked to 1, ...);
//   - output bytes: everything the decoders produce for the page, together;
//   - string bytes: the longest single string the JavaScript folder builds
//     ('a'+'b' chains, join, fromCharCode);
//   - time: wall-clock time spent decoding the page (inside Timed sections
//     only: the caller's scanning and validation, and one-time set-up such as
//     compiling pattern databases, do not count), checked between steps.
// Hitting a limit stops that decoding (what was decoded so far is kept and
// scanned) and records the limit's name once (limits_hit(), reported in
// SeedResult::limits_hit as "extract_<name>").
//
// One DecodeBudget per page scan; not thread-safe (a page is scanned by one
// thread). Plain value types otherwise.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dragnet::extractors::deob {

struct DecodeLimits {
  // Decodings stacked on one buffer. Real kits nest two or three (base64 of a
  // packed script that document.writes a link); the cap stops a page from
  // nesting thousands deep.
  int max_depth = 4;
  // Bytes all decoders may produce for one page. A page's own text and
  // scripts are capped at a few MiB; its hidden payloads are far smaller.
  size_t max_output_bytes = 1u << 20;
  // Longest string the JS folder builds or a decoder returns in one piece.
  size_t max_string_bytes = 256u << 10;
  // Wall-clock microseconds of decoding per page (0: no time limit). Normal
  // pages take tens of microseconds; this bounds adversarial ones on a
  // shared core.
  int64_t max_time_us = 50'000;
  // HTML fragments (document.write, innerHTML) parsed again per page: each is
  // a Gumbo parse.
  size_t max_html_fragments = 64;
};

// Names recorded when a limit is hit (without the "extract_" prefix the
// pipeline adds).
inline constexpr const char* kLimitDepth = "decode_depth";
inline constexpr const char* kLimitOutput = "decoded_bytes";
inline constexpr const char* kLimitString = "decoded_string_bytes";
inline constexpr const char* kLimitTime = "decode_time";
inline constexpr const char* kLimitFragments = "decoded_html_fragments";
inline constexpr const char* kLimitTokens = "script_tokens";

class DecodeBudget {
 public:
  explicit DecodeBudget(const DecodeLimits& limits);

  const DecodeLimits& limits() const { return limits_; }

  // True when a decoding producing depth `depth` may run; records the limit
  // when not.
  bool DepthOk(int depth);
  // Reserves `bytes` of output; false (recorded) when that would exceed the
  // page's budget. Nothing is charged then.
  bool Charge(size_t bytes);
  // Bytes still available.
  size_t remaining() const { return limits_.max_output_bytes - used_; }
  // True when a string of `bytes` may be built; records the limit when not.
  bool StringOk(size_t bytes);
  // True while the time budget lasts (recorded once it is gone; every later
  // call is false without reading the clock again). Time passes only inside
  // Timed sections.
  bool TimeOk();

  // Marks decoding work: time inside (the outermost of nested sections)
  // counts against max_time_us.
  class Timed {
   public:
    explicit Timed(DecodeBudget& b);
    ~Timed();
    Timed(const Timed&) = delete;
    Timed& operator=(const Timed&) = delete;

   private:
    DecodeBudget& b_;
  };
  // True when another HTML fragment may be parsed (and counts it).
  bool FragmentOk();
  // Records a limit by name (once).
  void Hit(const char* name);
  // Whether any decoding may go on at all (time left).
  bool exhausted() const { return out_of_time_; }

  const std::vector<std::string>& limits_hit() const { return hit_; }

 private:
  DecodeLimits limits_;
  size_t used_ = 0;
  size_t fragments_ = 0;
  bool out_of_time_ = false;
  int timed_depth_ = 0;                                // open Timed sections
  std::chrono::steady_clock::time_point timed_since_;  // when the outermost opened
  std::chrono::nanoseconds spent_{0};                  // in closed sections
  std::vector<std::string> hit_;
};

}  // namespace dragnet::extractors::deob
