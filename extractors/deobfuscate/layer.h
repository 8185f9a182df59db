#pragma once
// The de-obfuscation layer in front of the indicator extractors: everything a
// Page holds, as text the families can scan, with what scam pages hide undone.
//
// Reveal(page) hands the sink three channels of strings, each with where it
// came from (source, attribute, context):
//   text        the visible text; the text of <noscript>/<template>; HTML
//               comments
//   attributes  every attribute value kept by ParsePage (href, data-*,
//               content, srcset, on*, ...) and every form input's value under
//               its input's name; plus Cloudflare email protection decoded
//               (cfemail.h), base64 values and data: URIs decoded
//               (base64.h), %-escaped values decoded (percent.h), JSON in
//               data-* and JavaScript in on* handlers and javascript: URLs
//               folded (js_fold.h)
//   script      the strings of every inline script, folded (js_fold.h), Dean
//               Edwards' packer unpacked first (packer.h); strings that are
//               base64 or %-escaped as a whole decoded; strings handed to
//               eval/Function folded again as code
// and HTML to parse again as pages of their own (document.write and
// innerHTML content, <script type="text/template"> bodies, data:text/html
// URIs, commented-out markup), which the sink scans like any page (the
// layer parses them with ParsePage and calls AddPage).
//
// Textual obfuscation ([at], (arroba), ＠, native digits, zero-width
// characters: text_obfuscation.h) is undone by the caller on the strings its
// scanner's triggers flag (extractors/indicators.cc), so that the strings
// without any (nearly all) cost nothing more.
//
// Every decoding is bounded by the page's DecodeBudget (budget.h): depth,
// output bytes, string length, time and HTML fragments; hitting a limit stops
// that decoding and is recorded in the budget. Plain page content (text,
// attributes, literals as written) is not charged: the caller bounds it by
// its own scan budget.
//
// Not thread-safe per call (one budget, one sink); Reveal itself may run on
// any number of threads at once.

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "extractors/deobfuscate/budget.h"

namespace dragnet::extractors::deob {

enum class Channel { kText, kAttributes, kScript };

class RevealSink {
 public:
  virtual ~RevealSink() = default;
  // A string to scan. `source`: text, noscript, comment, attribute, meta,
  // form, script (a static string); `attr` the attribute it belongs to, or
  // null; `context` where it was written (attribute or input name, object
  // key, variable, callee). Views are valid only during the call.
  virtual void Add(Channel ch, std::string_view text, const char* source, const AttrValue* attr,
                   std::string_view context) = 0;
  // HTML that the page writes or hides, parsed: scan it as a page at decoding
  // depth `depth`, reporting what it holds with `source`.
  virtual void AddPage(const Page& page, const char* source, int depth) = 0;
};

// Reveals what `page` holds to `sink`. `depth` is the decoding depth of the
// page itself (0 for a fetched page, more for a fragment the layer parsed).
void Reveal(const Page& page, int depth, DecodeBudget& budget, RevealSink& sink);

// The strings of JavaScript source `js` (folded, unpacked, decoded) as
// script-channel strings with `source`: for inline scripts, on* handlers,
// and external script files.
void RevealScript(const Page& page, std::string_view js, const char* source, int depth, DecodeBudget& budget,
                  RevealSink& sink);

// True when a <script type> holds JavaScript or JSON (folded), as opposed to
// an HTML template (parsed as HTML) or other data (scanned as text).
enum class ScriptKind { kCode, kHtml, kData };
ScriptKind ClassifyScriptType(std::string_view type);

}  // namespace dragnet::extractors::deob
