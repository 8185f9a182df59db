// telegram, telegram_invite, telegram_bot_token, whatsapp, whatsapp_group,
// line: the contact channels scam sites push victims to, and the bot tokens
// phishing kits exfiltrate through.
//
// telegram: the handle (lowercase, no "@") from t.me/<h>, t.me/s/<h>,
// telegram.me/<h>, telegram.dog/<h>, tg://resolve?domain=<h>, and "@<h>"
// within kTelegramNearBytes of the word Telegram (in Latin, Cyrillic, Thai,
// Chinese, Japanese, Persian/Arabic or Korean script). Handles follow
// Telegram's rules: 5-32 of [a-z0-9_], starting with a letter. Service paths
// (t.me/c/..., addstickers, share, ...) are not handles.
// telegram_invite: the invite code exactly as written (it is case-sensitive)
// from t.me/+<code>, t.me/joinchat/<code>, telegram.me/..., tg://join?invite=.
// A t.me/+<digits> link opens a chat by phone number: a phone, not an invite.
// telegram_bot_token: <8-10 digit bot id>:<35 token chars>.
// whatsapp: E.164 from wa.me/<n>, api.whatsapp.com/send?phone=<n>,
// web.whatsapp.com/send?phone=<n>, whatsapp://send?phone=<n>, from a number
// labelled WhatsApp/WA/واتساب/... in text, and from values named so
// ({"whatsapp": ...}, data-wa=...); valid per libphonenumber. Each is a
// `phone` indicator too.
// whatsapp_group: the invite code exactly as written from
// chat.whatsapp.com/<code> (also .../invite/<code>).
// line: LINE IDs, lowercase, from line.me/ti/p/~<id>, line.me/R/ti/p/~<id>,
// line://ti/p/~<id>; official accounts keep their "@" (line.me/R/ti/p/@<id>);
// and from "LINE ID: <id>" labels (ไอดีไลน์, ライン ID, ...) and values named
// line/line_id.

#include <algorithm>
#include <string>

#include "extractors/scan_text.h"

