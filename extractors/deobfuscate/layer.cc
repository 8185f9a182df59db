#include "extractors/deobfuscate/layer.h"

#include <algorithm>

#include "core/strings.h"
#include "extractors/deobfuscate/base64.h"
#include "extractors/deobfuscate/cfemail.h"
#include "extractors/deobfuscate/hex.h"
#include "extractors/deobfuscate/js_fold.h"
#include "extractors/deobfuscate/packer.h"
#include "extractors/deobfuscate/percent.h"
#include "extractors/page.h"

namespace dragnet::extractors::deob {
namespace {

// A string folding reports is tried as base64 from this length: shorter
// base64 hides at most a dozen bytes, and short words would be tried often.
constexpr size_t kMinBase64String = 20;
// An attribute value, from this length (12 characters hold 9 bytes: a short
// address; shorter values are IDs).
constexpr size_t kMinBase64Attr = 12;
// Hex-encoded text, from this many digits (8 characters; shorter hex is a
// colour or an ID).
constexpr size_t kMinHexString = 16;
// Packer calls unpacked per script (real kits pack once).
constexpr int kMaxPackerCalls = 8;
// Bytes of one HTML fragment parsed again.
constexpr size_t kMaxFragmentBytes = 256u << 10;

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    if (AsciiLower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

// HTML worth a parse: a tag ("<a ", "<div>", "</p>", "<img/") somewhere.
bool LooksLikeMarkup(std::string_view s) {
  for (size_t p = s.find('<'); p != std::string_view::npos && p + 1 < s.size(); p = s.find('<', p + 1)) {
    char c = s[p + 1];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c == '/' && p + 2 < s.size() && s[p + 2] != '/')) {
      return true;
    }
  }
  return false;
}

// Decoded text that reads as JavaScript (eval(atob(...)) payloads).
bool LooksLikeCode(std::string_view s) {
  for (std::string_view w : {"function", "=>", "document.", "window.", "var ", "let ", "const ", "location",
                             "fetch(", "XMLHttpRequest", "$.ajax", "$.post"}) {
    if (s.find(w) != std::string_view::npos) return true;
  }
  return false;
}

class Revealer final : public FoldSink {
 public:
  Revealer(const Page& page, int depth, DecodeBudget& budget, RevealSink& sink)
      : page_(page), depth_(depth), b_(budget), sink_(sink) {
  }

  void Run() {
    // ---- text: visible, hidden, comments ----
    Text(page_.text, "text");
    if (!page_.hidden_text.empty()) Text(page_.hidden_text, "noscript");
    for (const std::string& c : page_.comments) {
      Text(c, "comment");
      // Commented-out markup (an old contact block, a disabled script); not
      // IE's conditional comments, which every old template carries.
      if (!StartsWithNoCase(c, "[if") && LooksLikeMarkup(c)) Html(c, "comment", depth_ + 1);
    }
    // ---- attributes and form values ----
    Attributes();
    // ---- inline scripts ----
    for (const dragnet::Script& s : page_.scripts) {
      if (s.text.empty()) continue;
      if (!b_.TimeOk()) break;
      switch (ClassifyScriptType(s.type)) {
        case ScriptKind::kCode:
          Script(s.text, "script", depth_);
          break;
        case ScriptKind::kHtml:
          Html(s.text, "script", depth_ + 1);
          break;
        case ScriptKind::kData:
          Add(Channel::kScript, s.text, "script", nullptr, {});
          break;
      }
    }
  }

  // JavaScript source: packer calls unpacked, then folded.
  void Script(std::string_view js, const char* source, int depth) {
    if (!b_.TimeOk()) return;
    int calls = 0;
    for (size_t p = FindPacker(js); p != std::string_view::npos && calls < kMaxPackerCalls;
         p = FindPacker(js, p + 1), ++calls) {
      if (!b_.DepthOk(depth + 1)) break;
      std::string unpacked;
      size_t consumed = 0;
      size_t cap = std::min(b_.limits().max_string_bytes, b_.remaining());
      if (!Unpack(js, p, unpacked, cap, consumed)) {
        if (unpacked.size() >= cap) b_.Hit(kLimitOutput);
        continue;
      }
      if (!b_.Charge(unpacked.size())) break;
      Script(unpacked, source, depth + 1);
    }
    const char* saved = source_;
    source_ = source;
    FoldScript(js, depth, b_, *this);
    source_ = saved;
  }

