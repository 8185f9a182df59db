#pragma once
// Textual obfuscation of contact details, undone: what people write so that
// an address or number reads fine to a victim and not to a scanner.
//
// Characters (everywhere in the text):
//   - zero-width characters (U+200B..U+200D, U+2060..U+2064, U+FEFF, U+180E)
//     and soft hyphens (U+00AD) are dropped: "sup\u200bport@" -> "support@";
//   - full-width ASCII (U+FF01..U+FF5E: "＠", "．", "０９１２") and the
//     ideographic space become ASCII; U+FE6B "﹫" becomes "@";
//   - native decimal digits of 20 scripts (Arabic-Indic, Persian, Devanagari,
//     Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam,
//     Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian, Limbu, New Tai Lue,
//     Balinese) become 0-9, so "๐๘๑-๒๓๔-๕๖๗๘" is a phone number again.
// Spelled-out "@" and "." (only where the result has the shape of an e-mail
// address: a local part, then a domain of at least two labels ending in a
// 2-24 letter label):
//   - in brackets, any language: "[at]", "(at)", "{at}", "<at>", "【at】",
//     "(arroba)", "[ät]", "(snabel-a)", "（アットマーク）", "[dot]", "(punto)", ...
//   - spaced, unambiguous words: "info arroba empresa punto com",
//     "kontakt małpa firma.pl", "kefu 艾特 qq.com";
//   - spaced, ambiguous words ("at", "et", "a"): only when the domain also
//     spells a dot ("support at fast-refund dot com"), since "visit us at
//     shop.com" is prose;
//   - "@" and "." with spaces around them ("sales @ shop . com");
//   - symbols the page declares to stand for "@" ("replace # with @",
//     "★を@に変えてください", "thay # bằng @"): see FindAtSubstitutes.
// The words cover English, Spanish, Portuguese, French, German, Italian,
// Dutch, Swedish, Danish, Norwegian, Finnish, Polish, Czech, Slovak,
// Hungarian, Russian, Ukrainian, Greek, Turkish, Vietnamese, Indonesian,
// Malay, Thai, Chinese, Japanese, Korean and Hebrew spellings.
//
// Pure functions; safe from any thread. The output is never longer than the
// input (every rewrite shortens or keeps length).

#include <string>
#include <string_view>
#include <vector>

namespace dragnet::extractors::deob {

// Symbols the text of a page says stand for "@": a standalone symbol (one of
// # ＃ ★ ☆ * ＊ ※ ◎ ● ◆ ■ ▲ ♪) followed within a short phrase by a standalone
// "@" or "＠" ("replace # with @", "（★を@に変えて）"). At most a few.
std::vector<std::string> FindAtSubstitutes(std::string_view text);

// Rewrites the obfuscations above in `in` into `out`. Returns false (and
// leaves `out` empty) when nothing changed. `at_substitutes` comes from
// FindAtSubstitutes on the page's text.
bool NormalizeObfuscatedText(std::string_view in, const std::vector<std::string>& at_substitutes,
                             std::string& out);

}  // namespace dragnet::extractors::deob
