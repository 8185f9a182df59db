#include "extractors/language.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <hs/hs.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace dragnet::extractors {

// ------------------------------------------------------------- folding ---

namespace {

inline char AsciiLowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// Length of the longest prefix of `s` no longer than `max` that does not cut
// a UTF-8 sequence.
size_t Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s.size();
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

}  // namespace

namespace {

// NFKC case fold of `utf8` through ICU (UTF-16 round trip).
void FoldIcu(const icu::Normalizer2* nf, std::string_view utf8, std::string& out) {
  UErrorCode err = U_ZERO_ERROR;
  // Through UTF-16 so that invalid UTF-8 becomes U+FFFD: evidence cut from
  // folded text ends up in JSON, which must be valid UTF-8.
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded = nf->normalize(in, err);
  if (U_FAILURE(err)) return;
  folded.toUTF8String(out);
}

}  // namespace

std::string FoldText(std::string_view utf8) {
  utf8 = utf8.substr(0, Utf8Prefix(utf8, kMaxFoldInputBytes));
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nf = icu::Normalizer2::getNFKCCasefoldInstance(err);
  if (U_FAILURE(err) || nf == nullptr) {
    // ICU data missing: fall back to ASCII lowercase, still usable for most terms.
    std::string out(utf8);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  // ASCII runs fold to their lowercase; only the rest goes through ICU. The
  // last ASCII character before non-ASCII text goes with it, as a combining
  // mark may compose with it ("e" + U+0301 -> "é"); every ASCII character
  // starts a new normalization segment, so the split changes nothing.
  std::string result;
  result.reserve(utf8.size());
  size_t i = 0;
  const size_t n = utf8.size();
  while (i < n && result.size() <= kMaxFoldOutputBytes) {
    size_t j = i;
    while (j < n && static_cast<unsigned char>(utf8[j]) < 0x80) ++j;
    size_t ascii_end = j;
    if (j < n && ascii_end > i) --ascii_end;  // leave the last one to ICU
    for (size_t k = i; k < ascii_end; ++k) result.push_back(AsciiLowerChar(utf8[k]));
    if (j >= n) {
      for (size_t k = ascii_end; k < n; ++k) result.push_back(AsciiLowerChar(utf8[k]));
      break;
    }
    // A non-ASCII run, up to the next ASCII character.
    size_t k = j;
    while (k < n && static_cast<unsigned char>(utf8[k]) >= 0x80) ++k;
    FoldIcu(nf, utf8.substr(ascii_end, k - ascii_end), result);
    i = k;
  }
  if (result.size() > kMaxFoldOutputBytes) result.resize(Utf8Prefix(result, kMaxFoldOutputBytes));
  return result;
}

// ------------------------------------------------------- term matching ---

namespace {

bool IsNoSpaceScript(UChar32 c) {
  UErrorCode err = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(c, &err);
  switch (s) {
    case USCRIPT_HAN:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_TIBETAN:
      return true;
    default:
      return false;
  }
}

bool IsWordChar(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  int8_t type = u_charType(c);
  return u_isUAlphabetic(c) || u_isdigit(c) || type == U_NON_SPACING_MARK ||
         type == U_COMBINING_SPACING_MARK;
}

// A word character of a script that separates words with spaces: the kind
// of neighbour that makes a match part of a longer word. The scripts of the
// lexicons' languages are answered from their code point ranges (ICU's
// property lookups are a large share of matching a page); the rest from ICU.
bool IsSpacedWordChar(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;          // Latin-1 letters, Latin Extended-A/B
  if (c >= 0x300 && c <= 0x36F) return true;                          // combining diacritics
  if (c >= 0x400 && c <= 0x52F) return c < 0x482 || c > 0x489;        // Cyrillic letters (not its signs)
  if (c >= 0x1EA0 && c <= 0x1EFF) return true;                        // Vietnamese precomposed vowels
  if (c >= 0xE00 && c <= 0xE7F) return false;                         // Thai: no spaces between words
  if (c >= 0x3040 && c <= 0x30FF) return false;                       // Hiragana, Katakana
  if (c >= 0x4E00 && c <= 0x9FFF) return false;                       // CJK ideographs
  if (c >= 0xAC00 && c <= 0xD7A3) return true;                        // Hangul syllables
  if (c >= 0x2000 && c <= 0x206F) return false;                       // general punctuation
  if (c >= 0x3000 && c <= 0x303F) return false;                       // CJK punctuation
  if (c >= 0xFF00 && c <= 0xFF0F) return false;                       // full-width punctuation
  return IsWordChar(c) && !IsNoSpaceScript(c);
}

}  // namespace

struct TermMatcher::Term {
  std::string text;
  bool start_boundary = true;
  bool end_boundary = true;
};

// The compiled database and a pool of scratch spaces for it. Scratch comes
// from cloning a prototype: hs_alloc_scratch checksums the whole database on
// every call (tens of microseconds for a few hundred terms), cloning does not.
struct TermMatcher::Db {
  hs_database_t* db = nullptr;
  hs_scratch_t* prototype = nullptr;
  std::mutex mu;
  std::vector<hs_scratch_t*> pool;  // GUARDED_BY(mu); at most one per concurrent Find
  ~Db() {
    for (hs_scratch_t* s : pool) hs_free_scratch(s);
    if (prototype) hs_free_scratch(prototype);
    if (db) hs_free_database(db);
  }
  hs_scratch_t* Take() {
    {
      std::lock_guard<std::mutex> l(mu);
      if (!pool.empty()) {
        hs_scratch_t* s = pool.back();
        pool.pop_back();
        return s;
      }
    }
    hs_scratch_t* s = nullptr;
    return hs_clone_scratch(prototype, &s) == HS_SUCCESS ? s : nullptr;
  }
  void Give(hs_scratch_t* s) {
    std::lock_guard<std::mutex> l(mu);
    pool.push_back(s);
  }
};

Result<TermMatcher> TermMatcher::Build(const std::vector<std::string>& terms) {
  if (terms.size() > kMaxTerms) {
    return LimitExceeded("too many terms (" + std::to_string(terms.size()) + ", limit " +
                         std::to_string(kMaxTerms) + ")");
  }
  TermMatcher m;
  auto list = std::make_shared<std::vector<Term>>();
  list->reserve(terms.size());
  for (const std::string& raw : terms) {
    if (raw.size() > kMaxTermBytes) {
      return LimitExceeded("term '" + raw.substr(0, 40) + "...' is longer than " +
                           std::to_string(kMaxTermBytes) + " bytes");
    }
    std::string_view body = raw;
    bool prefix = !body.empty() && body.back() == '*';
    if (prefix) body.remove_suffix(1);
    Term t;
    t.text = FoldText(body);
    // Leading/trailing spaces are part of no word.
    while (!t.text.empty() && t.text.back() == ' ') t.text.pop_back();
    while (!t.text.empty() && t.text.front() == ' ') t.text.erase(0, 1);
    if (t.text.empty()) return InvalidArgument("empty term '" + raw + "'");
    UChar32 first, last;
    int32_t i = 0, n = static_cast<int32_t>(t.text.size());
    U8_NEXT(t.text.data(), i, n, first);
    i = n;
    U8_PREV(t.text.data(), 0, i, last);
    t.start_boundary = IsSpacedWordChar(first);
    t.end_boundary = !prefix && IsSpacedWordChar(last);
    list->push_back(std::move(t));
  }
  m.terms_ = list;
  if (list->empty()) return m;

  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> ids, flags;
  for (size_t k = 0; k < list->size(); ++k) {
    exprs.push_back((*list)[k].text.data());
    lens.push_back((*list)[k].text.size());
    ids.push_back(static_cast<unsigned>(k));
    flags.push_back(0);
  }
  auto db = std::make_shared<Db>();
  hs_compile_error_t* cerr = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db->db,
                           &cerr) != HS_SUCCESS) {
    std::string msg = cerr && cerr->message ? cerr->message : "unknown error";
    if (cerr) hs_free_compile_error(cerr);
    return Internal("vectorscan could not compile the term list: " + msg);
  }
  if (hs_alloc_scratch(db->db, &db->prototype) != HS_SUCCESS) {
    return Internal("vectorscan could not allocate scratch space for the term list");
  }
  m.db_ = db;
  return m;
}

