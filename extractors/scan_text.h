#pragma once
// The shared text scanner behind every indicator family (internal to
// extractors/; the public entry point is extractors/indicators.h).
//
// One vectorscan (Hyperscan API) database holds a short trigger pattern per
// candidate shape: "@", "bc1", "0x"+40 hex, a base58 word start, "t.me/",
// "UA-", "https://", "WhatsApp", ... A buffer is scanned once; each trigger hit is handed to the
// families, which expand it by hand and run their validators. Triggers are
// deliberately loose (cheap, never the last word) and the validators strict.
//
// Threads: the database is compiled once per process on first use (a
// function-local static); each thread keeps its own scratch space and its
// own memos of validator verdicts (thread_local, StringMemo below), so
// Scan() and the families may run on any number of threads at once.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/strings.h"

namespace dragnet::extractors {
class Platforms;
}

namespace dragnet::extractors::scan {

enum Trigger : uint16_t {
  kAt,              // "@"
  kBech32,          // "bc1" + 6 bech32 chars at a word start
  kEth,             // "0x" + 40 hex digits at a word start
  kBase58Btc,       // [13] + 25 base58 chars at a word start
  kBase58Tron,      // T + 33 base58 chars
  kBase58Xmr,       // [48] + 94 base58 chars
  kIban,            // two capitals and two digits at a word start
  kCardGrouped,     // 4-4-4 digit groups, or Amex 4-6-5
  kCardRun,         // 13 digits at a word start
  kDigitRun,        // start of a run of digits (phone candidates)
  kTelegramLink,    // t.me/, telegram.me/, telegram.dog/, tg://resolve?domain=, tg://join?invite=
  kTelegramWord,    // "Telegram" in several scripts, "TG", 飞机
  kBotToken,        // digits ":" 35 token chars
  kWhatsappLink,    // wa.me/, api.whatsapp.com/send, whatsapp://send
  kWhatsappGroup,   // chat.whatsapp.com/
  kWhatsappWord,    // "WhatsApp", "WA", "واتساب", "วอทส์แอป", "zap", ... (a label before a number)
  kLineLink,        // line.me/, line://
  kLineWord,        // "LINE", "ไลน์", "ライン" (a label before an ID)
  kZaloLink,        // zalo.me/ (a Vietnamese number)
  kViberLink,       // viber://chat?number=, viber://add?number=
  kUrlScheme,       // http://, https://, ws://, wss:// (URLs written out in text and code)
  kWww,             // www.<label>. at a word start
  kObfuscated,      // "[at]", "(arroba)", "snabel-a", "sales @ x", "艾特", full-width and native
                    // digits, zero-width characters: the piece is normalized and scanned
                    // again (extractors/deobfuscate/text_obfuscation.h)
  kGaUa,            // UA-1234-5
  kGa4,             // G-XXXXXXXXXX
  kGtm,             // GTM-XXXXXXX
  kFbTr,            // facebook.com/tr?id=
  kIpv4,            // dotted quad
  kIpv6,            // hex groups with "::" or four colon groups
  kTriggerCount
};

// One trigger occurrence: [start, end) of the trigger text when its length
// is fixed; start == end when it is not (the family walks back itself).
struct Hit {
  Trigger trigger;
  uint32_t start;
  uint32_t end;
};

// A buffer to scan. Joined buffers (all attribute values of a page, all
// script string literals) hold several pieces separated by '\0'; each piece
// remembers where it came from.
struct Piece {
  uint32_t start;          // offset of the piece in the buffer
  const char* source;      // text, attribute, script, form, meta, comment, noscript
  const AttrValue* attr;   // the attribute, when the piece is one
  // Where the piece was written, when known: the attribute's name, the form
  // input's name, the JSON/object key, variable or property assigned, or the
  // function called with it (extractors/deobfuscate/js_fold.h). Lets a
  // family read {"whatsapp": "62812..."} or gtag('config', 'G-...').
  std::string_view context;
};

struct Segment {
  std::string_view text;
  std::vector<Piece> pieces;  // sorted by start; never empty
  int decode_depth = 0;       // how many base64 decodings produced this text

  const Piece& PieceAt(size_t offset) const;
  // Bounds of the piece holding `offset`: [begin, end).
  std::pair<size_t, size_t> PieceBounds(size_t offset) const;
};

// Builds what the scanners build once per process (the pattern database,
// libphonenumber's metadata), so that the first page's time budget does not
// pay for it. Cheap after the first call.
void WarmUp();

// Scans `text` and appends every trigger hit, in order of end offset.
// Returns false when the scanner could not run (database failed to build).
bool Scan(std::string_view text, std::vector<Hit>& hits);

// ------------------------------------------------------------- families ---

// Builds a Segment piece by piece: each Add appends `text` and a '\0'
// separator and records the piece (its context is copied: it may point into
// a buffer that is gone by the time the segment is scanned). Bounded by the
// byte budget it is given; past it, Add drops the text (returns false).
class SegmentBuilder {
 public:
  explicit SegmentBuilder(size_t* budget) : budget_(budget) {}
  bool Add(std::string_view text, const char* source, const AttrValue* attr, std::string_view context);
  bool empty() const { return raw_.empty(); }
  size_t bytes() const { return buf_.size(); }
  // The segment; valid while the builder lives and is not added to.
  Segment Build() const;

