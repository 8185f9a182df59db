// libFuzzer target: every decoder of the de-obfuscation layer
// (extractors/deobfuscate/) on arbitrary bytes, each with the bound it
// promises checked: base64 under its output cap, %-decoding at most twice
// the input, char codes at most 4 bytes per argument, cfemail half its hex,
// hex half its input, JS string values never longer than the literal, the
// tokenizer under its token cap, folding and the whole layer within the
// budget (output bytes, string length, depth), packer under its cap, text
// normalization never longer than its input. The first byte picks the
// decoder; the rest is its input. A broken bound is a crash (__builtin_trap).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/deobfuscate/base64.h"
#include "extractors/deobfuscate/budget.h"
#include "extractors/deobfuscate/cfemail.h"
#include "extractors/deobfuscate/char_codes.h"
#include "extractors/deobfuscate/hex.h"
#include "extractors/deobfuscate/js_fold.h"
#include "extractors/deobfuscate/js_lexer.h"
#include "extractors/deobfuscate/js_string.h"
#include "extractors/deobfuscate/layer.h"
#include "extractors/deobfuscate/packer.h"
#include "extractors/deobfuscate/percent.h"
#include "extractors/deobfuscate/text_obfuscation.h"
#include "extractors/page.h"

namespace deob = dragnet::extractors::deob;

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

deob::DecodeLimits SmallLimits() {
  deob::DecodeLimits l;
  l.max_output_bytes = 64 << 10;
  l.max_string_bytes = 16 << 10;
  l.max_depth = 3;
  l.max_html_fragments = 8;
  l.max_time_us = 0;  // deterministic runs: libFuzzer's -timeout bounds time
  return l;
}

// Sums what folding reports and checks each string against the budget.
class FoldCheck : public deob::FoldSink {
 public:
  explicit FoldCheck(const deob::DecodeLimits& l, size_t input) : l_(l), input_(input) {}
  void OnString(const deob::FoldedString& s) override {
    // A literal is at most the input; anything folded at most the string cap.
    Check(s.text.size() <= std::max(l_.max_string_bytes, input_));
    Check(s.depth <= l_.max_depth + 1);
    total_ += s.text.size();
  }
  size_t total() const { return total_; }

 private:
  deob::DecodeLimits l_;
  size_t input_;
  size_t total_ = 0;
};

class RevealCheck : public deob::RevealSink {
 public:
  void Add(deob::Channel, std::string_view text, const char*, const dragnet::AttrValue*, std::string_view) override {
    total_ += text.size();
  }
  void AddPage(const dragnet::Page& page, const char*, int depth) override {
    Check(depth <= limits_.max_depth);
    ++pages_;
    deob::Reveal(page, depth, *budget_, *this);  // as the scanner does
  }
  deob::DecodeLimits limits_;
  deob::DecodeBudget* budget_ = nullptr;
  size_t total_ = 0, pages_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t op = data[0] % 12;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string out;
  switch (op) {
    case 0: {
      const size_t cap = in.size() / 2 + 1;
      deob::DecodeBase64(in, out, cap);
      Check(out.size() <= cap);
      deob::LooksLikeBase64(in);
      deob::IsTextPayload(in);
      deob::DataUriBase64(in);
      break;
    }
    case 1:
      deob::DecodePercent(in, deob::PercentMode::kUnescape, out);
      Check(out.size() <= 2 * in.size());
      out.clear();
      deob::DecodePercent(in, deob::PercentMode::kUri, out);
      Check(out.size() <= in.size());
      break;
    case 2: {
      std::vector<double> codes;
      for (size_t i = 0; i + 1 < in.size(); i += 2) {
        codes.push_back(static_cast<int16_t>((static_cast<uint8_t>(in[i]) << 8) | static_cast<uint8_t>(in[i + 1])));
      }
      deob::AppendFromCharCode(codes, out);
      Check(out.size() <= 4 * codes.size());
      out.clear();
      deob::AppendFromCodePoint(codes, out);
      Check(out.size() <= 4 * codes.size());
      break;
    }
    case 3:
      if (deob::DecodeCfEmail(in, out)) Check(out.size() * 2 + 2 == in.size());
      deob::CfEmailFragment(in);
      break;
    case 4:
      if (deob::DecodeHex(in, out)) Check(out.size() * 2 == in.size());
      deob::LooksLikeHexText(in);
      break;
    case 5:
      deob::DecodeJsStringBody(in, out);
      Check(out.size() <= in.size());
      break;
    case 6: {
      std::vector<deob::Token> tokens;
      deob::Tokenize(in, tokens, 4096);
      Check(tokens.size() <= 4096);
      for (const deob::Token& t : tokens) Check(size_t{t.start} + t.len <= in.size() + 1);
      break;
    }
    case 7: {
      deob::DecodeLimits l = SmallLimits();
      deob::DecodeBudget b(l);
      FoldCheck sink(l, in.size());
      deob::FoldScript(in, 0, b, sink);
      break;
    }
    case 8: {
      size_t consumed = 0;
      int calls = 0;  // bounded as the layer bounds it (kMaxPackerCalls)
      for (size_t at = deob::FindPacker(in); at != std::string_view::npos && calls < 8;
           at = deob::FindPacker(in, at + 1), ++calls) {
        if (deob::Unpack(in, at, out, 8192, consumed)) Check(out.size() <= 8192);
      }
      break;
    }
    case 9: {
      std::vector<std::string> subs = deob::FindAtSubstitutes(in);
      Check(subs.size() <= 4);
      if (deob::NormalizeObfuscatedText(in, subs, out)) Check(out.size() <= in.size());
      break;
    }
    case 10:
    case 11: {
      // The whole layer over a page, fragments scanned recursively.
      dragnet::extractors::PageLimits pl;
      pl.max_depth = 64;
      pl.max_attrs = 256;
      pl.max_text_bytes = 64 << 10;
      dragnet::Page page = dragnet::extractors::ParsePage(in, "https://fuzz.example.com/a/", pl);
      RevealCheck sink;
      sink.limits_ = SmallLimits();
      deob::DecodeBudget b(sink.limits_);
      sink.budget_ = &b;
      deob::Reveal(page, 0, b, sink);
      Check(sink.pages_ <= sink.limits_.max_html_fragments);
      break;
    }
    default:
      break;
  }
  return 0;
}
