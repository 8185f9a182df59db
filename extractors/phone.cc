// phone: numbers libphonenumber judges valid, as E.164. A number written
// without "+" is read in the page's regions (PageHints::phone_regions: the
// page's own +cc numbers and tel: links, lang, ccTLD, hosting country, the
// impersonated brand's country, the language's countries): all of them for
// a number labelled as a phone, the two likeliest for one that is only
// grouped like one. Also the numbers of zalo.me/ and viber:// links.
//
// Decoys left out: dates and times (12.05.2024, 2024-05-12), prices
// (currency beside them, or thousands grouping 1.299.000), order/tracking/
// account numbers and other IDs (a keyword before them and no phone word, or
// a letter prefix glued on with "-": SE-4471-2026), digits inside URLs and
// longer tokens, and bare digit runs without a phone
// word nearby or a tel: link.

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "extractors/scan_text.h"

namespace dragnet::extractors::scan {
namespace {

// E.164 allows 15 digits; national formats with trunk prefix one or two more.
constexpr size_t kMaxDigits = 17;
constexpr size_t kMinDigits = 7;
// How far before a number its keyword ("Tel:", "Order no.") may stand.
constexpr size_t kContextBytes = 40;

const char* const kPhoneWords[] = {
    "tel", "phone", "call", "mobile", "hotline", "fax", "contact", "whatsapp", "zalo", "viber", "line",
    "ring", "mobil", "telefon", "kontakt",                            // sv
    "điện thoại", "đt", "sđt", "gọi", "liên hệ",                      // vi
    "โทร", "ติดต่อ",                                                   // th
    "电话", "電話", "手机", "致电", "联系", "聯絡",                     // zh
    "teléfono", "telefono", "llame", "llámenos", "contacto", "móvil",  // es
    "telepon", "hubungi", "hp", "kontak",                             // id
    "telefone", "celular", "ligue", "fale", "contato",                // pt
    "téléphone", "appelez", "portable", "joindre",                    // fr
    "telefonnummer", "anrufen", "handy", "rufen",                     // de
    "arayın", "arayin", "cep", "iletişim",                            // tr
    "هاتف", "اتصل", "جوال", "واتساب", "رقم الهاتف",                   // ar
    "携帯", "お問い合わせ", "問い合わせ", "ライン",                     // ja
    "전화", "연락처", "카톡",                                          // ko
    "телефон", "звоните", "тел",                                      // ru
    "line", "telegram",
};

const char* const kIdWords[] = {
    "order", "invoice", "ref:", "ref.", "ref ", "id:", " id ", "id#", "#", "no.", "nr.", "nr:", "nr ",
    "number", "tracking", "account", "sku", "isbn", "iban", "swift", "vat", "code", "serial", "ticket",
    "ordernummer", "beställning", "faktura", "kolli", "sändning", "konto", "org.nr", "personnummer",
    "bankgiro", "plusgiro", "swish", "ocr",                                                                // sv
    "mã", "đơn hàng", "vận đơn", "tài khoản", "số hiệu",                                                // vi
    "คำสั่งซื้อ", "พัสดุ", "เลขที่", "บัญชี",                                                               // th
    "订单", "訂單", "单号", "單號", "编号", "編號", "账号", "帳號",                                       // zh
    "pedido", "factura", "cuenta", "referencia", "seguimiento",                                        // es
    "pesanan", "resi", "kode", "rekening", "nomor",                                                    // id
    "commande", "référence", "facture", "colis", "suivi",                                              // fr
    "bestellung", "rechnung", "sendung", "nummer", "aktenzeichen", "artikel",                          // de
    "encomenda", "fatura", "rastreio", "protocolo",                                                    // pt
    "sipariş", "fatura no", "takip", "kargo",                                                          // tr
    "رقم الطلب", "رقم الشحنة", "الفاتورة",                                                             // ar
    "注文番号", "お問い合わせ番号", "伝票番号", "会員番号",                                            // ja
    "주문번호", "송장", "운송장", "등록번호", "사업자", "계좌",                                      // ko
    "заказ", "накладная", "счет",                                                                      // ru
};

const char* const kCurrencies[] = {"$", "€", "£", "¥", "₫", "฿", "₹", "₩", "kr", "sek", "usd", "eur",
                                   "vnd", "thb", "idr", "rp", "cny", "rmb", "元", "บาท", "đ", "gbp", ":-", ",-"};

// A word list indexed by first byte: one pass over the context window
// instead of one find() per word (every digit-run candidate asks twice).
class WordSet {
 public:
  // `whole_short`: short ASCII words (up to 4 letters: "tel", "fax", "hp")
  // match only at the start of a word ("tel" is in "Bestellnummer").
  template <size_t N>
  explicit WordSet(const char* const (&words)[N], bool whole_short = false) : whole_short_(whole_short) {
    for (const char* w : words) by_first_[static_cast<unsigned char>(w[0])].emplace_back(w);
  }
  // True when any word occurs in `lower` (the context window, ASCII-lowercased).
  bool AnyIn(std::string_view lower) const { return LastIn(lower) != std::string_view::npos; }
  // End of the last word occurrence in `lower`, or npos.
  size_t LastIn(std::string_view lower) const {
    size_t start = 0;
    return LastIn(lower, start);
  }
  // Same, with the occurrence's start in `start`.
  size_t LastIn(std::string_view lower, size_t& start) const {
    size_t last = std::string_view::npos;
    for (size_t i = 0; i < lower.size(); ++i) {
      const bool word_start = i == 0 || !IsAlpha(lower[i - 1]);
      for (std::string_view w : by_first_[static_cast<unsigned char>(lower[i])]) {
        if (whole_short_ && !word_start && w.size() <= 4 && IsAlpha(w[0])) continue;
        if (lower.compare(i, w.size(), w) == 0) {
          if (last == std::string_view::npos || i + w.size() > last) {
            last = i + w.size();
            start = i;
          }
        }
      }
    }
    return last;
  }

