#pragma once
// Base64 as pages hide text in it: atob("..."), data: URIs, data-* attribute
// values and JavaScript string literals that are base64 as a whole.
//
// DecodeBase64 follows atob (RFC 4648 section 4, forgiving: ASCII whitespace
// is skipped, padding optional) and also takes the URL-safe alphabet
// (section 5), which kits use for tokens. LooksLikeBase64 is the cheap test
// for "this literal is a base64 payload and not a word": the decoders only
// speculate on strings that pass it, and keep a decoding only when it is text
// (IsTextPayload), because random tokens decode to binary.
//
// Pure functions; safe from any thread. Output is bounded by `max_out`.

#include <cstddef>
#include <string>
#include <string_view>

namespace dragnet::extractors::deob {

// Decodes `in` into `out` (replacing it). False on a character outside both
// alphabets, on a length no base64 string can have, or when the result would
// exceed `max_out` bytes (out then holds nothing useful).
bool DecodeBase64(std::string_view in, std::string& out, size_t max_out);

// A string that is probably a base64 payload: at least `min_len` characters of
// one alphabet (standard or URL-safe), padding only at the end, a length that
// decodes, and the mix of cases and digits random bytes give (a word or a
// file name does not).
bool LooksLikeBase64(std::string_view s, size_t min_len = 16);

// Decoded bytes worth scanning as text: valid UTF-8, no control characters
// other than tab, CR and LF.
bool IsTextPayload(std::string_view s);

// The base64 payload of a data: URI ("data:text/html;base64,PGI+..."), or
// empty when `uri` is not one.
std::string_view DataUriBase64(std::string_view uri);

}  // namespace dragnet::extractors::deob
