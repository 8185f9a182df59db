// analytics: the tracking IDs that tie sites run by the same people together.
// analytics_ga: Universal Analytics "UA-<account>-<n>" and GA4 "G-<10>";
// analytics_gtm: "GTM-<4..9>"; fb_pixel: the id in fbq('init', '<id>') and in
// the facebook.com/tr?id=<id> pixel image. Values as written (uppercase IDs,
// digits for the pixel).
//
// Only in context, never from free text ("SKU: G-4KX9PL2QZB" is a product
// code, a GA4-shaped one): an ID counts when it is
//   - the id/tid parameter of a tag-manager URL (googletagmanager.com,
//     google-analytics.com) in any attribute, script or text;
//   - an argument of gtag(...), ga(...), __gaTracker(...), _gaq.push(...) or
//     of the GTM loader snippet (extractors/deobfuscate/js_fold.h contexts);
//   - the value of a config key that names it (measurementId, gtm_id,
//     ga4, trackingId, googleAnalytics, ...);
//   - a script string that is exactly the ID, not under a product-data key
//     (sku, code, item, ...), on a page that loads or configures a tag
//     manager; or, for the distinctive UA-<account>-<n> shape, on any page.

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

// Callees whose arguments are tag-manager IDs.
bool AnalyticsCallee(std::string_view ctx, bool snippet) {
  if (ctx == "gtag" || ctx == "ga" || ctx == "__gaTracker" || ctx == "gaTracker" || ctx == "_gaq") return true;
  // The GTM loader: (function(w,d,s,l,i){...})(window,document,'script','dataLayer','GTM-XXXX').
  return snippet && (ctx == "(iife)" || ctx == "push" || ctx == "config");
}

// Config keys that name a tag-manager ID.
bool AnalyticsKey(std::string_view ctx) {
  if (ctx.empty() || ctx.size() > 40) return false;
  std::string c = AsciiLower(ctx);
  if (c.rfind("data-", 0) == 0) c.erase(0, 5);
  for (const char* w : {"gtm", "gtag", "analytic", "measurement", "tagmanager", "tag_manager", "tag-manager",
                        "trackingid", "tracking_id", "tracking-id", "googletag", "google_tag", "ga4", "ua_id",
                        "uaid", "containerid", "container_id"}) {
    if (c.find(w) != std::string::npos) return true;
  }
  return c == "ga" || c == "gaid" || c == "ga_id" || c == "ga-id" || c == "tid" || c == "id_ga";
}

// The piece is a tag-manager URL and the ID its id=/tid= parameter.
bool InTagManagerUrl(const Segment& seg, size_t at) {
  auto [pb, pe] = seg.PieceBounds(at);
  std::string_view piece = seg.text.substr(pb, pe - pb);
  size_t off = at - pb;
  if (off < 3) return false;
  std::string_view before = piece.substr(0, off);
  if (!(before.size() >= 3 && (before.substr(before.size() - 3) == "id=" ||
                               (before.size() >= 4 && before.substr(before.size() - 4) == "tid=")))) {
    return false;
  }
  return ContainsNoCase(before, "googletagmanager.") || ContainsNoCase(before, "google-analytics.") ||
         ContainsNoCase(before, "analytics.google.");
}

// The ID is the whole of its piece (a script string that is exactly it).
bool WholePiece(const Segment& seg, size_t b, size_t e) {
  auto [pb, pe] = seg.PieceBounds(b);
  size_t end = pe > pb && seg.text[pe - 1] == '\0' ? pe - 1 : pe;
  return b == pb && e == end;
}

// Keys of product and order data, where an ID-shaped string is a code.
bool ProductKey(std::string_view ctx) {
  std::string c = AsciiLower(ctx);
  for (const char* w : {"sku", "code", "product", "item", "model", "part", "ref", "order", "article", "serial",
                        "ean", "upc", "isbn", "variant", "style", "barcode"}) {
    if (c.find(w) != std::string::npos) return true;
  }
  return false;
}

bool InContext(const Segment& seg, size_t b, size_t e, const PageHints& hints) {
  const Piece& piece = seg.PieceAt(b);
  if (InTagManagerUrl(seg, b)) return true;
  const std::string_view src = piece.source;
  if (src != "script" && src != "attribute" && src != "meta" && src != "form") return false;
  if (AnalyticsCallee(piece.context, hints.analytics_snippet) || AnalyticsKey(piece.context)) return true;
  if (src != "script" || !WholePiece(seg, b, e) || ProductKey(piece.context)) return false;
  // A script string that is exactly the ID: on a page that configures a tag
  // manager, or in the UA-<account>-<n> shape no product code takes.
  return hints.analytics_snippet || seg.text.compare(b, 3, "UA-") == 0;
}

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out) {
  const std::string_view s = seg.text;
  for (const Hit& h : hits) {
    switch (h.trigger) {
      case kGaUa: {
        size_t b = BackTo(s, h.end, "UA-", 20);
        if (b == std::string_view::npos || !InContext(seg, b, h.end, hints)) break;
        std::string_view v = s.substr(b, h.end - b);
        out.Emit("analytics_ga", v, v, seg.PieceAt(b).source);
        break;
      }
      case kGa4: {
        std::string_view v = s.substr(h.start, h.end - h.start);
        if (!HasDigitAndLetter(v.substr(2))) break;  // G-SHOCKWAVE is a word
        if (!InContext(seg, h.start, h.end, hints)) break;
        out.Emit("analytics_ga", v, v, seg.PieceAt(h.start).source);
        break;
      }
      case kGtm: {
        size_t b = BackTo(s, h.end, "GTM-", 14);
        if (b == std::string_view::npos || !InContext(seg, b, h.end, hints)) break;
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
      case kDigitRun: {
        // fbq('init', '<id>') that only folding revealed.
        const Piece& piece = seg.PieceAt(h.start);
        if (piece.context != "fbq") break;
        size_t e = h.start;
        while (e < s.size() && IsDigit(s[e]) && e - h.start <= 20) ++e;
        if (e - h.start < 10 || e - h.start > 20 || !WholePiece(seg, h.start, e)) break;
        std::string_view v = s.substr(h.start, e - h.start);
        out.Emit("fb_pixel", v, v, piece.source);
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