 private:
  bool whole_short_;
  std::array<std::vector<std::string_view>, 256> by_first_;
};

const WordSet& PhoneWords() {
  static const WordSet words(kPhoneWords, /*whole_short=*/true);
  return words;
}
const WordSet& IdWords() {
  static const WordSet words(kIdWords);
  return words;
}

// ASCII case-insensitive equality with an already-lowercase `lower`.
bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (AsciiLower(s[i]) != lower[i]) return false;
  }
  return true;
}

bool NearCurrency(std::string_view before, std::string_view after) {
  auto trim_back = [](std::string_view s) {
    while (!s.empty() && (s.back() == ' ')) s.remove_suffix(1);
    return s.substr(s.size() > 6 ? s.size() - 6 : 0);
  };
  auto trim_front = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s.substr(0, 6);
  };
  std::string_view b = trim_back(before), a = trim_front(after);
  for (const char* c : kCurrencies) {
    std::string_view cur(c);
    if (b.size() >= cur.size() && EqualsLower(b.substr(b.size() - cur.size()), cur)) return true;
    if (a.size() >= cur.size() && EqualsLower(a.substr(0, cur.size()), cur)) return true;
  }
  return false;
}

// Digit-group sizes of a candidate, held inline: Read stops at kMaxDigits + 1
// digits, so there are never more groups than that.
struct Groups {
  size_t n = 0;
  size_t sizes[kMaxDigits + 1];
  void push_back(size_t g) { sizes[n++] = g; }
  size_t size() const { return n; }
  size_t operator[](size_t k) const { return sizes[k]; }
  const size_t* begin() const { return sizes; }
  const size_t* end() const { return sizes + n; }
};

struct Candidate {
  size_t begin, end;      // raw span
  std::string digits;     // with a leading '+' when written
  size_t groups = 0;      // digit groups
  bool plus = false;
  bool has_slash = false, has_dot = false, has_dash = false, has_space = false, has_paren = false;
  Groups group_sizes;
};

