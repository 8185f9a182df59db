// card: payment card numbers, 13-19 digits (grouped or not), Luhn-valid with a
// card scheme's issuer prefix (extractors/validators.h), and only next to
// card context: a card word shortly before it, or a page whose form asks
// for a card. A bare Luhn-valid digit run elsewhere is not a card (one in
// ten random runs passes Luhn).

#include <string>

#include "extractors/scan_text.h"
#include "extractors/validators.h"

namespace dragnet::extractors::scan {
namespace {

constexpr size_t kMaxCardDigits = 19;
constexpr size_t kContextBytes = 80;

const char* const kCardWords[] = {
    "card", "visa", "mastercard", "amex", "american express", "discover", "jcb", "maestro", "unionpay",
    "credit", "debit", "cvv", "cc:",
    "kort",                      // sv
    "thẻ",                       // vi
    "บัตร",                      // th
    "卡",                        // zh
    "tarjeta",                   // es
    "kartu",                     // id
};

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out) {
  const std::string_view s = seg.text;
  size_t consumed = 0;
  for (const Hit& h : hits) {
    if ((h.trigger != kCardGrouped && h.trigger != kCardRun) || h.start < consumed) continue;
    std::string digits;
    size_t i = h.start, end = h.start;
    while (i < s.size() && digits.size() <= kMaxCardDigits) {
      char c = s[i];
      if (IsDigit(c)) {
        digits.push_back(c);
        end = ++i;
      } else if ((c == ' ' || c == '-') && i + 1 < s.size() && IsDigit(s[i + 1])) {
        ++i;
      } else {
        break;
      }
    }
    consumed = end;
    if (end < s.size() && (IsAlnum(s[end]))) continue;
    if (digits.size() > kMaxCardDigits || !IsCardNumber(digits)) continue;
    std::string_view before = Before(seg, h.start, kContextBytes);
    if (size_t nl = before.rfind('\n'); nl != std::string_view::npos) before.remove_prefix(nl + 1);
    bool context = hints.card_form;
    for (const char* w : kCardWords) context = context || ContainsNoCase(before, w);
    if (!context) continue;
    out.Emit("card", std::move(digits), s.substr(h.start, end - h.start), seg.PieceAt(h.start).source);
  }
}

}  // namespace

const Family kCardFamily = {"card", OnSegment, nullptr};

}  // namespace dragnet::extractors::scan