namespace dragnet::extractors::scan {
namespace {

// How far after the word Telegram its "@handle" may stand (a short
// sentence, in UTF-8), and how far before it ("@handle on Telegram").
constexpr size_t kTelegramNearBytes = 120;
constexpr size_t kTelegramBeforeBytes = 40;
// Invite codes: Telegram's are 16-22 characters today (older joinchat ones
// up to ~30); WhatsApp's 20-24. Bounds with room on both sides.
constexpr size_t kMinInvite = 10, kMaxInvite = 64;
constexpr size_t kMinGroupCode = 16, kMaxGroupCode = 40;
// How far after a WhatsApp/LINE label its number or ID may start.
constexpr size_t kLabelWindow = 48;
// LINE IDs: 4-20 characters of [a-z0-9._-].
constexpr size_t kMinLineId = 4, kMaxLineId = 20;

inline bool IsHandleChar(char c) { return IsAlnum(c) || c == '_'; }
inline bool IsCodeChar(char c) { return IsAlnum(c) || c == '_' || c == '-'; }
inline bool IsLineIdChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }

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

// An invite code at `i` (exactly as written); empty when it is not one.
std::string_view ReadCode(std::string_view s, size_t i, size_t limit, size_t min, size_t max, bool dashes) {
  size_t e = i;
  while (e < limit && (dashes ? IsCodeChar(s[e]) : IsAlnum(s[e])) && e - i <= max) ++e;
  std::string_view c = s.substr(i, e - i);
  if (c.size() < min || c.size() > max) return {};
  bool letter = false;
  for (char ch : c) letter = letter || IsAlpha(ch);
  return letter ? c : std::string_view();
}

// Start of the URL a link trigger belongs to, for "raw".
size_t LinkStart(std::string_view s, size_t from, size_t piece_begin) {
  size_t rb = from;
  while (rb > piece_begin && !(s[rb - 1] == ' ' || s[rb - 1] == '\0' || s[rb - 1] == '"' || s[rb - 1] == '\'' ||
                               s[rb - 1] == '\n' || s[rb - 1] == '(' || s[rb - 1] == '>')) {
    --rb;
  }
  return rb;
}

bool EndsWithNoCase(std::string_view s, size_t end, std::string_view suffix) {
  return end >= suffix.size() && AsciiLower(s.substr(end - suffix.size(), suffix.size())) == suffix;
}

// A phone number written as digits after `i` ("+<digits>" already past the
// "+"): valid E.164 or empty.
std::string DigitsToE164(std::string_view s, size_t i, size_t limit, size_t& end) {
  end = i;
  while (end < limit && IsDigit(s[end]) && end - i <= 15) ++end;
  if (end - i < 7 || end - i > 15 || (end < limit && IsAlnum(s[end]))) return {};
  std::string number;
  number.reserve(1 + end - i);
  number.push_back('+');
  number.append(s.substr(i, end - i));
  static const PageHints kNoHints;
  return CachedE164(kNoHints, number, "ZZ");
}

// ================================================================ telegram ===

struct HandleAt {
  size_t start, end;  // "@" .. end of handle
};

void TelegramLink(const Segment& seg, const Hit& h, const PageHints& hints, Emitter& out) {
  const std::string_view s = seg.text;
  auto [pb, pe] = seg.PieceBounds(h.end - 1);
  const char* source = seg.PieceAt(h.end - 1).source;
  size_t i = h.end;
  const size_t rb = LinkStart(s, h.start == h.end ? h.end : h.start, pb);
  // tg://join?invite=<code>
  if (EndsWithNoCase(s, h.end, "invite=")) {
    std::string_view code = ReadCode(s, i, pe, kMinInvite, kMaxInvite, true);
    if (!code.empty()) out.Emit("telegram_invite", code, s.substr(rb, i + code.size() - rb), source);
    return;
  }
  if (EndsWithNoCase(s, h.end, "domain=")) {
    std::string_view handle = ReadHandle(s, i, pe);
    if (!handle.empty()) out.Emit("telegram", AsciiLower(handle), s.substr(rb, i + handle.size() - rb), source);
    return;
  }
  // t.me/+<code>, t.me/%2B<code>, t.me/joinchat/<code>
  size_t code_at = std::string_view::npos;
  if (i < pe && s[i] == '+') code_at = i + 1;
  else if (i + 3 <= pe && AsciiLower(s.substr(i, 3)) == "%2b") code_at = i + 3;
  else if (i + 9 <= pe && AsciiLower(s.substr(i, 9)) == "joinchat/") code_at = i + 9;
  if (code_at != std::string_view::npos) {
    if (s[i] != 'j' && s[i] != 'J') {
      // t.me/+14155550132: a chat opened by phone number.
      size_t end = 0;
      std::string e164 = DigitsToE164(s, code_at, pe, end);
      if (!e164.empty()) {
        out.Emit("phone", e164, s.substr(rb, end - rb), source);
        return;
      }
    }
    std::string_view code = ReadCode(s, code_at, pe, kMinInvite, kMaxInvite, true);
    if (!code.empty()) out.Emit("telegram_invite", code, s.substr(rb, code_at + code.size() - rb), source);
    return;
  }
  (void)hints;
  if (i + 2 <= pe && (s[i] == 's' || s[i] == 'S') && i + 1 < pe && s[i + 1] == '/') i += 2;  // t.me/s/<h>
  std::string_view handle = ReadHandle(s, i, pe);
  if (handle.empty() || IsReservedPath(AsciiLower(handle))) return;
  out.Emit("telegram", AsciiLower(handle), s.substr(rb, i + handle.size() - rb), source);
}

void Telegram(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out) {
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
      TelegramLink(seg, h, hints, out);
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
        // "@h on Telegram", "@h (Telegram)": joined by a few words, not a
        // list ("LINE: @x · Telegram: @y" names @x for LINE).
        std::string_view gap = s.substr(a.end, wb - a.end);
        if (gap.find_first_of(":;,|/\n") == std::string_view::npos && gap.find("\xC2\xB7") == std::string_view::npos &&
            gap.find("\xEF\xBC\x9A") == std::string_view::npos) {
          emit(a);
        }
        break;
      }
    }
  }
}

// ================================================================ whatsapp ===