size_t TermMatcher::size() const { return terms_ ? terms_->size() : 0; }

const std::string& TermMatcher::term(int id) const { return (*terms_)[static_cast<size_t>(id)].text; }

std::vector<TermHit> TermMatcher::Find(std::string_view folded) const {
  std::vector<TermHit> out;
  if (!db_ || folded.empty()) return out;
  hs_scratch_t* scratch = db_->Take();
  if (scratch == nullptr) return out;

  struct Ctx {
    const std::vector<Term>* terms;
    std::string_view text;
    std::vector<int> slot;
    std::vector<TermHit> hits;
    int total = 0;
  } ctx{terms_.get(), folded, std::vector<int>(terms_->size(), -1), {}, 0};

  auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned,
                     void* p) -> int {
    auto* c = static_cast<Ctx*>(p);
    const Term& t = (*c->terms)[id];
    size_t end = static_cast<size_t>(to);
    size_t begin = end - t.text.size();
    const char* s = c->text.data();
    int32_t n = static_cast<int32_t>(c->text.size());
    if (t.start_boundary && begin > 0) {
      int32_t i = static_cast<int32_t>(begin);
      UChar32 prev;
      U8_PREV(s, 0, i, prev);
      if (prev >= 0 && IsSpacedWordChar(prev)) return 0;
    }
    if (t.end_boundary && end < c->text.size()) {
      int32_t i = static_cast<int32_t>(end);
      UChar32 next;
      U8_NEXT(s, i, n, next);
      if (next >= 0 && IsSpacedWordChar(next)) return 0;
    }
    if (c->slot[id] < 0) {
      c->slot[id] = static_cast<int>(c->hits.size());
      c->hits.push_back(TermHit{static_cast<int>(id), begin, end, 1});
    } else {
      ++c->hits[static_cast<size_t>(c->slot[id])].count;
    }
    return ++c->total >= kMaxTermMatches ? 1 : 0;
  };
  // Folded text is bounded by FoldText; hs_scan takes an unsigned length.
  std::string_view scan = folded.substr(0, std::min<size_t>(folded.size(), UINT32_MAX / 2));
  hs_scan(db_->db, scan.data(), static_cast<unsigned>(scan.size()), 0, scratch, on_match, &ctx);
  db_->Give(scratch);
  return std::move(ctx.hits);
}

