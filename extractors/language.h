#pragma once
// Page language and the text matching the brand and verdict extractors share.
//
// FoldText turns page text into the form every term list is matched against:
// Unicode NFKC case folding (ICU's nfkc_cf), which lowercases in every
// script, folds full-width and compatibility forms ("Ｌogin" -> "login") and
// drops default-ignorable code points, so zero-width characters inserted to
// break up a brand name ("Pay\u200bPal") no longer hide it.
//
// TermMatcher finds many terms at once in folded text (one vectorscan literal
// database; cost is one pass over the text whatever the number of terms).
// A term matches only on word boundaries where its script separates words
// with spaces (Latin, Cyrillic, Greek, ...); in scripts written without
// spaces (Thai, Chinese, Japanese, Lao, Khmer, Myanmar) it matches anywhere.
// A term ending in '*' is a prefix ("förfall*" matches "förfallen").
//
// DetectLanguage gives the ISO 639-1 code of a page: the <html lang> primary
// subtag, unless the visible text clearly says otherwise (scam kits keep the
// template's lang="en" on pages written in Vietnamese), else a cheap
// script + stop-word detector. Empty when unknown.
//
// All functions are pure; a built TermMatcher is immutable and may be shared
// by any number of threads (each Find borrows a scratch space from the
// matcher's pool, so the pool holds at most one per concurrent caller).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace dragnet::extractors {

// Most bytes of one text FoldText reads: a page's visible text above this is
// almost always padding meant to slow scanners down; the first MiB carries
// the title, the form and the pitch.
inline constexpr size_t kMaxFoldInputBytes = 1 << 20;

// Most bytes FoldText returns. NFKC can expand a character many times over
// (U+FDFA, 3 bytes, becomes 33); four times the input cap leaves room for
// every real script and stops a page built of such characters.
inline constexpr size_t kMaxFoldOutputBytes = 4 * kMaxFoldInputBytes;

// NFKC case fold of the first kMaxFoldInputBytes of `utf8` (cut on a
// character boundary), at most kMaxFoldOutputBytes long. Invalid UTF-8
// becomes U+FFFD.
std::string FoldText(std::string_view utf8);

struct TermHit {
  int id = 0;          // index of the term in the list given to Build
  size_t begin = 0;    // byte offsets of the first match in the folded text
  size_t end = 0;
  int count = 0;       // matches of this term (capped by kMaxTermMatches)
};

// Matches reported per Find call before scanning stops: bounds the work a
// page that repeats a brand name a million times can cause.
inline constexpr int kMaxTermMatches = 10000;
// Most terms one matcher holds and longest term: config tables are written by
// people, anything larger is a mistake.
inline constexpr size_t kMaxTerms = 20000;
inline constexpr size_t kMaxTermBytes = 256;

class TermMatcher {
 public:
  TermMatcher() = default;  // matches nothing
  // Folds each term. Errors on empty terms (after folding) or limits.
  static Result<TermMatcher> Build(const std::vector<std::string>& terms);

  // First match of every term found in `folded` (FoldText output), one hit
  // per term id, in order of first occurrence.
  std::vector<TermHit> Find(std::string_view folded) const;

  size_t size() const;
  // The folded term with this id (without the trailing '*').
  const std::string& term(int id) const;

 private:
  struct Term;
  struct Db;
  std::shared_ptr<const std::vector<Term>> terms_;
  std::shared_ptr<Db> db_;
};

// Most bytes of text the language detector samples per page: 8 KiB is some
// thousand words, more than scripts and stop words need to decide, and
// detection was half the verdict's time with 64 KiB (extract_bench ScoreOnly).
inline constexpr size_t kMaxLanguageSampleBytes = 8 << 10;

// ISO 639-1 code of `text` from its scripts and stop words; empty when unsure.
std::string DetectTextLanguage(std::string_view text);
// Language of one page (<html lang>, checked against the text).
std::string DetectPageLanguage(const Page& page);
// Language of a site: the page at `final_url` when present, else the first
// page with text.
std::string DetectLanguage(const std::vector<Page>& pages, const std::string& final_url = "");

}  // namespace dragnet::extractors
