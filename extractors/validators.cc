#include "extractors/validators.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace dragnet::extractors {

// ================================================================ Keccak ===

namespace {

constexpr uint64_t kKeccakRc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
constexpr int kKeccakRot[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
                                27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kKeccakPi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
                               15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t Rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

void KeccakF(uint64_t st[25]) {
  uint64_t bc[5];
  for (int round = 0; round < 24; ++round) {
    for (int i = 0; i < 5; ++i) bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
    for (int i = 0; i < 5; ++i) {
      uint64_t t = bc[(i + 4) % 5] ^ Rotl(bc[(i + 1) % 5], 1);
      for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
    }
    uint64_t t = st[1];
    for (int i = 0; i < 24; ++i) {
      int j = kKeccakPi[i];
      bc[0] = st[j];
      st[j] = Rotl(t, kKeccakRot[i]);
      t = bc[0];
    }
    for (int j = 0; j < 25; j += 5) {
      for (int i = 0; i < 5; ++i) bc[i] = st[j + i];
      for (int i = 0; i < 5; ++i) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
    }
    st[0] ^= kKeccakRc[round];
  }
}

inline void XorByte(uint64_t st[25], size_t i, uint8_t b) { st[i / 8] ^= static_cast<uint64_t>(b) << (8 * (i % 8)); }

}  // namespace

std::array<uint8_t, 32> Keccak256(std::string_view data) {
  constexpr size_t kRate = 136;
  uint64_t st[25] = {};
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  while (n >= kRate) {
    for (size_t i = 0; i < kRate; ++i) XorByte(st, i, p[i]);
    KeccakF(st);
    p += kRate;
    n -= kRate;
  }
  for (size_t i = 0; i < n; ++i) XorByte(st, i, p[i]);
  XorByte(st, n, 0x01);
  XorByte(st, kRate - 1, 0x80);
  KeccakF(st);
  std::array<uint8_t, 32> out{};
  for (size_t i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(st[i / 8] >> (8 * (i % 8)));
  return out;
}

// ================================================================ base58 ===

namespace {

constexpr char kB58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int B58Index(char c) {
  static const auto table = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 58; ++i) t[static_cast<unsigned char>(kB58[i])] = static_cast<int8_t>(i);
    return t;
  }();
  return table[static_cast<unsigned char>(c)];
}

// SHA-256 through a digest fetched once and a per-thread context: OpenSSL 3's
// one-shot SHA256() looks the algorithm up in the provider store on every
// call, which cost more than the hashing of a 25-byte address.
void Sha256(const uint8_t* data, size_t n, uint8_t out[32]) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Ctx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Ctx c;
  unsigned len = 0;
  if (md == nullptr || c.ctx == nullptr || EVP_DigestInit_ex2(c.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(c.ctx, data, n) != 1 || EVP_DigestFinal_ex(c.ctx, out, &len) != 1 || len != 32) {
    SHA256(data, n, out);  // the one-shot path, should the fetch have failed
  }
}

void Sha256d(const uint8_t* data, size_t n, uint8_t out[32]) {
  uint8_t first[32];
  Sha256(data, n, first);
  Sha256(first, 32, out);
}

}  // namespace

bool Base58Decode(std::string_view s, std::vector<uint8_t>& out, size_t max_bytes) {
  out.clear();
  size_t zeros = 0;
  while (zeros < s.size() && s[zeros] == '1') ++zeros;
  std::vector<uint8_t> b256;  // little-endian big number
  b256.reserve(s.size());
  for (size_t i = zeros; i < s.size(); ++i) {
    int carry = B58Index(s[i]);
    if (carry < 0) return false;
    for (uint8_t& byte : b256) {
      carry += 58 * byte;
      byte = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      b256.push_back(static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
    if (zeros + b256.size() > max_bytes) return false;
  }
  out.assign(zeros, 0);
  out.insert(out.end(), b256.rbegin(), b256.rend());
  return true;
}

bool Base58CheckDecode(std::string_view s, std::vector<uint8_t>& payload) {
  std::vector<uint8_t> raw;
  if (!Base58Decode(s, raw) || raw.size() < 5) return false;
  uint8_t hash[32];
  Sha256d(raw.data(), raw.size() - 4, hash);
  if (std::memcmp(hash, raw.data() + raw.size() - 4, 4) != 0) return false;
  payload.assign(raw.begin(), raw.end() - 4);
  return true;
}

// ================================================================ bech32 ===

namespace {

constexpr char kBech32Charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32mConst = 0x2bc830a3;

uint32_t Polymod(const std::vector<uint8_t>& v) {
  static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t x : v) {
    uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ x;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGen[i];
    }
  }
  return chk;
}

int Bech32CharValue(char c) {
  const char* p = std::strchr(kBech32Charset, c);
  return (p == nullptr || c == '\0') ? -1 : static_cast<int>(p - kBech32Charset);
}

}  // namespace

