#include "extractors/scan_text.h"

#include <hs/hs.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <memory>

#include "core/url.h"

namespace dragnet::extractors::scan {

// ================================================================ database ===

namespace {

struct PatternDef {
  Trigger trigger;
  const char* regex;
  unsigned flags;
  uint32_t length;  // fixed trigger length, 0 when variable
};

// Base58 without 0 O I l.
#define B58 "[1-9A-HJ-NP-Za-km-z]"

const PatternDef kPatterns[] = {
    {kAt, "@", 0, 1},
    {kBech32, "\\b[bB][cC]1[02-9ac-hj-np-zAC-HJ-NP-Z]{6}", 0, 9},
    {kEth, "\\b0[xX][0-9a-fA-F]{40}", 0, 42},
    {kBase58Btc, "\\b[13]" B58 "{25}", 0, 26},
    {kBase58Tron, "\\bT" B58 "{33}", 0, 34},
    {kBase58Xmr, "\\b[48]" B58 "{94}", 0, 95},
    {kIban, "\\b[A-Z]{2}[0-9]{2}", 0, 4},
    {kCardGrouped, "\\b[2-6][0-9]{3}[ -][0-9]{4}[ -][0-9]{4}", 0, 14},
    {kCardGrouped, "\\b3[47][0-9]{2}[ -][0-9]{6}[ -][0-9]{5}", 0, 17},
    {kCardRun, "\\b[2-6][0-9]{12}", 0, 13},
    {kDigitRun, "\\b[0-9]", 0, 1},
    {kTelegramLink, "\\bt\\.me/|telegram\\.(me|dog)/|tg://resolve\\?domain=|tg://join\\?invite=", HS_FLAG_CASELESS, 0},
    {kTelegramWord, "telegram", HS_FLAG_CASELESS, 8},
    // Cyrillic, Thai, Chinese (simplified/traditional), Japanese, Persian,
    // Arabic and Korean spellings.
    {kTelegramWord, "Телеграм|телеграм|ТЕЛЕГРАМ|เทเลแกรม|电报|電報|テレグラム|تلگرام|تيليجرام|텔레그램", 0, 0},
    // Slang: "TG", and the paper plane of Chinese-speaking scams (飞机, 纸飞机).
    {kTelegramWord, "\\bTG\\b|\\bTg\\b|飞机|飛機", 0, 0},
    {kBotToken, "[0-9]:[A-Za-z0-9_-]{35}", 0, 37},
    {kWhatsappLink, "\\bwa\\.me/|(api|web)\\.whatsapp\\.com/send|whatsapp://send", HS_FLAG_CASELESS, 0},
    {kWhatsappGroup, "chat\\.whatsapp\\.com/", HS_FLAG_CASELESS, 0},
    // Latin spellings (and the Brazilian "zap"), Arabic, Persian, Thai,
    // Japanese, Korean, Russian, Hebrew.
    {kWhatsappWord, "\\bwhats ?app?\\b|\\bwasap\\b|\\bwassap\\b|\\bwsp\\b|\\bzap\\b", HS_FLAG_CASELESS, 0},
    {kWhatsappWord, "\\bWA\\b|\\bWa\\b|واتساب|واتساپ|واتس اب|واتس آب|واتسپ|วอทส์แอป|วอทส์แอพ|วอทแอพ|ワッツアップ|왓츠앱|"
                    "ватсап|вотсап|вацап|ווטסאפ", 0, 0},
    {kLineLink, "\\bline\\.me/|\\bline://", HS_FLAG_CASELESS, 0},
    {kLineWord, "\\bline\\b", HS_FLAG_CASELESS, 0},
    {kLineWord, "ไลน์|ライン|라인|賴", 0, 0},
    {kZaloLink, "\\bzalo\\.me/", HS_FLAG_CASELESS, 0},
    {kUrlScheme, "https://", HS_FLAG_CASELESS, 8},
    {kUrlScheme, "http://", HS_FLAG_CASELESS, 7},
    {kUrlScheme, "wss://", HS_FLAG_CASELESS, 6},
    {kUrlScheme, "ws://", HS_FLAG_CASELESS, 5},
    {kWww, "\\bwww\\.", HS_FLAG_CASELESS, 4},
    {kGaUa, "\\bUA-[0-9]{4,10}-[0-9]{1,4}\\b", 0, 0},
    {kGa4, "\\bG-[A-Z0-9]{10}\\b", 0, 12},
    {kGtm, "\\bGTM-[A-Z0-9]{4,9}\\b", 0, 0},
    {kFbTr, "facebook\\.com/tr/?\\?(.*&)?id=", HS_FLAG_CASELESS, 0},
    {kIpv4, "\\b[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\b", 0, 0},
    {kIpv6, "[0-9A-Fa-f]{1,4}::|::[0-9A-Fa-f]{1,4}|\\b[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:", 0, 0},
};
#undef B58

constexpr size_t kPatternCount = sizeof(kPatterns) / sizeof(kPatterns[0]);

struct Database {
  hs_database_t* db = nullptr;
  std::string error;
};

const Database& Db() {
  static const Database instance = [] {
    Database d;
    const char* exprs[kPatternCount];
    unsigned flags[kPatternCount];
    unsigned ids[kPatternCount];
    for (size_t i = 0; i < kPatternCount; ++i) {
      exprs[i] = kPatterns[i].regex;
      // (.*&)? in the facebook pattern may match very long; no SOM needed.
      flags[i] = kPatterns[i].flags;
      ids[i] = static_cast<unsigned>(i);
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs, flags, ids, kPatternCount, HS_MODE_BLOCK, nullptr, &d.db, &err) != HS_SUCCESS) {
      d.error = err && err->message ? err->message : "hs_compile_multi failed";
      if (err && err->expression >= 0) d.error += std::string(" (pattern ") + exprs[err->expression] + ")";
      hs_free_compile_error(err);
      d.db = nullptr;
    }
    return d;
  }();
  return instance;
}

// Per-thread scratch, grown for the database on first use on the thread.
struct Scratch {
  hs_scratch_t* s = nullptr;
  ~Scratch() {
    if (s) hs_free_scratch(s);
  }
};

int OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/, void* ctx) {
  auto* hits = static_cast<std::vector<Hit>*>(ctx);
  const PatternDef& p = kPatterns[id];
  uint32_t end = static_cast<uint32_t>(to);
  uint32_t start = p.length != 0 && end >= p.length ? end - p.length : end;
  hits->push_back({p.trigger, start, end});
  return 0;
}

}  // namespace