// Reads a phone-shaped run starting at `i` (a digit, or "+"/"(" before it).
Candidate Read(std::string_view s, size_t i, size_t limit) {
  Candidate c;
  c.begin = i;
  size_t j = i;
  if (s[j] == '+') {
    c.plus = true;
    c.digits.push_back('+');
    ++j;
    while (j < limit && s[j] == ' ') ++j;
  }
  size_t group = 0;
  size_t seps = 0;
  size_t last_digit_end = j;
  for (; j < limit; ++j) {
    char ch = s[j];
    if (IsDigit(ch)) {
      if (c.digits.size() >= kMaxDigits + 1) break;
      c.digits.push_back(ch);
      ++group;
      seps = 0;
      last_digit_end = j + 1;
      continue;
    }
    bool sep = ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')' || ch == '/';
    if (!sep || ++seps > 2) break;
    // "0934 567 890 (8h-22h)": a parenthesis after a whole number opens a
    // remark, not an area code.
    if (ch == '(' && c.digits.size() - (c.plus ? 1 : 0) >= kMinDigits) break;
    if (group) c.group_sizes.push_back(group);
    group = 0;
    c.has_slash |= ch == '/';
    c.has_dot |= ch == '.';
    c.has_dash |= ch == '-';
    c.has_space |= ch == ' ';
    c.has_paren |= ch == '(' || ch == ')';
  }
  if (group) c.group_sizes.push_back(group);
  c.groups = c.group_sizes.size();
  c.end = last_digit_end;
  return c;
}

bool LooksLikeDateOrTime(const Candidate& c) {
  size_t nd = c.digits.size() - (c.plus ? 1 : 0);
  if (c.plus) return false;
  // 12.05.2024, 2024-05-12, 05/12/24, 12.05.2024 - 14.05.2024
  if ((c.has_dot || c.has_dash || c.has_slash) && nd <= 16) {
    size_t fours = 0, smalls = 0;
    for (size_t g : c.group_sizes) {
      fours += g == 4;
      smalls += g <= 2;
    }
    if ((c.groups == 3 || c.groups == 6) && fours * 3 <= c.groups && fours + smalls == c.groups) return true;
  }
  return false;
}

// 198.51.100.77: an IPv4 address, never a phone number.
bool LooksLikeDottedQuad(std::string_view raw, const Candidate& c) {
  if (c.plus || c.groups != 4 || raw.find_first_not_of("0123456789.") != std::string_view::npos) return false;
  for (size_t g : c.group_sizes) {
    if (g > 3) return false;
  }
  return true;
}

bool LooksLikeGroupedAmount(std::string_view raw, const Candidate& c) {
  // 1.299.000 / 1,299,000 / 12 500 000: first group 1-3 digits, all others 3.
  if (c.plus || c.groups < 2) return false;
  if (raw.find(',') != std::string_view::npos) return true;  // not a phone separator
  if (c.group_sizes[0] > 3) return false;
  for (size_t k = 1; k < c.group_sizes.size(); ++k) {
    if (c.group_sizes[k] != 3) return false;
  }
  return c.has_dot && !c.has_space && !c.has_dash;
}

// 31164.36 / 0812.50: one run of digits and a one- or two-digit fraction is
// a price or a quantity (tables of coin prices), never a phone number. Dotted
// phone styles (01.23.45.67.89) have more groups.
// `raw` is the candidate's own span (the flags also count a separator
// trailing after its last digit).
bool LooksLikeDecimal(std::string_view raw, const Candidate& c) {
  return !c.plus && c.groups == 2 && c.group_sizes[1] <= 2 &&
         raw.find_first_not_of("0123456789") == raw.find_last_not_of("0123456789") &&
         raw.find('.') != std::string_view::npos;
}

// Piece contexts that label a phone number ({"phone": ...}, name="tel",
// data-whatsapp=...): lowercase substrings.
bool PhoneishContext(std::string_view ctx) {
  if (ctx.empty()) return false;
  char buf[64];
  size_t n = std::min(ctx.size(), sizeof(buf));
  for (size_t k = 0; k < n; ++k) buf[k] = AsciiLower(ctx[k]);
  std::string_view c(buf, n);
  for (const char* w : {"phone", "tel", "mobile", "hotline", "whatsapp", "wa_", "wa-", "zalo", "viber", "line",
                        "contact", "call", "sdt", "dienthoai", "telefon", "telefono", "celular", "hp", "fax"}) {
    if (c.find(w) != std::string_view::npos) return true;
  }
  return c == "wa" || c == "number" || c == "msisdn";
}

}  // namespace

