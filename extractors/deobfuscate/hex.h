#pragma once
// Hex-encoded text: kits ship their endpoints as '68747470733a2f2f...' and a
// three-line hex2a() to turn them back, so no URL shows in the source. A
// string of hex digit pairs that decodes to text (extractors/deobfuscate/
// base64.h IsTextPayload) is read as that text; a hash or a colour decodes
// to binary or to nothing worth reading, and is left alone.
//
// Pure functions; safe from any thread. Output is half the input.

#include <string>
#include <string_view>

namespace dragnet::extractors::deob {

// At least `min_len` hex digits, an even number, with both digits and
// letters a-f (or only digits when long), in one case: a candidate.
bool LooksLikeHexText(std::string_view s, size_t min_len = 16);

// Decodes pairs of hex digits (optionally "\x"- or "%"-free, "0x"-less) into
// `out`; false on an odd length or a non-hex character.
bool DecodeHex(std::string_view s, std::string& out);

}  // namespace dragnet::extractors::deob
