// iban: compact uppercase IBANs. Written grouped in fours ("SE45 5000 0000
// 0583 9825 7466") or compact; the country's registry length decides where
// it ends, then the BBAN character classes and mod-97 must hold
// (extractors/validators.h).

#include <string>

#include "extractors/scan_text.h"
#include "extractors/validators.h"

namespace dragnet::extractors::scan {
namespace {

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints&, Emitter& out) {
  const std::string_view s = seg.text;
  size_t consumed = 0;
  for (const Hit& h : hits) {
    if (h.trigger != kIban || h.start < consumed) continue;
    int want = IbanLength(s.substr(h.start, 2));
    if (want == 0) continue;
    std::string compact;
    size_t i = h.start;
    size_t end = i;
    while (i < s.size() && static_cast<int>(compact.size()) < want) {
      char c = s[i];
      if (IsDigit(c) || (c >= 'A' && c <= 'Z')) {
        compact.push_back(c);
        end = ++i;
      } else if ((c == ' ' || c == '-') && i + 1 < s.size() && IsAlnum(s[i + 1]) && i > h.start &&
                 IsAlnum(s[i - 1])) {
        ++i;  // one separator between groups
      } else {
        break;
      }
    }
    if (static_cast<int>(compact.size()) != want) continue;
    if (end < s.size() && IsAlnum(s[end])) continue;  // runs on: not this IBAN
    if (!IsIban(compact)) continue;
    consumed = end;
    out.Emit("iban", std::move(compact), s.substr(h.start, end - h.start), seg.PieceAt(h.start).source);
  }
}

}  // namespace

const Family kIbanFamily = {"iban", OnSegment, nullptr};

}  // namespace dragnet::extractors::scan
