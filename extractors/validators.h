#pragma once
// Checksum validators for the indicator families: the reason a candidate
// becomes an indicator instead of a decoy. Each takes the candidate exactly as
// found and says whether it is a well-formed, checksum-correct value of its
// kind. Written from the specifications named beside each function and
// checked against the public vectors in tests/fixtures/vectors/.
//
// Pure functions; no state; safe from any thread. Inputs are bounded by the
// callers (the longest accepted value is 95 characters), so every loop is.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dragnet::extractors {

// Keccak-256 as Ethereum and Monero use it (original Keccak padding 0x01,
// not SHA3-256's 0x06). FIPS 202 permutation, rate 136 bytes.
std::array<uint8_t, 32> Keccak256(std::string_view data);

// Bitcoin base58 alphabet decode; false on a character outside it or when the
// result would exceed `max_bytes`.
bool Base58Decode(std::string_view s, std::vector<uint8_t>& out, size_t max_bytes = 64);
// Base58Check: decodes, checks the 4-byte double-SHA-256 checksum, and returns
// the payload (version byte + data) without the checksum.
bool Base58CheckDecode(std::string_view s, std::vector<uint8_t>& payload);

// Bitcoin mainnet address: base58check P2PKH (version 0x00) / P2SH (0x05),
// or a BIP-173 bech32 (witness v0, 20/32-byte program) / BIP-350 bech32m
// (witness v1..16, 2..40-byte program) address with HRP "bc". Bech32 must be
// all lowercase or all uppercase.
bool IsBitcoinAddress(std::string_view s);

// Generic bech32/bech32m decode (BIP-173/BIP-350), for the vectors.
enum class Bech32Kind { kInvalid, kBech32, kBech32m };
Bech32Kind Bech32Decode(std::string_view s, std::string& hrp, std::vector<uint8_t>& data5);
// Segwit address decode for `hrp`: witness version and program; false when
// invalid (wrong checksum variant for the version, bad length, padding).
bool SegwitDecode(std::string_view hrp, std::string_view addr, int& version, std::vector<uint8_t>& program);

// "0x" + 40 hex digits; all-lowercase and all-uppercase carry no checksum and
// pass; mixed case must equal the EIP-55 encoding.
bool IsEthereumAddress(std::string_view s);
// The EIP-55 checksummed form of a 40-hex-digit address (without "0x").
std::string Eip55Encode(std::string_view hex40);

// TRON: base58check, 21-byte payload whose first byte is 0x41 (34 chars, "T").
bool IsTronAddress(std::string_view s);

// Monero standard (network byte 18) or subaddress (42) mainnet address:
// 95 characters of Monero's block base58, 69 bytes, the last 4 the first 4
// bytes of Keccak-256 over the first 65.
bool IsMoneroAddress(std::string_view s);

// IBAN (ISO 13616) in compact form (no spaces, uppercase): a country from the
// SWIFT IBAN registry, its exact length and BBAN character classes, and
// mod-97 == 1.
bool IsIban(std::string_view compact);
// Registry length of a country's IBAN, 0 when the country has none.
int IbanLength(std::string_view country);

// Luhn (mod 10) over a digit string; false on non-digits or empty input.
bool LuhnValid(std::string_view digits);
// A payment card number: 13..19 digits, Luhn-valid, and an issuer prefix of
// a card scheme (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
// Maestro, Mir).
bool IsCardNumber(std::string_view digits);

}  // namespace dragnet::extractors