// ------------------------------------------------------------ language ---

namespace {

struct Detection {
  std::string lang;
  bool confident = false;
};

struct StopWords {
  const char* lang;
  std::vector<const char*> words;
};

// Short, frequent function words. Shared words (Scandinavian, Malay/
// Indonesian) count for each language; the distinctive ones decide.
const std::vector<StopWords>& StopWordTable() {
  static const std::vector<StopWords> t = {
      {"en", {"the", "and", "you", "your", "is", "are", "to", "of", "for", "with", "this", "that",
              "have", "not", "will", "please", "our", "we", "from", "on", "it", "be", "or", "by"}},
      {"sv", {"och", "att", "det", "är", "för", "med", "på", "inte", "som", "till", "av", "du",
              "ditt", "din", "har", "kan", "vi", "om", "ska", "eller", "från", "dig", "detta",
              "här", "vår", "våra", "ett", "en", "måste", "eller"}},
      {"no", {"og", "ikke", "er", "med", "på", "det", "som", "til", "av", "du", "din", "ditt",
              "har", "kan", "vi", "om", "skal", "eller", "fra", "deg", "dette", "her", "våre",
              "hvis", "jeg", "må", "ett", "en"}},
      {"da", {"og", "ikke", "er", "af", "til", "med", "på", "det", "som", "du", "din", "har",
              "kan", "vi", "om", "skal", "eller", "fra", "dig", "dette", "her", "vores", "hvis",
              "jeg", "skal", "et", "en"}},
      {"fi", {"ja", "on", "ei", "että", "se", "tämä", "olla", "kanssa", "sinun", "teidän", "tai",
              "kun", "jos", "mutta", "myös", "voit", "ole", "olet", "tilisi"}},
      {"de", {"und", "der", "die", "das", "ist", "nicht", "mit", "für", "sie", "ihr", "ihre",
              "wir", "auf", "zu", "von", "den", "dem", "ein", "eine", "bitte", "sind"}},
      {"fr", {"le", "la", "les", "et", "est", "vous", "votre", "pour", "avec", "des", "une", "un",
              "pas", "nous", "sur", "dans", "de", "du", "vos"}},
      {"es", {"el", "la", "los", "las", "y", "es", "usted", "su", "para", "con", "una", "un", "no",
              "en", "de", "del", "por", "que", "tu", "más", "sus", "ahora"}},
      {"pt", {"o", "os", "as", "e", "é", "você", "seu", "sua", "para", "com", "uma", "um", "não",
              "em", "de", "do", "da", "por", "que", "mais", "agora"}},
      {"it", {"il", "lo", "la", "gli", "e", "è", "per", "con", "una", "un", "non", "di", "del",
              "che", "sono", "tuo", "vostro", "ora"}},
      {"nl", {"de", "het", "een", "en", "is", "niet", "met", "voor", "u", "uw", "wij", "op", "van",
              "te", "dit", "dat", "zijn"}},
      {"id", {"yang", "dan", "di", "ini", "itu", "untuk", "dengan", "anda", "kami", "tidak",
              "dari", "akan", "bisa", "sudah", "atau", "saja", "juga", "ke", "uang", "dapat",
              "sekarang", "hari"}},
      {"ms", {"yang", "dan", "di", "ini", "itu", "untuk", "dengan", "anda", "kami", "tidak",
              "dari", "akan", "boleh", "sudah", "atau", "sahaja", "juga", "ke", "wang", "kerana",
              "percuma", "daripada"}},
      {"tl", {"ang", "ng", "mga", "sa", "na", "ay", "at", "ito", "hindi", "ka", "ko", "mo",
              "namin", "ninyo"}},
      {"pl", {"i", "w", "nie", "na", "się", "z", "do", "że", "jest", "to", "od", "jak", "twoje",
              "twój", "prosimy"}},
      {"tr", {"ve", "bir", "bu", "için", "ile", "değil", "çok", "daha", "sizin", "lütfen",
              "hesabınız"}},
  };
  return t;
}

bool IsVietnameseLetter(UChar32 c) {
  // Letters only Vietnamese uses among Latin-script languages: o/u with horn,
  // d with stroke, a with breve, and the precomposed tone-marked vowels.
  switch (c) {
    case 0x01A0: case 0x01A1: case 0x01AF: case 0x01B0:  // Ơ ơ Ư ư
    case 0x0110: case 0x0111:                            // Đ đ
    case 0x0102: case 0x0103:                            // Ă ă
      return true;
    default:
      return c >= 0x1EA0 && c <= 0x1EF9;
  }
}

Detection DetectImpl(std::string_view text) {
  text = text.substr(0, Utf8Prefix(text, kMaxLanguageSampleBytes));
  std::unordered_map<int, int> by_script;
  int letters = 0, latin = 0, viet = 0, kana = 0, ukr = 0;
  const char* s = text.data();
  int32_t n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0 || !u_isUAlphabetic(c)) continue;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &err);
    if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) continue;
    ++letters;
    if (sc == USCRIPT_LATIN) {
      ++latin;
      if (IsVietnameseLetter(c)) ++viet;
      continue;
    }
    if (sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA) {
      ++kana;
      sc = USCRIPT_HAN;
    }
    if (c == 0x0456 || c == 0x0457 || c == 0x0454 || c == 0x0491) ++ukr;  // і ї є ґ
    ++by_script[sc];
  }
  // Below this many letters, any guess is noise.
  constexpr int kMinLetters = 12;
  if (letters < kMinLetters) return {};

  int best_script = -1, best_count = 0;
  for (auto [sc, cnt] : by_script) {
    if (cnt > best_count) best_script = sc, best_count = cnt;
  }
  if (best_count * 10 >= letters * 3 && best_count > latin / 2) {
    Detection d;
    d.confident = best_count * 2 >= letters;
    switch (best_script) {
      case USCRIPT_HAN: d.lang = kana * 10 >= best_count ? "ja" : "zh"; break;
      case USCRIPT_THAI: d.lang = "th"; break;
      case USCRIPT_HANGUL: d.lang = "ko"; break;
      case USCRIPT_CYRILLIC: d.lang = ukr * 100 >= best_count ? "uk" : "ru"; break;
      case USCRIPT_ARABIC: d.lang = "ar"; break;
      case USCRIPT_HEBREW: d.lang = "he"; break;
      case USCRIPT_GREEK: d.lang = "el"; break;
      case USCRIPT_DEVANAGARI: d.lang = "hi"; break;
      case USCRIPT_KHMER: d.lang = "km"; break;
      case USCRIPT_LAO: d.lang = "lo"; break;
      case USCRIPT_MYANMAR: d.lang = "my"; break;
      case USCRIPT_GEORGIAN: d.lang = "ka"; break;
      case USCRIPT_ARMENIAN: d.lang = "hy"; break;
      case USCRIPT_BENGALI: d.lang = "bn"; break;
      case USCRIPT_TAMIL: d.lang = "ta"; break;
      default: d.confident = false; break;
    }
    return d;
  }
  if (latin == 0) return {};
  // Vietnamese: its own letters are a few percent of any real sentence.
  if (viet * 100 >= latin * 3) return {"vi", true};

  // Stop words over the folded sample.
  std::string folded = FoldText(text);
  std::vector<int> score(StopWordTable().size(), 0);
  static const std::unordered_map<std::string, std::vector<int>> index = [] {
    std::unordered_map<std::string, std::vector<int>> m;
    const auto& t = StopWordTable();
    for (size_t k = 0; k < t.size(); ++k) {
      std::unordered_set<std::string> seen;
      for (const char* w : t[k].words) {
        if (seen.insert(w).second) m[w].push_back(static_cast<int>(k));
      }
    }
    return m;
  }();
  const char* f = folded.data();
  int32_t fn = static_cast<int32_t>(folded.size());
  int32_t word_start = -1;
  for (int32_t i = 0; i <= fn;) {
    int32_t at = i;
    UChar32 c = ' ';
    if (i < fn) U8_NEXT(f, i, fn, c);
    else ++i;
    bool word = c >= 0 && IsWordChar(c);
    if (word && word_start < 0) word_start = at;
    if (!word && word_start >= 0) {
      auto it = index.find(std::string(f + word_start, static_cast<size_t>(at - word_start)));
      if (it != index.end()) {
        for (int k : it->second) ++score[static_cast<size_t>(k)];
      }
      word_start = -1;
    }
  }
  size_t best = 0, second = 0;
  bool have_second = false;
  for (size_t k = 1; k < score.size(); ++k) {
    if (score[k] > score[best]) {
      second = best, have_second = true;
      best = k;
    } else if (!have_second || score[k] > score[second]) {
      second = k, have_second = true;
    }
  }
  // Two hits is the least that is not chance on a short title.
  if (score[best] < 2) return {};
  Detection d;
  d.lang = StopWordTable()[best].lang;
  d.confident = score[best] >= 5 && score[best] >= 2 * score[second];
  return d;
}

