// telegram, telegram_bot_token, whatsapp: the contact channels scam sites
// push victims to, and the bot tokens phishing kits exfiltrate through.
//
// telegram: the handle (lowercase, no "@") from t.me/<h>, t.me/s/<h>,
// telegram.me/<h>, telegram.dog/<h>, tg://resolve?domain=<h>, and "@<h>"
// within kTelegramNearBytes of the word Telegram (in Latin, Cyrillic, Thai,
// Chinese, Japanese, Persian/Arabic or Korean script). Handles follow
// Telegram's rules: 5-32 of [a-z0-9_], starting with a letter. Invite links
// (t.me/+..., joinchat) and service paths are not handles.
// telegram_bot_token: <8-10 digit bot id>:<35 token chars>.
// whatsapp: E.164 from wa.me/<n>, api.whatsapp.com/send?phone=<n>,
// web.whatsapp.com/send?phone=<n>, whatsapp://send?phone=<n>, valid per
// libphonenumber.

#include <string>

#include "extractors/scan_text.h"

namespace dragnet::extractors::scan {
namespace {

// How far after the word Telegram its "@handle" may stand (a short
// sentence, in UTF-8), and how far before it ("@handle on Telegram").
constexpr size_t kTelegramNearBytes = 120;
constexpr size_t kTelegramBeforeBytes = 40;

inline bool IsHandleChar(char c) { return IsAlnum(c) || c == '_'; }

bool IsReservedPath(std::string_view h) {
  static const char* const kReserved[] = {"joinchat", "addstickers", "addemoji", "share", "proxy", "socks",
                                          "iv", "login", "setlanguage", "addtheme", "bg", "c", "s",
                                          "boost", "contact", "addlist", "confirmphone", "invoice", "k", "a",
                                          "z", "web", "telegram", "blog", "apps", "faq"};
  for (const char* r : kReserved) {
    if (h == r) return true;
  }
  return false;
}

bool IsCssAtRule(std::string_view h) {
  static const char* const kRules[] = {"media", "import", "charset", "supports", "keyframes", "namespace",
                                       "font-face", "page", "layer", "container", "property", "counter-style"};
  for (const char* r : kRules) {
    if (h == r) return true;
  }
  return false;
}

// Reads a handle at `i`; empty when it breaks Telegram's rules.
std::string_view ReadHandle(std::string_view s, size_t i, size_t limit) {
  size_t e = i;
  while (e < limit && IsHandleChar(s[e]) && e - i <= 32) ++e;
  std::string_view h = s.substr(i, e - i);
  if (h.size() < 5 || h.size() > 32 || !IsAlpha(h.front()) || h.back() == '_') return {};
  if (e < limit && IsHandleChar(s[e])) return {};
  return h;
}

struct HandleAt {
  size_t start, end;  // "@" .. end of handle
};

void Telegram(const Segment& seg, const std::vector<Hit>& hits, const PageHints&, Emitter& out) {
  const std::string_view s = seg.text;
  std::vector<std::pair<size_t, size_t>> words;  // [begin, end) of the word Telegram
  std::vector<HandleAt> handles;                 // "@handle" candidates
  for (const Hit& h : hits) {
    if (h.trigger == kTelegramWord) {
      // The Latin spelling must stand alone ("not_telegram_related" is not it).
      if (h.start != h.end && ((h.start > 0 && IsHandleChar(s[h.start - 1])) ||
                               (h.end < s.size() && IsHandleChar(s[h.end])))) continue;
      words.emplace_back(h.start, h.end);
    } else if (h.trigger == kTelegramLink) {
      auto [pb, pe] = seg.PieceBounds(h.end - 1);
      size_t i = h.end;
      if (i + 2 <= pe && (s[i] == 's' || s[i] == 'S') && i + 1 < pe && s[i + 1] == '/') i += 2;  // t.me/s/<h>
      std::string_view handle = ReadHandle(s, i, pe);
      if (handle.empty() || IsReservedPath(AsciiLower(handle))) continue;
      size_t rb = h.end;  // where the link starts, for "raw"
      while (rb > pb && !(s[rb - 1] == ' ' || s[rb - 1] == '\0' || s[rb - 1] == '"' || s[rb - 1] == '\n' ||
                          s[rb - 1] == '(' || s[rb - 1] == '>')) --rb;
      out.Emit("telegram", AsciiLower(handle), s.substr(rb, i + handle.size() - rb), seg.PieceAt(h.end - 1).source);
    } else if (h.trigger == kAt) {
      if (h.start > 0 && (IsAlnum(s[h.start - 1]) || s[h.start - 1] == '.' || s[h.start - 1] == '_' ||
                          s[h.start - 1] == '-' || s[h.start - 1] == '/')) continue;  // e-mail, URL
      auto [pb, pe] = seg.PieceBounds(h.start);
      (void)pb;
      std::string_view handle = ReadHandle(s, h.end, pe);
      if (handle.empty()) continue;
      size_t after = h.end + handle.size();
      if (after + 1 < pe && s[after] == '.' && IsAlnum(s[after + 1])) continue;  // @host.tld
      if (IsCssAtRule(AsciiLower(handle))) continue;
      handles.push_back({h.start, after});
    } else if (h.trigger == kBotToken) {
      // h.start is the last digit of the bot id, h.start + 1 the colon.
      size_t colon = h.start + 1;
      size_t b = colon;
      while (b > 0 && IsDigit(s[b - 1]) && colon - b <= 10) --b;
      size_t id_len = colon - b;
      if (id_len < 8 || id_len > 10) continue;
      bool bot_prefix = b >= 3 && AsciiLower(s.substr(b - 3, 3)) == "bot";  // api.telegram.org/bot<token>
      if (!bot_prefix && b > 0 && (IsAlnum(s[b - 1]) || s[b - 1] == '_' || s[b - 1] == '-')) continue;
      if (h.end < s.size() && (IsAlnum(s[h.end]) || s[h.end] == '_' || s[h.end] == '-')) continue;
      std::string_view token = s.substr(b, h.end - b);
      out.Emit("telegram_bot_token", token, token, seg.PieceAt(b).source);
    }
  }
  // "Telegram: @handle" (the first handle after the word) and "@handle on
  // Telegram" (the last handle shortly before it), within one piece.
  auto emit = [&](const HandleAt& a) {
    std::string_view raw = s.substr(a.start, a.end - a.start);
    out.Emit("telegram", AsciiLower(raw.substr(1)), raw, seg.PieceAt(a.start).source);
  };
  for (const auto& [wb, we] : words) {
    auto [pb, pe] = seg.PieceBounds(wb);
    for (const HandleAt& a : handles) {
      if (a.start >= we && a.start < pe && a.start - we <= kTelegramNearBytes) {
        emit(a);
        break;
      }
    }
    for (size_t k = handles.size(); k-- > 0;) {
      const HandleAt& a = handles[k];
      if (a.end <= wb && a.start >= pb && wb - a.end <= kTelegramBeforeBytes) {
        emit(a);
        break;
      }
    }
  }
}

void Whatsapp(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out) {
  const std::string_view s = seg.text;
  for (const Hit& h : hits) {
    if (h.trigger != kWhatsappLink) continue;
    auto [pb, pe] = seg.PieceBounds(h.end - 1);
    size_t i = h.end;
    if (s[h.end - 1] == '/') {
      // wa.me/<digits>
    } else {
      // .../send?phone=<digits>: the phone parameter of the same URL.
      size_t stop = i;
      while (stop < pe && stop - i < 512 && s[stop] != ' ' && s[stop] != '"' && s[stop] != '\'' &&
             s[stop] != '\n' && s[stop] != '<') ++stop;
      std::string_view q = s.substr(i, stop - i);
      size_t p = q.find("phone=");
      if (p == std::string_view::npos || (p > 0 && q[p - 1] != '?' && q[p - 1] != '&')) continue;
      i += p + 6;
    }
    if (i < pe && s[i] == '+') ++i;
    else if (i + 3 <= pe && s.substr(i, 3) == "%2B") i += 3;
    size_t e = i;
    while (e < pe && IsDigit(s[e]) && e - i <= 15) ++e;
    if (e - i < 7 || e - i > 15 || (e < pe && IsAlnum(s[e]))) continue;
    // Built by append, not "+" + std::string(...): GCC 12 at -O3 reports a
    // false -Wrestrict on the operator+ form.
    std::string number;
    number.reserve(1 + e - i);
    number.push_back('+');
    number.append(s.substr(i, e - i));
    std::string e164 = CachedE164(hints, number, "ZZ");
    if (e164.empty()) continue;
    size_t rb = h.start == h.end ? h.end : h.start;
    while (rb > pb && !(s[rb - 1] == ' ' || s[rb - 1] == '\0' || s[rb - 1] == '"' || s[rb - 1] == '\n')) --rb;
    out.Emit("whatsapp", std::move(e164), s.substr(rb, e - rb), seg.PieceAt(h.end - 1).source);
  }
}

}  // namespace

const Family kTelegramFamily = {"telegram", Telegram, nullptr};
const Family kWhatsappFamily = {"whatsapp", Whatsapp, nullptr};

}  // namespace dragnet::extractors::scan