// A value named after WhatsApp: data-whatsapp, {"wa": ...}, var waNumber.
bool WhatsappContext(std::string_view ctx) {
  if (ctx.empty()) return false;
  std::string c = AsciiLower(ctx);
  if (c.rfind("data-", 0) == 0) c.erase(0, 5);
  if (c.find("whatsapp") != std::string::npos || c.find("wsapp") != std::string::npos) return true;
  return c == "wa" || c.rfind("wa_", 0) == 0 || c.rfind("wa-", 0) == 0 || c.rfind("wanumber", 0) == 0 ||
         c.rfind("waphone", 0) == 0 || c.rfind("walink", 0) == 0;
}

void EmitWhatsapp(const Segment& seg, const PhoneMatch& m, Emitter& out) {
  std::string_view raw = seg.text.substr(m.begin, m.end - m.begin);
  const char* source = seg.PieceAt(m.begin).source;
  out.Emit("whatsapp", m.e164, raw, source);
  out.Emit("phone", m.e164, raw, source);
}

void WhatsappLink(const Segment& seg, const Hit& h, Emitter& out) {
  const std::string_view s = seg.text;
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
    if (p == std::string_view::npos || (p > 0 && q[p - 1] != '?' && q[p - 1] != '&')) return;
    i += p + 6;
  }
  if (i < pe && s[i] == '+') ++i;
  else if (i + 3 <= pe && AsciiLower(s.substr(i, 3)) == "%2b") i += 3;
  size_t e = 0;
  std::string e164 = DigitsToE164(s, i, pe, e);
  if (e164.empty()) return;
  size_t rb = LinkStart(s, h.start == h.end ? h.end : h.start, pb);
  const char* source = seg.PieceAt(h.end - 1).source;
  out.Emit("whatsapp", e164, s.substr(rb, e - rb), source);
  out.Emit("phone", e164, s.substr(rb, e - rb), source);
}

void WhatsappGroup(const Segment& seg, const Hit& h, Emitter& out) {
  const std::string_view s = seg.text;
  auto [pb, pe] = seg.PieceBounds(h.end - 1);
  size_t i = h.end;
  if (i + 7 <= pe && AsciiLower(s.substr(i, 7)) == "invite/") i += 7;
  std::string_view code = ReadCode(s, i, pe, kMinGroupCode, kMaxGroupCode, false);
  if (code.empty()) return;
  size_t rb = LinkStart(s, h.start == h.end ? h.end : h.start, pb);
  out.Emit("whatsapp_group", code, s.substr(rb, i + code.size() - rb), seg.PieceAt(h.end - 1).source);
}

void Whatsapp(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out) {
  std::vector<size_t> digits;  // starts of digit runs, in order
  bool labels = false;
  for (const Hit& h : hits) {
    if (h.trigger == kDigitRun) digits.push_back(h.start);
    else if (h.trigger == kWhatsappWord) labels = true;
  }
  PhoneMatch m;
  size_t consumed = 0;
  for (const Hit& h : hits) {
    if (h.trigger == kWhatsappLink) {
      WhatsappLink(seg, h, out);
    } else if (h.trigger == kWhatsappGroup) {
      WhatsappGroup(seg, h, out);
    } else if (h.trigger == kDigitRun && h.start >= consumed) {
      // A number that is all of a value named after WhatsApp.
      const Piece& piece = seg.PieceAt(h.start);
      if (!WhatsappContext(piece.context)) continue;
      if (ReadPhoneAt(seg, h.start, hints, PhoneContext::kGiven, m, consumed)) EmitWhatsapp(seg, m, out);
    }
  }
  if (!labels) return;
  const std::string_view s = seg.text;
  for (const Hit& h : hits) {
    if (h.trigger != kWhatsappWord) continue;
    auto [pb, pe] = seg.PieceBounds(h.start);
    // The first number starting within the window after the label, on the
    // same line ("WhatsApp: 0812...", "WA (24 jam) 0812..."): a label at the
    // end of one line does not name a number on the next...
    bool found = false;
    for (auto it = std::lower_bound(digits.begin(), digits.end(), h.end); it != digits.end(); ++it) {
      size_t d = *it;
      if (d >= pe || d - h.end > kLabelWindow) break;
      if (s.substr(h.end, d - h.end).find('\n') != std::string_view::npos) break;
      // Skip a "+" or "(" start the reader walks back to itself.
      size_t next = d;
      if (ReadPhoneAt(seg, d, hints, PhoneContext::kGiven, m, next)) {
        EmitWhatsapp(seg, m, out);
        found = true;
        break;
      }
      // "WA 24/7: 0812..." : try the next run.
      while (it + 1 != digits.end() && *(it + 1) < next) ++it;
    }
    if (found) continue;
    // ... or the number just before it: "+62 812-3456-7890 (WhatsApp)".
    auto it = std::lower_bound(digits.begin(), digits.end(), h.start);
    for (int tries = 0; tries < 6 && it != digits.begin(); ++tries) {
      --it;
      size_t d = *it;
      if (d < pb || h.start - d > kLabelWindow) break;
      size_t next = d;
      if (!ReadPhoneAt(seg, d, hints, PhoneContext::kGiven, m, next)) continue;
      size_t gap = m.end;
      while (gap < h.start && (s[gap] == ' ' || s[gap] == '(' || s[gap] == '-' || s[gap] == '|' || s[gap] == '/' ||
                               s[gap] == ':')) {
        ++gap;
      }
      if (gap == h.start) EmitWhatsapp(seg, m, out);
      break;
    }
  }
}

