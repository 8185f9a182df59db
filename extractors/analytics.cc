// analytics: the tracking IDs that tie sites run by the same people together.
// analytics_ga: Universal Analytics "UA-<account>-<n>" and GA4 "G-<10>";
// analytics_gtm: "GTM-<4..9>"; fb_pixel: the id in fbq('init', '<id>') and in
// the facebook.com/tr?id=<id> pixel image. Values as written (uppercase IDs,
// digits for the pixel).

#include <string>

#include "extractors/scan_text.h"

namespace dragnet::extractors::scan {
namespace {

// Walks back from `end` to the prefix ("UA-", "GTM-") a variable-length
// trigger began with.
size_t BackTo(std::string_view s, size_t end, std::string_view prefix, size_t max_len) {
  for (size_t b = end; b + max_len >= end && b > 0;) {
    --b;
    if (s.substr(b, prefix.size()) == prefix) return b;
    if (b == 0) break;
  }
  return std::string_view::npos;
}

bool HasDigitAndLetter(std::string_view v) {
  bool d = false, l = false;
  for (char c : v) {
    d = d || IsDigit(c);
    l = l || IsAlpha(c);
  }
  return d && l;
}

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints&, Emitter& out) {
  const std::string_view s = seg.text;
  for (const Hit& h : hits) {
    switch (h.trigger) {
      case kGaUa: {
        size_t b = BackTo(s, h.end, "UA-", 20);
        if (b == std::string_view::npos) break;
        std::string_view v = s.substr(b, h.end - b);
        out.Emit("analytics_ga", v, v, seg.PieceAt(b).source);
        break;
      }
      case kGa4: {
        std::string_view v = s.substr(h.start, h.end - h.start);
        if (!HasDigitAndLetter(v.substr(2))) break;  // G-SHOCKWAVE is a word
        out.Emit("analytics_ga", v, v, seg.PieceAt(h.start).source);
        break;
      }
      case kGtm: {
        size_t b = BackTo(s, h.end, "GTM-", 14);
        if (b == std::string_view::npos) break;
        std::string_view v = s.substr(b, h.end - b);
        out.Emit("analytics_gtm", v, v, seg.PieceAt(b).source);
        break;
      }
      case kFbTr: {
        size_t e = h.end;
        while (e < s.size() && IsDigit(s[e]) && e - h.end <= 20) ++e;
        size_t n = e - h.end;
        if (n < 10 || n > 20 || (e < s.size() && IsAlnum(s[e]))) break;
        std::string_view v = s.substr(h.end, n);
        out.Emit("fb_pixel", v, v, seg.PieceAt(h.end - 1).source);
        break;
      }
      default:
        break;
    }
  }
}

// fbq('init', '1234567890123456') is code, not a string: read it from the
// raw inline scripts.
void OnPage(const Page& page, const PageHints&, Emitter& out) {
  for (const Script& sc : page.scripts) {
    std::string_view s = sc.text;
    size_t pos = 0;
    while ((pos = s.find("fbq(", pos)) != std::string_view::npos) {
      pos += 4;
      size_t i = pos;
      auto skip = [&] {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
      };
      skip();
      if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) continue;
      ++i;
      if (s.substr(i, 4) != "init") continue;
      i += 4;
      if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) continue;
      ++i;
      skip();
      if (i >= s.size() || s[i] != ',') continue;
      ++i;
      skip();
      if (i < s.size() && (s[i] == '\'' || s[i] == '"')) ++i;
      size_t b = i;
      while (i < s.size() && IsDigit(s[i]) && i - b <= 20) ++i;
      if (i - b < 10 || i - b > 20) continue;
      std::string_view id = s.substr(b, i - b);
      out.Emit("fb_pixel", id, s.substr(pos - 4, i - pos + 4), "script");
    }
  }
}

}  // namespace

const Family kAnalyticsFamily = {"analytics", OnSegment, OnPage};

}  // namespace dragnet::extractors::scan