 private:
  struct RawPiece {
    uint32_t start;
    const char* source;
    const AttrValue* attr;
    uint32_t ctx_off, ctx_len;
  };
  size_t* budget_;
  std::string buf_;
  std::string contexts_;
  std::vector<RawPiece> raw_;
};

// Most regions a national-format phone number is tried in (each try is a
// libphonenumber validity check).
constexpr size_t kMaxPhoneRegions = 6;

// Facts about the page and the seed the families need beyond the text.
struct PageHints {
  const Page* page = nullptr;
  std::string site_domain;                 // registrable domain of the site
  // Regions (ISO 3166-1) a number written without "+" is tried in, best
  // first: the page's own international numbers (tel: links, +cc numbers in
  // its text), the lang region subtag, the ccTLD, the hosting country, the
  // impersonated brand's country, the language's main country (lang
  // attribute, then the detected language). At most kMaxPhoneRegions.
  // The detected language's countries join the list on first need (the
  // detector reads the page's text: done only when a number found no region
  // above): mutable, completed by CompletePhoneRegions.
  mutable std::vector<std::string> phone_regions;
  mutable bool detect_language = false;    // CompletePhoneRegions has work to do
  bool card_form = false;                  // the page has a form with a card field
  // True when the page loads or configures a tag manager (gtag/ga/GTM
  // snippet, googletagmanager.com script): analytics IDs in its scripts
  // are read as such.
  bool analytics_snippet = false;
  const Platforms* platforms = nullptr;  // extractors/platforms.h; never null when scanning
};

// A memo of a pure string -> string function (libphonenumber's verdict, the
// public suffix list's answer), one per thread. A seed repeats its numbers
// and hosts on every page and a campaign across seeds, and each miss costs
// a dozen ICU regular expressions or a PSL walk. Bounded: holding `cap`
// entries, it is emptied before the next one goes in.
class StringMemo {
 public:
  explicit StringMemo(size_t cap) : cap_(cap) {}

  template <class F>
  std::string Get(std::string_view key, F&& compute) {
    auto it = map_.find(key);
    if (it != map_.end()) return it->second;
    std::string value = compute();
    if (map_.size() >= cap_) map_.clear();
    map_.emplace(std::string(key), value);
    return value;
  }
  size_t size() const { return map_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  size_t cap_;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> map_;
};

// Distinct (region, number) verdicts each thread keeps (StringMemo): a few
// hundred per seed at most; ~100 bytes each.
constexpr size_t kMaxMemoNumbers = 4096;

// Distinct hosts whose registrable domain each thread keeps (StringMemo).
constexpr size_t kMaxMemoHosts = 4096;

// Registrable domain of an ASCII host (core/url.h RegistrableDomainOf), or the
// host itself when it has none (Url::RegistrableDomain for a name), through
// the thread's memo.
std::string DomainOf(std::string_view ascii_host);

// ValidE164 through the thread's memo (`hints` is not read; the signature
// predates the memo). Exposed with the memo's size for the test of its bound.
std::string CachedE164(const PageHints& hints, std::string_view number, const std::string& region);
size_t CachedE164Entries();

// Where the families put what they found; merging happens in indicators.cc.
class Emitter {
 public:
  virtual ~Emitter() = default;
  // `value` is copied only when (type, value) is new.
  virtual void Emit(const char* type, std::string_view value, std::string_view raw, const char* source) = 0;
};

// One indicator family. `on_segment` sees every scanned buffer with all of
// its hits; `on_page` (may be null) reads the Page's structure directly.
struct Family {
  const char* name;
  void (*on_segment)(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out);
  void (*on_page)(const Page& page, const PageHints& hints, Emitter& out);
};

// The families, one per file (email.cc, phone.cc, crypto.cc, iban.cc,
// card.cc, messaging.cc, analytics.cc, links.cc, ip.cc).
extern const Family kEmailFamily;
extern const Family kPhoneFamily;
extern const Family kCryptoFamily;
extern const Family kIbanFamily;
extern const Family kCardFamily;
extern const Family kTelegramFamily;
extern const Family kWhatsappFamily;
extern const Family kLineFamily;
extern const Family kAnalyticsFamily;
extern const Family kUrlFamily;
extern const Family kIpFamily;

// ------------------------------------------------------ shared char tests ---

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
// Case-insensitive (ASCII) search of `needle_lower` in `hay`.
bool ContainsNoCase(std::string_view hay, std::string_view needle_lower);
// The up-to-`n` bytes before `pos` inside the piece holding `pos`.
std::string_view Before(const Segment& seg, size_t pos, size_t n);
std::string_view After(const Segment& seg, size_t pos, size_t n);

// A phone number read at a digit run (phone.cc), for the phone family and
// the labels of the WhatsApp and LINE families.
struct PhoneMatch {
  std::string e164;
  size_t begin = 0, end = 0;  // raw span in the segment
};
enum class PhoneContext {
  kRequired,   // a phone word, tel: link or grouping must make it a phone
  kGiven,      // the caller saw a label (WhatsApp: ...): only decoy rules apply
};
// Reads the number whose first digit (or "+"/"(" before it) is at `begin`;
// applies the decoy rules (dates, prices, IDs, glued tokens) and validates
// it in the page's regions. `consumed` is set past the digits read.
bool ReadPhoneAt(const Segment& seg, size_t begin, const PageHints& hints, PhoneContext ctx, PhoneMatch& out,
                 size_t& consumed);

// Countries a language tag (ISO 639-1) most often means, main one first;
// empty when it is spoken too widely to say.
std::vector<const char*> RegionsOfLanguage(std::string_view lang);

// Adds the detected language's countries to hints.phone_regions, once
// (when hints.detect_language is set): the lang attribute said nothing
// useful, and a number written without "+" found no region yet.
void CompletePhoneRegions(const PageHints& hints);

// Phone number helpers shared by the phone and WhatsApp families
// (libphonenumber). E.164 of a valid number, or empty.
std::string ValidE164(std::string_view number, const std::string& region);
// Region code (ISO 3166-1) of a valid international number, or empty.
std::string RegionOfNumber(std::string_view e164);

}  // namespace dragnet::extractors::scan