// ==================================================================== line ===

bool LineContext(std::string_view ctx) {
  if (ctx.empty() || ctx.size() > 24) return false;
  std::string c = AsciiLower(ctx);
  if (c.rfind("data-", 0) == 0) c.erase(0, 5);
  for (const char* n : {"line", "lineid", "line_id", "line-id", "idline", "id_line", "line_account", "lineaccount",
                        "line_official", "line_oa", "lineoa"}) {
    if (c == n) return true;
  }
  return false;
}

// A LINE ID at `i` ("@" kept for official accounts), lowercase; empty when
// it is not one.
std::string ReadLineId(std::string_view s, size_t i, size_t limit, size_t& end) {
  bool official = false;
  if (i < limit && s[i] == '@') {
    official = true;
    ++i;
  } else if (i + 3 <= limit && AsciiLower(s.substr(i, 3)) == "%40") {
    official = true;
    i += 3;
  }
  size_t e = i;
  while (e < limit && IsLineIdChar(s[e]) && e - i <= kMaxLineId) ++e;
  while (e > i && (s[e - 1] == '.' || s[e - 1] == '-')) --e;  // sentence end
  end = e;
  std::string_view id = s.substr(i, e - i);
  if (id.size() < kMinLineId || id.size() > kMaxLineId) return {};
  if (e < limit && IsLineIdChar(s[e]) && s[e] != '.' && s[e] != '-') return {};
  if (!IsAlnum(id.front())) return {};
  std::string v = official ? "@" : "";
  v += AsciiLower(id);
  return v;
}

void LineLink(const Segment& seg, const Hit& h, Emitter& out) {
  const std::string_view s = seg.text;
  auto [pb, pe] = seg.PieceBounds(h.end - 1);
  size_t i = h.end;
  // line.me/R/ti/p/..., line.me/ti/p/..., line://ti/p/...; line.me/R/oaMessage/@id
  std::string_view rest = s.substr(i, std::min<size_t>(pe - i, 32));
  std::string lower = AsciiLower(rest);
  size_t skip = 0;
  for (const char* p : {"r/ti/p/", "ti/p/", "r/oamessage/"}) {
    if (lower.rfind(p, 0) == 0) {
      skip = std::string_view(p).size();
      break;
    }
  }
  if (skip == 0) return;
  i += skip;
  if (i < pe && s[i] == '~') ++i;
  else if (!(i < pe && s[i] == '@') && !(i + 3 <= pe && AsciiLower(s.substr(i, 3)) == "%40")) return;  // a QR ticket
  size_t end = 0;
  std::string id = ReadLineId(s, i, pe, end);
  if (id.empty()) return;
  size_t rb = LinkStart(s, h.start == h.end ? h.end : h.start, pb);
  out.Emit("line", id, s.substr(rb, end - rb), seg.PieceAt(h.end - 1).source);
}