Bech32Kind Bech32Decode(std::string_view s, std::string& hrp, std::vector<uint8_t>& data5) {
  if (s.size() < 8 || s.size() > 90) return Bech32Kind::kInvalid;
  bool lower = false, upper = false;
  for (char c : s) {
    if (c < 33 || c > 126) return Bech32Kind::kInvalid;
    if (c >= 'a' && c <= 'z') lower = true;
    if (c >= 'A' && c <= 'Z') upper = true;
  }
  if (lower && upper) return Bech32Kind::kInvalid;
  size_t pos = s.rfind('1');
  if (pos == std::string_view::npos || pos < 1 || pos + 7 > s.size()) return Bech32Kind::kInvalid;
  hrp.clear();
  for (size_t i = 0; i < pos; ++i) hrp.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  data5.clear();
  for (size_t i = pos + 1; i < s.size(); ++i) {
    int v = Bech32CharValue(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
    if (v < 0) return Bech32Kind::kInvalid;
    data5.push_back(static_cast<uint8_t>(v));
  }
  std::vector<uint8_t> values;
  values.reserve(hrp.size() * 2 + 1 + data5.size());
  for (char c : hrp) values.push_back(static_cast<uint8_t>(static_cast<unsigned char>(c) >> 5));
  values.push_back(0);
  for (char c : hrp) values.push_back(static_cast<uint8_t>(static_cast<unsigned char>(c) & 31));
  values.insert(values.end(), data5.begin(), data5.end());
  uint32_t pm = Polymod(values);
  Bech32Kind kind = pm == 1 ? Bech32Kind::kBech32 : pm == kBech32mConst ? Bech32Kind::kBech32m : Bech32Kind::kInvalid;
  if (kind != Bech32Kind::kInvalid) data5.resize(data5.size() - 6);
  return kind;
}

bool SegwitDecode(std::string_view want_hrp, std::string_view addr, int& version, std::vector<uint8_t>& program) {
  std::string hrp;
  std::vector<uint8_t> d;
  Bech32Kind kind = Bech32Decode(addr, hrp, d);
  if (kind == Bech32Kind::kInvalid || hrp != want_hrp || d.empty() || d[0] > 16) return false;
  version = d[0];
  // Regroup 5-bit values into bytes; leftover bits must be < 5 and zero.
  program.clear();
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 1; i < d.size(); ++i) {
    acc = (acc << 5) | d[i];
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      program.push_back(static_cast<uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) != 0) return false;
  if (program.size() < 2 || program.size() > 40) return false;
  if (version == 0 && program.size() != 20 && program.size() != 32) return false;
  if (version == 0 && kind != Bech32Kind::kBech32) return false;
  if (version != 0 && kind != Bech32Kind::kBech32m) return false;
  return true;
}

bool IsBitcoinAddress(std::string_view s) {
  if (s.size() >= 3 && (s[0] == 'b' || s[0] == 'B') && (s[1] == 'c' || s[1] == 'C') && s[2] == '1') {
    int version = 0;
    std::vector<uint8_t> program;
    return SegwitDecode("bc", s, version, program);
  }
  if (s.size() < 26 || s.size() > 35) return false;
  std::vector<uint8_t> payload;
  if (!Base58CheckDecode(s, payload) || payload.size() != 21) return false;
  return payload[0] == 0x00 || payload[0] == 0x05;
}

// ============================================================== ethereum ===