bool ReadPhoneAt(const Segment& seg, size_t begin, const PageHints& hints, PhoneContext ctx, PhoneMatch& m,
                 size_t& consumed) {
  const std::string_view s = seg.text;
  const size_t digit = begin;
  consumed = begin;
  bool id_prefix = false;
  // Part of a number already under way (1,234 / 12.05) or of a token.
  if (begin > 0) {
    char p = s[begin - 1];
    if (p == '/' || p == '=' || p == '?' || p == '&' || p == '_' || p == '#' || p == '@') return false;
    if ((p == '.' || p == ',' || p == ':') && begin > 1 && IsDigit(s[begin - 2])) return false;
    // A reference or order number glued to a letter prefix: "SE-4471-2026",
    // "INV-20240512", "UA-98765432-1". A "+46"-looking country prefix makes
    // these read as valid numbers once the letters are ignored. Read below
    // so that its later digit groups are consumed with it.
    id_prefix = p == '-' && begin > 1 && IsAlpha(s[begin - 2]);
    if (p == '+' || p == '(') --begin;
    if (p == '(' && begin > 0 && s[begin - 1] == '+') --begin;  // +(46)
  }
  auto [piece_begin, piece_end] = seg.PieceBounds(digit);
  (void)piece_begin;
  Candidate c = Read(s, begin, piece_end);
  consumed = std::max(consumed, c.end);
  if (id_prefix) return false;
  size_t nd = c.digits.size() - (c.plus ? 1 : 0);
  if (nd < kMinDigits || nd > kMaxDigits) return false;
  // Glued to a longer token: "ABC1234567", "1234567xyz", "5.5.5.5.5".
  if (c.end < piece_end && (IsAlpha(s[c.end]) || s[c.end] == '_')) return false;
  if (c.end + 1 < piece_end && (s[c.end] == '.' || s[c.end] == ',') && IsDigit(s[c.end + 1])) return false;
  std::string_view raw = s.substr(c.begin, c.end - c.begin);
  std::string_view before = Before(seg, c.begin, kContextBytes);
  std::string_view after = After(seg, c.end, 8);
  if (LooksLikeDateOrTime(c) || LooksLikeGroupedAmount(raw, c) || LooksLikeDecimal(raw, c) ||
      LooksLikeDottedQuad(raw, c) || NearCurrency(before, after)) {
    return false;
  }
  const Piece& piece = seg.PieceAt(c.begin);
  // A labelled number is tried in every region the page suggests; one that
  // is only grouped like a number ("0912 345 678" alone, but also "2024 05
  // 12 30") in the two likeliest: each try is a libphonenumber validation.
  bool labelled = ctx == PhoneContext::kGiven;
  if (ctx == PhoneContext::kRequired) {
    char lower_buf[kContextBytes];  // Before() returns at most kContextBytes
    for (size_t k = 0; k < before.size(); ++k) lower_buf[k] = AsciiLower(before[k]);
    const std::string_view before_lower(lower_buf, before.size());
    size_t id_start = 0;
    const size_t phone_at = PhoneWords().LastIn(before_lower);
    const size_t id_at = IdWords().LastIn(before_lower, id_start);
    // The nearest label wins: "Call 1-866-... Case ID: 5550123456" is a case
    // number. An ID word right after a phone word is part of its label
    // ("Phone number:", "Telefonnummer:").
    const bool id_nearer = id_at != std::string_view::npos &&
                           (phone_at == std::string_view::npos || id_start > phone_at + 1);
    bool phone_word = (phone_at != std::string_view::npos && !id_nearer) || PhoneishContext(piece.context);
    bool tel_link = piece.attr != nullptr && piece.attr->name == "href" && piece.attr->value.size() >= 4 &&
                    EqualsLower(std::string_view(piece.attr->value).substr(0, 4), "tel:");
    if (!phone_word && !tel_link) {
      if (id_nearer) return false;
      // A bare digit run says nothing, unless it is all its piece holds
      // under a phone-like name (handled above) or written as "+cc".
      if (c.groups <= 1 && !c.plus) return false;
    }
    labelled = phone_word || tel_link;
  }
  const size_t max_regions = labelled ? kMaxPhoneRegions : 2;
  std::string number = c.digits;
  if (!c.plus && number.size() > 2 && number[0] == '0' && number[1] == '0') {
    number[1] = '+';  // 0046... international prefix
    number.erase(0, 1);
  }
  std::string e164;
  if (number[0] == '+') {
    e164 = CachedE164(hints, number, "ZZ");
  } else {
    for (size_t r = 0; r < hints.phone_regions.size() && r < max_regions && e164.empty(); ++r) {
      e164 = CachedE164(hints, number, hints.phone_regions[r]);
      // Out of regions: the detected language may add some (once per page).
      if (e164.empty() && labelled && r + 1 == hints.phone_regions.size() && hints.detect_language) {
        CompletePhoneRegions(hints);
      }
    }
    if (e164.empty() && labelled && hints.phone_regions.empty() && hints.detect_language) {
      CompletePhoneRegions(hints);
      for (size_t r = 0; r < hints.phone_regions.size() && e164.empty(); ++r) {
        e164 = CachedE164(hints, number, hints.phone_regions[r]);
      }
    }
    // Under a WhatsApp/LINE label, numbers are often written the way wa.me
    // links want them: international without the "+" (628123456789).
    if (e164.empty() && ctx == PhoneContext::kGiven && number.size() >= 10 && number[0] != '0') {
      e164 = CachedE164(hints, "+" + number, "ZZ");
    }
  }
  if (e164.empty()) return false;
  m.e164 = std::move(e164);
  m.begin = c.begin;
  m.end = c.end;
  return true;
}

