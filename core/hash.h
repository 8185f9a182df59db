#pragma once
// SHA-256 (OpenSSL EVP) and hex/base64 helpers. Pure functions, thread-safe.

#include <string>
#include <string_view>

namespace dragnet {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Raw 32-byte digest.
std::string Sha256Raw(std::string_view data);
// Lowercase hex HMAC-SHA256.
std::string HmacSha256Hex(std::string_view key, std::string_view data);
std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Lenient decode (skips whitespace, accepts url-safe alphabet); empty on garbage.
std::string Base64Decode(std::string_view text);
// Random UUID v4 from the OS CSPRNG, lowercase.
std::string RandomUuid();
// `bytes` random bytes from the OS CSPRNG as lowercase hex (API tokens).
std::string RandomHex(size_t bytes);

}  // namespace dragnet
