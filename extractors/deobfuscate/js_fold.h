#pragma once
// Constant folding of JavaScript for the de-obfuscation layer: the strings a
// script spells out of pieces, computed from literal patterns only. This is
// not an interpreter: nothing runs, no function is called, no value that
// depends on anything but literals in the same script is ever known.
//
// What folds (each operand a literal or an already folded value):
//   'a' + "b" + `c` + 12                     concatenation (numbers as JS prints integers)
//   [..].join(s), s.split(x).reverse().join(y), .concat(), .replace(lit|/lit/g, lit),
//   .toLowerCase(), .toUpperCase(), .trim(), .slice(), .substring(), .substr(),
//   .charAt(), [i] on strings and arrays, .length
//   String.fromCharCode(n, ...), String.fromCodePoint(...), also via .apply(x, [..])
//   and ...[..]; [n, ...].map(c => String.fromCharCode(c [+-^] k)).join('')
//   atob(x) (also window./self./globalThis. atob), base64 decoding
//   unescape(x), decodeURIComponent(x), decodeURI(x), escape(x) (kept as bytes)
//   names bound once to a folded value (var/let/const x = ...; x = ...), read
//   back later in the same script (at most kMaxVariables)
// Everything else is left alone: a chain that is constant only in part
// ('mailto:' + user + '@x.com') yields its constant runs ("mailto:",
// "@x.com"), and every literal the folding did not use is reported as is.
//
// Each reported string carries where it was written (the context): the
// object key ({phone: "..."}, {"telephone": "..."}), the variable or property
// assigned (var whatsapp = "...", el.innerHTML = ...) or the function called
// (gtag('config', ...), document.write(...), fbq('init', ...)). Strings handed
// to document.write/writeln, innerHTML/outerHTML, insertAdjacentHTML and
// jQuery's .html/.append are flagged kHtml (the caller parses them as HTML);
// strings handed to eval, Function, setTimeout/setInterval are flagged kCode
// (the caller folds them as a script, one level deeper).
//
// Bounds: the caller's DecodeBudget (extractors/deobfuscate/budget.h) caps
// the depth of decodings (atob(atob(...)) counts two), every built string's
// length, the bytes decoders produce and the time; kMaxTokens caps a script's
// tokens. Not thread-safe per call; FoldScript itself may run on any number of
// threads at once (its buffers are per thread).

#include <cstdint>
#include <string>
#include <string_view>

#include "extractors/deobfuscate/budget.h"

namespace dragnet::extractors::deob {

// Tokens read per script (~4 bytes of minified code each): a 1 MiB script
// fits; past this the rest is not folded (recorded as "script_tokens").
inline constexpr size_t kMaxTokens = 1u << 19;
// Names remembered per script with their folded values.
inline constexpr size_t kMaxVariables = 1024;

struct FoldedString {
  enum Flags : uint8_t {
    kWhole = 1,     // a complete constant expression (else a constant run of a longer one, or a literal)
    kDecoded = 2,   // a decoder (atob, fromCharCode, unescape, ...) or a fold produced it
    kHtml = 4,      // written into the document as HTML
    kCode = 8,      // handed to eval/Function/setTimeout as code
    kNumber = 16,   // a numeric literal long enough to be a phone number (7+ digits)
  };
  std::string_view text;
  std::string_view context;  // key, variable, property or callee; empty when none
  uint8_t flags = 0;
  int depth = 0;             // decodings applied (atob, unescape, fromCharCode each count one)
};

class FoldSink {
 public:
  virtual ~FoldSink() = default;
  // `s.text` and `s.context` are valid only during the call.
  virtual void OnString(const FoldedString& s) = 0;
};

// Folds `js` (at decoding depth `depth`: 0 for a script in the page) and
// reports every string it holds to `sink`, in source order.
void FoldScript(std::string_view js, int depth, DecodeBudget& budget, FoldSink& sink);

}  // namespace dragnet::extractors::deob