namespace {

// zalo.me/<number> (Zalo accounts are Vietnamese numbers) and
// viber://chat?number=<number>: a phone the link carries.
void PhoneLink(const Segment& seg, const Hit& h, const PageHints& hints, Emitter& out) {
  const std::string_view s = seg.text;
  auto [pb, pe] = seg.PieceBounds(h.end - 1);
  size_t i = h.end;
  const bool viber = h.trigger == kViberLink;
  if (viber) {
    size_t stop = i;
    while (stop < pe && stop - i < 256 && s[stop] != ' ' && s[stop] != '"' && s[stop] != '\'') ++stop;
    std::string_view q = s.substr(i, stop - i);
    size_t p = q.find("number=");
    if (p == std::string_view::npos || (p > 0 && q[p - 1] != '&')) return;
    i += p + 7;
  }
  std::string number;
  if (i < pe && s[i] == '+') {
    number.push_back('+');
    ++i;
  } else if (i + 3 <= pe && AsciiLower(s.substr(i, 3)) == "%2b") {
    number.push_back('+');
    i += 3;
  }
  size_t b = i;
  while (i < pe && IsDigit(s[i]) && i - b <= kMaxDigits) ++i;
  if (i - b < kMinDigits || i - b > kMaxDigits || (i < pe && IsAlnum(s[i]))) return;
  number.append(s.substr(b, i - b));
  std::string e164;
  if (number[0] == '+') {
    e164 = CachedE164(hints, number, "ZZ");
  } else if (!viber) {
    e164 = CachedE164(hints, number, "VN");
    if (e164.empty()) e164 = CachedE164(hints, "+" + number, "ZZ");
  } else {
    e164 = CachedE164(hints, "+" + number, "ZZ");  // Viber links carry international numbers
  }
  if (e164.empty()) return;
  size_t rb = h.start == h.end ? h.end : h.start;
  while (rb > pb && s[rb - 1] != ' ' && s[rb - 1] != '\0' && s[rb - 1] != '"' && s[rb - 1] != '\n') --rb;
  out.Emit("phone", e164, s.substr(rb, i - rb), seg.PieceAt(h.end - 1).source);
}

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out) {
  if (hints.phone_regions.empty() && hits.empty()) return;
  size_t consumed = 0;
  PhoneMatch m;
  for (const Hit& h : hits) {
    if (h.trigger == kZaloLink || h.trigger == kViberLink) {
      PhoneLink(seg, h, hints, out);
      continue;
    }
    if (h.trigger != kDigitRun || h.start < consumed) continue;
    size_t next = h.start;
    bool ok = ReadPhoneAt(seg, h.start, hints, PhoneContext::kRequired, m, next);
    consumed = std::max(consumed, next);
    if (ok) out.Emit("phone", m.e164, seg.text.substr(m.begin, m.end - m.begin), seg.PieceAt(m.begin).source);
  }
}

}  // namespace

const Family kPhoneFamily = {"phone", OnSegment, nullptr};

}  // namespace dragnet::extractors::scan