  void OnString(const FoldedString& s) override {
    Add(Channel::kScript, s.text, source_, nullptr, s.context);
    if ((s.flags & FoldedString::kHtml) && LooksLikeMarkup(s.text)) Html(s.text, source_, s.depth + 1);
    if (s.flags & FoldedString::kCode) {
      if (b_.DepthOk(s.depth + 1)) Script(s.text, source_, s.depth + 1);
      return;
    }
    if (s.flags & FoldedString::kNumber) return;
    Decodings(s.text, Channel::kScript, source_, nullptr, s.context, s.depth, kMinBase64String);
  }

 private:
  void Add(Channel ch, std::string_view text, const char* source, const AttrValue* attr, std::string_view ctx) {
    sink_.Add(ch, text, source, attr, ctx);
  }

  // Decoder output: charged, then added.
  bool AddDecoded(Channel ch, std::string_view text, const char* source, const AttrValue* attr,
                  std::string_view ctx) {
    if (text.empty() || !b_.Charge(text.size())) return false;
    sink_.Add(ch, text, source, attr, ctx);
    return true;
  }

  void Text(std::string_view text, const char* source) {
    if (text.empty()) return;
    Add(Channel::kText, text, source, nullptr, {});
  }

  // What a string may hide as a whole: base64 (nested), hex, %-escapes; and
  // the code or HTML those decode to. (Spelled-out addresses are undone by
  // the scanner, on the pieces where its triggers see them.)
  void Decodings(std::string_view text, Channel ch, const char* source, const AttrValue* attr,
                 std::string_view ctx, int depth, size_t min_base64) {
    if (text.size() >= min_base64 && LooksLikeBase64(text, min_base64)) Base64(text, ch, source, attr, ctx, depth);
    if (text.size() >= kMinHexString && LooksLikeHexText(text, kMinHexString) && b_.DepthOk(depth + 1)) {
      std::string out;
      if (DecodeHex(text, out) && IsTextPayload(out)) AddDecoded(ch, out, source, attr, ctx);
    }
    if (HasPercentEscapes(text, 1)) {
      std::string out;
      DecodePercent(text, PercentMode::kUri, out);
      if (out != text && b_.DepthOk(depth + 1) && AddDecoded(ch, out, source, attr, ctx)) {
        if (LooksLikeMarkup(out)) Html(out, source, depth + 1);
      }
    }
  }

  void Base64(std::string_view text, Channel ch, const char* source, const AttrValue* attr, std::string_view ctx,
              int depth) {
    if (!b_.DepthOk(depth + 1) || !b_.TimeOk()) return;
    std::string out;
    size_t cap = std::min(b_.limits().max_string_bytes, b_.remaining());
    if (!DecodeBase64(text, out, cap) || !IsTextPayload(out)) return;
    if (!AddDecoded(ch, out, source, attr, ctx)) return;
    if (LooksLikeMarkup(out)) Html(out, source, depth + 1);
    else if (LooksLikeCode(out)) Script(out, source, depth + 1);
    // Base64 of base64: decoded again, one level deeper.
    if (out.size() >= kMinBase64Attr && LooksLikeBase64(out, kMinBase64Attr)) {
      Base64(out, ch, source, attr, ctx, depth + 1);
    }
  }

  void Html(std::string_view html, const char* source, int depth) {
    if (!b_.DepthOk(depth) || !b_.TimeOk() || !b_.FragmentOk()) return;
    if (html.size() > kMaxFragmentBytes) {
      html = html.substr(0, kMaxFragmentBytes);
      b_.Hit(kLimitString);
    }
    if (!b_.Charge(html.size())) return;
    PageLimits limits;
    limits.max_input_bytes = kMaxFragmentBytes;
    limits.max_text_bytes = kMaxFragmentBytes;
    limits.max_script_bytes = kMaxFragmentBytes;
    Page sub = ParsePage(html, page_.url, limits);
    sink_.AddPage(sub, source, depth);
  }