// "LINE ID: abc", "Line: @shop", "ไอดีไลน์ abc", "ライン ID：abc".
void LineLabel(const Segment& seg, const Hit& h, Emitter& out) {
  const std::string_view s = seg.text;
  // (Not a structured binding: clang 14 cannot capture one in a lambda.)
  const auto bounds = seg.PieceBounds(h.start);
  const size_t pb = bounds.first, pe = bounds.second;
  size_t i = h.end;
  bool labelled = false;
  // "ID" before the word ("ไอดีไลน์", "ID LINE").
  std::string_view before = s.substr(h.start >= pb + 12 ? h.start - 12 : pb, h.start - (h.start >= pb + 12 ? h.start - 12 : pb));
  if (before.find("ไอดี") != std::string_view::npos || EndsWithNoCase(before, before.size(), "id ") ||
      before.find("แอด") != std::string_view::npos) {
    labelled = true;
  }
  auto skip_spaces = [&] {
    while (i < pe && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  skip_spaces();
  if (i + 2 <= pe && AsciiLower(s.substr(i, 2)) == "id" && !(i + 2 < pe && IsAlnum(s[i + 2]))) {
    labelled = true;
    i += 2;
  } else if (s.compare(i, 12, "ไอดี") == 0) {
    labelled = true;
    i += 12;
  } else if (i < pe && s[i] == '@' && i + 1 < pe && s[i + 1] == ' ') {
    ++i;  // "LINE@ : id" (the old official-account product name)
  }
  skip_spaces();
  if (i < pe && (s[i] == ':' || s[i] == '-' || s[i] == '=')) {
    labelled = true;
    ++i;
  } else if (s.compare(i, 3, "：") == 0) {
    labelled = true;
    i += 3;
  }
  skip_spaces();
  if (!labelled || i >= pe || i - h.end > kLabelWindow) return;
  size_t end = 0;
  std::string id = ReadLineId(s, i, pe, end);
  if (id.empty()) return;
  // Prose after "line:" is words, not an ID: an ID has a digit, "@", "." or
  // "_" or stands alone at the end of its line.
  bool idlike = id.front() == '@' || id.find_first_of("0123456789._-") != std::string::npos ||
                end >= pe || s[end] == '\n' || s[end] == ' ' || s[end] == ')' || s[end] == '<';
  if (!idlike) return;
  out.Emit("line", id, s.substr(h.start, end - h.start), seg.PieceAt(h.start).source);
}

void Line(const Segment& seg, const std::vector<Hit>& hits, const PageHints&, Emitter& out) {
  bool any = false;
  for (const Hit& h : hits) {
    if (h.trigger == kLineLink) {
      LineLink(seg, h, out);
      any = true;
    } else if (h.trigger == kLineWord) {
      LineLabel(seg, h, out);
      any = true;
    }
  }
  (void)any;
  // Values named line / line_id: the whole piece is the ID.
  const std::string_view s = seg.text;
  for (const Piece& p : seg.pieces) {
    // Cheap gate before the comparison: the names start with l, i or d(ata-).
    if (p.context.size() < 4 || p.context.size() > 24) continue;
    const char c0 = AsciiLower(p.context[0]);
    if ((c0 != 'l' && c0 != 'i' && c0 != 'd') || !LineContext(p.context)) continue;
    auto [pb, pe] = seg.PieceBounds(p.start);
    size_t i = pb;
    while (i < pe && s[i] == ' ') ++i;
    size_t end = 0;
    std::string id = ReadLineId(s, i, pe, end);
    if (id.empty()) continue;
    while (end < pe && s[end] == ' ') ++end;
    if (end != pe - 1 && end != pe) continue;  // the piece holds more than an ID
    out.Emit("line", id, s.substr(i, end - i), p.source);
  }
}

}  // namespace

const Family kTelegramFamily = {"telegram", Telegram, nullptr};
const Family kWhatsappFamily = {"whatsapp", Whatsapp, nullptr};
const Family kLineFamily = {"line", Line, nullptr};

}  // namespace dragnet::extractors::scan