namespace {
inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string Eip55Encode(std::string_view hex40) {
  std::string lower(hex40);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto hash = Keccak256(lower);
  std::string out = lower;
  for (size_t i = 0; i < out.size() && i < 40; ++i) {
    int nibble = (i % 2 == 0) ? (hash[i / 2] >> 4) : (hash[i / 2] & 0x0f);
    if (out[i] >= 'a' && out[i] <= 'f' && nibble >= 8) out[i] = static_cast<char>(out[i] - 32);
  }
  return out;
}

bool IsEthereumAddress(std::string_view s) {
  if (s.size() != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  std::string_view hex = s.substr(2);
  bool lower = false, upper = false;
  for (char c : hex) {
    if (HexValue(c) < 0) return false;
    if (c >= 'a' && c <= 'f') lower = true;
    if (c >= 'A' && c <= 'F') upper = true;
  }
  if (!(lower && upper)) return true;
  return Eip55Encode(hex) == hex;
}

// ================================================================== tron ===

bool IsTronAddress(std::string_view s) {
  if (s.size() != 34 || s[0] != 'T') return false;
  std::vector<uint8_t> payload;
  return Base58CheckDecode(s, payload) && payload.size() == 21 && payload[0] == 0x41;
}

// ================================================================ monero ===

bool IsMoneroAddress(std::string_view s) {
  if (s.size() != 95) return false;
  // Monero base58 encodes 8-byte blocks as 11 characters; a short last block
  // of k bytes takes kEncodedSize[k] characters.
  static constexpr int kEncodedSize[9] = {0, 2, 3, 5, 6, 7, 9, 10, 11};
  uint8_t bytes[69];
  size_t out = 0;
  for (size_t pos = 0; pos < s.size();) {
    size_t chunk = std::min<size_t>(11, s.size() - pos);
    int nbytes = -1;
    for (int k = 0; k <= 8; ++k) {
      if (kEncodedSize[k] == static_cast<int>(chunk)) nbytes = k;
    }
    if (nbytes <= 0 || out + nbytes > sizeof(bytes)) return false;
    unsigned __int128 v = 0;
    for (size_t i = 0; i < chunk; ++i) {
      int d = B58Index(s[pos + i]);
      if (d < 0) return false;
      v = v * 58 + static_cast<unsigned>(d);
    }
    if (nbytes < 8 ? (v >> (8 * nbytes)) != 0 : (v >> 64) != 0) return false;
    for (int i = nbytes - 1; i >= 0; --i) {
      bytes[out + i] = static_cast<uint8_t>(v & 0xff);
      v >>= 8;
    }
    out += nbytes;
    pos += chunk;
  }
  if (out != 69) return false;
  if (bytes[0] != 18 && bytes[0] != 42) return false;  // mainnet standard / subaddress
  auto hash = Keccak256(std::string_view(reinterpret_cast<const char*>(bytes), 65));
  return std::memcmp(hash.data(), bytes + 65, 4) == 0;
}

// ================================================================== iban ===

namespace {

struct IbanCountry {
  char code[3];
  const char* bban;  // SWIFT registry notation: 4!n = 4 digits, a = A-Z, c = A-Z0-9
};

// BBAN structure per country, from the SWIFT IBAN registry release 101 (as
// carried by python-stdnum's iban.dat, see tests/fixtures/vectors/SOURCES.md).
constexpr IbanCountry kIbanCountries[] = {
    {"AD", "4!n4!n12!c"}, {"AE", "3!n16!n"}, {"AL", "8!n16!c"}, {"AT", "5!n11!n"}, {"AZ", "4!a20!c"},
    {"BA", "3!n3!n8!n2!n"}, {"BE", "3!n7!n2!n"}, {"BG", "4!a4!n2!n8!c"}, {"BH", "4!a14!c"},
    {"BI", "5!n5!n11!n2!n"}, {"BR", "8!n5!n10!n1!a1!c"}, {"BY", "4!c4!n16!c"}, {"CH", "5!n12!c"},
    {"CR", "4!n14!n"}, {"CY", "3!n5!n16!c"}, {"CZ", "4!n16!n"}, {"DE", "8!n10!n"}, {"DJ", "5!n5!n11!n2!n"},
    {"DK", "4!n9!n1!n"}, {"DO", "4!c20!n"}, {"EE", "2!n14!n"}, {"EG", "4!n4!n17!n"}, {"ES", "4!n4!n1!n1!n10!n"},
    {"FI", "3!n11!n"}, {"FK", "2!a12!n"}, {"FO", "4!n9!n1!n"}, {"FR", "5!n5!n11!c2!n"}, {"GB", "4!a6!n8!n"},
    {"GE", "2!a16!n"}, {"GI", "4!a15!c"}, {"GL", "4!n9!n1!n"}, {"GR", "3!n4!n16!c"}, {"GT", "4!c20!c"},
    {"HN", "4!a20!n"}, {"HR", "7!n10!n"}, {"HU", "3!n4!n1!n15!n1!n"}, {"IE", "4!a6!n8!n"}, {"IL", "3!n3!n13!n"},
    {"IQ", "4!a3!n12!n"}, {"IS", "4!n2!n6!n10!n"}, {"IT", "1!a5!n5!n12!c"}, {"JO", "4!a4!n18!c"},
    {"KW", "4!a22!c"}, {"KZ", "3!n13!c"}, {"LB", "4!n20!c"}, {"LC", "4!a24!c"}, {"LI", "5!n12!c"},
    {"LT", "5!n11!n"}, {"LU", "3!n13!c"}, {"LV", "4!a13!c"}, {"LY", "3!n3!n15!n"}, {"MC", "5!n5!n11!c2!n"},
    {"MD", "2!c18!c"}, {"ME", "3!n13!n2!n"}, {"MK", "3!n10!c2!n"}, {"MN", "4!n12!n"}, {"MR", "5!n5!n11!n2!n"},
    {"MT", "4!a5!n18!c"}, {"MU", "4!a2!n2!n12!n3!n3!a"}, {"NI", "4!a20!n"}, {"NL", "4!a10!n"}, {"NO", "4!n6!n1!n"},
    {"OM", "3!n16!c"}, {"PK", "4!a16!c"}, {"PL", "8!n16!n"}, {"PS", "4!a21!c"}, {"PT", "4!n4!n11!n2!n"},
    {"QA", "4!a21!c"}, {"RO", "4!a16!c"}, {"RS", "3!n13!n2!n"}, {"RU", "9!n5!n15!c"}, {"SA", "2!n18!c"},
    {"SC", "4!a2!n2!n16!n3!a"}, {"SD", "2!n12!n"}, {"SE", "3!n16!n1!n"}, {"SI", "5!n8!n2!n"}, {"SK", "4!n6!n10!n"},
    {"SM", "1!a5!n5!n12!c"}, {"SO", "4!n3!n12!n"}, {"ST", "4!n4!n11!n2!n"}, {"SV", "4!a20!n"},
    {"TL", "3!n14!n2!n"}, {"TN", "2!n3!n13!n2!n"}, {"TR", "5!n1!n16!c"}, {"UA", "6!n19!c"}, {"VA", "3!n15!n"},
    {"VG", "4!a16!n"}, {"XK", "4!n10!n2!n"}, {"YE", "4!a4!n18!c"},
};

const IbanCountry* FindIbanCountry(std::string_view cc) {
  if (cc.size() < 2) return nullptr;
  for (const auto& c : kIbanCountries) {
    if (c.code[0] == cc[0] && c.code[1] == cc[1]) return &c;
  }
  return nullptr;
}

// Length of a BBAN notation, or checks `bban` against it when non-null.
int BbanMatch(const char* fmt, std::string_view bban, bool check) {
  int total = 0;
  size_t pos = 0;
  for (const char* p = fmt; *p;) {
    int n = 0;
    while (*p >= '0' && *p <= '9') n = n * 10 + (*p++ - '0');
    if (*p == '!') ++p;
    char cls = *p ? *p++ : 'c';
    if (check) {
      for (int i = 0; i < n; ++i, ++pos) {
        if (pos >= bban.size()) return -1;
        char c = bban[pos];
        bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z';
        if ((cls == 'n' && !digit) || (cls == 'a' && !upper) || (cls == 'c' && !digit && !upper)) return -1;
      }
    }
    total += n;
  }
  return total;
}

}  // namespace

int IbanLength(std::string_view country) {
  const IbanCountry* c = FindIbanCountry(country);
  return c ? 4 + BbanMatch(c->bban, {}, false) : 0;
}

bool IsIban(std::string_view s) {
  if (s.size() < 5 || s.size() > 34) return false;
  const IbanCountry* c = FindIbanCountry(s);
  if (c == nullptr || static_cast<int>(s.size()) != IbanLength(s.substr(0, 2))) return false;
  if (!(s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9')) return false;
  if (BbanMatch(c->bban, s.substr(4), true) < 0) return false;
  unsigned rem = 0;
  auto feed = [&rem](char ch) -> bool {
    if (ch >= '0' && ch <= '9') {
      rem = (rem * 10 + (ch - '0')) % 97;
    } else if (ch >= 'A' && ch <= 'Z') {
      unsigned v = ch - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    } else {
      return false;
    }
    return true;
  };
  for (size_t i = 4; i < s.size(); ++i) {
    if (!feed(s[i])) return false;
  }
  for (size_t i = 0; i < 4; ++i) {
    if (!feed(s[i])) return false;
  }
  return rem == 1;
}

// ================================================================== cards ===

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool dbl = false;
  for (size_t i = digits.size(); i-- > 0;) {
    char c = digits[i];
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

bool IsCardNumber(std::string_view d) {
  if (d.size() < 13 || d.size() > 19 || !LuhnValid(d)) return false;
  auto prefix = [&d](size_t n) {
    int v = 0;
    for (size_t i = 0; i < n && i < d.size(); ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  const size_t n = d.size();
  int p1 = prefix(1), p2 = prefix(2), p3 = prefix(3), p4 = prefix(4);
  if (p1 == 4) return n == 13 || n == 16 || n == 19;                      // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n == 16;  // Mastercard
  if (p4 >= 2200 && p4 <= 2204) return n >= 16;                           // Mir
  if (p2 == 34 || p2 == 37) return n == 15;                               // Amex
  if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) return n >= 16;  // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16;                           // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) return n >= 14;  // Diners
  if (p2 == 62) return n >= 16;                                            // UnionPay
  if (p2 == 50 || (p2 >= 56 && p2 <= 69)) return n >= 13;                  // Maestro
  return false;
}

}  // namespace dragnet::extractors