bool Scan(std::string_view text, std::vector<Hit>& hits) {
  const Database& d = Db();
  if (d.db == nullptr || text.empty()) return d.db != nullptr;
  thread_local Scratch scratch;
  if (scratch.s == nullptr && hs_alloc_scratch(d.db, &scratch.s) != HS_SUCCESS) return false;
  // Buffers are bounded by the page limits (a few MiB) far below 4 GiB.
  return hs_scan(d.db, text.data(), static_cast<unsigned>(text.size()), 0, scratch.s, OnMatch, &hits) ==
         HS_SUCCESS;
}

// ================================================================ segments ===

bool SegmentBuilder::Add(std::string_view text, const char* source, const AttrValue* attr,
                         std::string_view context) {
  if (text.empty()) return true;
  if (*budget_ == 0) return false;
  // Offsets are 32-bit; the budget (a few MiB) keeps them far from the limit.
  size_t n = std::min(text.size(), *budget_);
  *budget_ -= n;
  RawPiece p;
  p.start = static_cast<uint32_t>(buf_.size());
  p.source = source;
  p.attr = attr;
  // A context longer than a name is not one (a minified expression).
  context = context.substr(0, 64);
  p.ctx_off = static_cast<uint32_t>(contexts_.size());
  p.ctx_len = static_cast<uint32_t>(context.size());
  contexts_.append(context);
  raw_.push_back(p);
  buf_.append(text.substr(0, n));
  buf_.push_back('\0');
  return n == text.size();
}

Segment SegmentBuilder::Build() const {
  Segment seg;
  seg.text = buf_;
  seg.pieces.reserve(raw_.size());
  for (const RawPiece& r : raw_) {
    seg.pieces.push_back({r.start, r.source, r.attr, std::string_view(contexts_).substr(r.ctx_off, r.ctx_len)});
  }
  return seg;
}

const Piece& Segment::PieceAt(size_t offset) const {
  auto it = std::upper_bound(pieces.begin(), pieces.end(), offset,
                             [](size_t off, const Piece& p) { return off < p.start; });
  return it == pieces.begin() ? pieces.front() : *(it - 1);
}

std::pair<size_t, size_t> Segment::PieceBounds(size_t offset) const {
  auto it = std::upper_bound(pieces.begin(), pieces.end(), offset,
                             [](size_t off, const Piece& p) { return off < p.start; });
  size_t begin = it == pieces.begin() ? 0 : (it - 1)->start;
  size_t end = it == pieces.end() ? text.size() : it->start;
  return {begin, end};
}

bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  const char first = needle[0];
  const char first_upper = (first >= 'a' && first <= 'z') ? static_cast<char>(first - 32) : first;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (hay[i] != first && hay[i] != first_upper) continue;
    size_t j = 1;
    while (j < needle.size() && AsciiLower(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

std::string_view Before(const Segment& seg, size_t pos, size_t n) {
  // The piece holding `pos` (never the one before it: a number at the start
  // of a piece has nothing before it).
  auto [begin, end] = seg.PieceBounds(std::min(pos, seg.text.empty() ? 0 : seg.text.size() - 1));
  (void)end;
  size_t from = pos > begin + n ? pos - n : begin;
  return seg.text.substr(from, pos - from);
}

std::string_view After(const Segment& seg, size_t pos, size_t n) {
  auto [begin, end] = seg.PieceBounds(pos);
  (void)begin;
  if (pos >= end) return {};
  return seg.text.substr(pos, std::min(n, end - pos));
}

// ================================================================== phones ===

// Builds the PhoneNumber by hand instead of PhoneNumberUtil::Parse: Parse
// runs a dozen ICU regular expressions per call (most of the extractors'
// time in profiles), while the candidates reaching here are already plain
// digit strings. Country code from the leading digits ("+") or the region,
// the region's national (trunk) prefix stripped, leading zeros of the
// national number kept as libphonenumber's italian_leading_zero fields; the
// validity verdict itself is IsValidNumber's. Checked against the
// libphonenumber example numbers of every territory (validators_test).
std::string ValidE164(std::string_view number, const std::string& region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::string digits;
  bool plus = false;
  for (char c : number) {
    if (c == '+' && digits.empty()) plus = true;
    else if (IsDigit(c)) digits.push_back(c);
  }
  // E.164 holds at most 15 digits; a national form one or two more.
  if (digits.size() < 4 || digits.size() > 17) return {};
  int cc = 0;
  std::string nsn;
  std::string cc_region;
  if (plus) {
    for (size_t len = 1; len <= 3 && len < digits.size(); ++len) {
      int candidate = std::stoi(digits.substr(0, len));
      std::string rc;
      util.GetRegionCodeForCountryCode(candidate, &rc);
      if (rc != "ZZ") {
        cc = candidate;
        cc_region = rc;
        nsn = digits.substr(len);
        break;
      }
    }
    if (cc == 0) return {};
    // "+44 (0)20 ...": a trunk prefix written after the country code.
    std::string ndd;
    util.GetNddPrefixForRegion(cc_region, true, &ndd);
    if (ndd == "0" && nsn.size() > 1 && nsn[0] == '0') nsn.erase(0, 1);
  } else {
    if (region.empty()) return {};
    cc = util.GetCountryCodeForRegion(region);
    if (cc == 0) return {};
    std::string ndd;
    util.GetNddPrefixForRegion(region, true, &ndd);
    nsn = digits;
    if (!ndd.empty() && nsn.size() > ndd.size() && nsn.compare(0, ndd.size(), ndd) == 0) nsn.erase(0, ndd.size());
  }
  if (nsn.empty() || nsn.size() > 17) return {};
  PhoneNumber n;
  n.set_country_code(cc);
  size_t zeros = 0;
  while (zeros + 1 < nsn.size() && nsn[zeros] == '0') ++zeros;
  if (zeros > 0) {
    n.set_italian_leading_zero(true);
    if (zeros > 1) n.set_number_of_leading_zeros(static_cast<int>(zeros));
  }
  n.set_national_number(std::stoull(nsn));
  // Length check first: cheap, and rejects most non-numbers before the
  // per-type regular expressions of IsValidNumber run.
  if (!util.IsPossibleNumber(n) || !util.IsValidNumber(n)) return {};
  return "+" + std::to_string(cc) + nsn;
}

namespace {
StringMemo& E164Memo() {
  thread_local StringMemo memo(kMaxMemoNumbers);
  return memo;
}
}  // namespace

std::string CachedE164(const PageHints&, std::string_view number, const std::string& region) {
  std::string key;
  key.reserve(region.size() + 1 + number.size());
  key.append(region).push_back('|');
  key.append(number);
  return E164Memo().Get(key, [&] { return ValidE164(number, region); });
}

size_t CachedE164Entries() { return E164Memo().size(); }

std::string DomainOf(std::string_view ascii_host) {
  thread_local StringMemo memo(kMaxMemoHosts);
  return memo.Get(ascii_host, [ascii_host] {
    std::string d = RegistrableDomainOf(ascii_host);
    return d.empty() ? std::string(ascii_host) : d;
  });
}

std::string RegionOfNumber(std::string_view e164) {
  thread_local StringMemo memo(kMaxMemoNumbers);
  return memo.Get(e164, [e164] {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber n;
    if (util.Parse(std::string(e164), "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR || !util.IsValidNumber(n)) {
      return std::string();
    }
    std::string region;
    util.GetRegionCodeForNumber(n, &region);
    return region == "ZZ" ? std::string() : region;
  });
}

}  // namespace dragnet::extractors::scan