  void Attributes() {
    for (const AttrValue& a : page_.attrs) {
      const std::string& n = a.name;
      const std::string_view v = a.value;
      // Placeholders show the user an example; what they hold is not the
      // site's (you@example.com, +46 70 123 45 67).
      if (n == "placeholder") continue;
      // Form input values come with their input's name below.
      if (n == "value" && (a.tag == "input" || a.tag == "select" || a.tag == "textarea")) continue;
      const char* source = a.tag == "meta" ? "meta" : a.tag == "button" && n == "value" ? "form" : "attribute";
      Add(Channel::kAttributes, v, source, &a, n);
      if (!b_.TimeOk()) continue;
      std::string out;
      // Cloudflare email protection: data-cfemail, /cdn-cgi/l/email-protection#hex.
      if (n == "data-cfemail" && DecodeCfEmail(v, out)) {
        AddDecoded(Channel::kAttributes, out, source, &a, n);
        continue;
      }
      if (std::string_view hex = CfEmailFragment(v); !hex.empty()) {
        if (DecodeCfEmail(hex, out)) AddDecoded(Channel::kAttributes, out, source, &a, n);
        continue;
      }
      // data: URIs with a base64 payload (text/html ones are pages).
      if (std::string_view payload = DataUriBase64(v); !payload.empty()) {
        if (b_.DepthOk(depth_ + 1) && DecodeBase64(payload, out, std::min(b_.limits().max_string_bytes, b_.remaining())) &&
            IsTextPayload(out) && AddDecoded(Channel::kAttributes, out, source, &a, n)) {
          if (LooksLikeMarkup(out)) Html(out, source, depth_ + 1);
        }
        continue;
      }
      // JavaScript in handlers and javascript: URLs; JSON in data-*.
      if (n.size() > 2 && n[0] == 'o' && n[1] == 'n') {
        Script(v, source, depth_);
        continue;
      }
      if (StartsWithNoCase(v, "javascript:")) {
        Script(v.substr(11), source, depth_);
        continue;
      }
      if (n.size() > 5 && n.compare(0, 5, "data-") == 0 && !v.empty() && (v.front() == '{' || v.front() == '[')) {
        Script(v, source, depth_);
        continue;
      }
      Decodings(v, Channel::kAttributes, source, &a, n, depth_, kMinBase64Attr);
    }
    for (const Form& f : page_.forms) {
      for (const FormInput& in : f.inputs) {
        if (in.value.empty()) continue;
        Add(Channel::kAttributes, in.value, "form", nullptr, in.name);
        Decodings(in.value, Channel::kAttributes, "form", nullptr, in.name, depth_, kMinBase64Attr);
      }
    }
  }

  const Page& page_;
  const int depth_;
  DecodeBudget& b_;
  RevealSink& sink_;
  const char* source_ = "script";
};

}  // namespace

ScriptKind ClassifyScriptType(std::string_view type) {
  if (type.empty()) return ScriptKind::kCode;
  std::string t = AsciiLower(type);
  if (t.find("template") != std::string::npos || t.find("html") != std::string::npos ||
      t.find("handlebars") != std::string::npos || t.find("mustache") != std::string::npos ||
      t.find("tmpl") != std::string::npos) {
    return ScriptKind::kHtml;
  }
  if (t.find("javascript") != std::string::npos || t.find("ecmascript") != std::string::npos ||
      t.find("json") != std::string::npos || t == "module" || t == "importmap" || t == "speculationrules" ||
      t == "text/babel" || t == "text/jsx" || t.find("jscript") != std::string::npos) {
    return ScriptKind::kCode;
  }
  return ScriptKind::kData;
}

void Reveal(const Page& page, int depth, DecodeBudget& budget, RevealSink& sink) {
  Revealer(page, depth, budget, sink).Run();
}

void RevealScript(const Page& page, std::string_view js, const char* source, int depth, DecodeBudget& budget,
                  RevealSink& sink) {
  Revealer r(page, depth, budget, sink);
  r.Script(js, source, depth);
}

}  // namespace dragnet::extractors::deob