std::string PrimarySubtag(const std::string& lang) {
  std::string p;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    p += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (p.size() != 2 || !std::isalpha(static_cast<unsigned char>(p[0])) ||
      !std::isalpha(static_cast<unsigned char>(p[1]))) {
    return "";
  }
  if (p == "nb" || p == "nn") return "no";
  if (p == "in") return "id";  // withdrawn code still written by old templates
  if (p == "iw") return "he";
  return p;
}

}  // namespace

std::string DetectTextLanguage(std::string_view text) { return DetectImpl(text).lang; }

std::string DetectPageLanguage(const Page& page) {
  std::string declared = PrimarySubtag(page.lang);
  std::string sample = page.title;
  sample += '\n';
  sample.append(page.text, 0, Utf8Prefix(page.text, kMaxLanguageSampleBytes));
  Detection d = DetectImpl(sample);
  if (declared.empty()) return d.lang;
  if (d.confident && !d.lang.empty() && d.lang != declared) return d.lang;
  return declared;
}

std::string DetectLanguage(const std::vector<Page>& pages, const std::string& final_url) {
  const Page* pick = nullptr;
  for (const Page& p : pages) {
    if (!final_url.empty() && p.url == final_url) pick = &p;
  }
  if (pick == nullptr) {
    for (const Page& p : pages) {
      if (!p.text.empty() || !p.title.empty()) {
        pick = &p;
        break;
      }
    }
  }
  if (pick == nullptr) return "";
  return DetectPageLanguage(*pick);
}

}  // namespace dragnet::extractors
