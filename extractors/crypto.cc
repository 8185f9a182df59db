// crypto: btc (base58check P2PKH/P2SH, bech32/bech32m segwit, mainnet),
// eth (0x + 40 hex, EIP-55 enforced on mixed case, stored lowercase), tron
// (base58check 0x41) and xmr (standard/subaddress, Keccak checksum).
// Everything must pass its checksum (extractors/validators.h); the
// all-zero Ethereum address (a null constant in code, never a payee) is left
// out too.

#include <string>

#include "extractors/scan_text.h"
#include "extractors/validators.h"

namespace dragnet::extractors::scan {
namespace {

// The longest bech32 string BIP-173 allows.
constexpr size_t kMaxBech32 = 90;

inline bool IsBase58(char c) {
  return IsAlnum(c) && c != '0' && c != 'O' && c != 'I' && c != 'l';
}

// End of the alphanumeric word starting at `begin`, at most `max` long.
size_t WordEnd(std::string_view s, size_t begin, size_t limit, size_t max) {
  size_t e = begin;
  while (e < limit && IsAlnum(s[e]) && e - begin <= max) ++e;
  return e;
}

// Distinct candidates whose checksum verdict each thread keeps (StringMemo).
constexpr size_t kMaxMemoAddresses = 4096;

// `check(cand)` through the thread's memo, keyed by `kind` + candidate: a
// page repeats its wallet in text, links and scripts, and each check is a
// Keccak or double SHA-256.
bool Checked(char kind, std::string_view cand, bool (*check)(std::string_view)) {
  thread_local StringMemo memo(kMaxMemoAddresses);
  std::string key;
  key.reserve(1 + cand.size());
  key.push_back(kind);
  key.append(cand);
  return !memo.Get(key, [cand, check] { return std::string(check(cand) ? "1" : ""); }).empty();
}

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints&, Emitter& out) {
  const std::string_view s = seg.text;
  for (const Hit& h : hits) {
    switch (h.trigger) {
      case kBech32: {
        size_t e = WordEnd(s, h.start, s.size(), kMaxBech32);
        std::string_view cand = s.substr(h.start, e - h.start);
        if (cand.size() > kMaxBech32 || !Checked('b', cand, IsBitcoinAddress)) break;
        out.Emit("btc", AsciiLower(cand), cand, seg.PieceAt(h.start).source);
        break;
      }
      case kEth: {
        if (h.end < s.size() && IsAlnum(s[h.end])) break;  // a 64-hex hash or longer token
        std::string_view cand = s.substr(h.start, h.end - h.start);
        if (!Checked('e', cand, IsEthereumAddress)) break;
        std::string value = AsciiLower(cand);
        if (value.find_first_not_of('0', 2) == std::string::npos) break;
        out.Emit("eth", std::move(value), cand, seg.PieceAt(h.start).source);
        break;
      }
      case kBase58Btc: {
        size_t e = WordEnd(s, h.start, s.size(), 35);
        std::string_view cand = s.substr(h.start, e - h.start);
        if (cand.size() > 35) break;
        bool ok = true;
        for (char c : cand) ok = ok && IsBase58(c);
        if (!ok || !Checked('b', cand, IsBitcoinAddress)) break;
        out.Emit("btc", cand, cand, seg.PieceAt(h.start).source);
        break;
      }
      case kBase58Tron: {
        if (h.end < s.size() && IsAlnum(s[h.end])) break;
        std::string_view cand = s.substr(h.start, h.end - h.start);
        if (!Checked('t', cand, IsTronAddress)) break;
        out.Emit("tron", cand, cand, seg.PieceAt(h.start).source);
        break;
      }
      case kBase58Xmr: {
        if (h.end < s.size() && IsAlnum(s[h.end])) break;
        std::string_view cand = s.substr(h.start, h.end - h.start);
        if (!Checked('x', cand, IsMoneroAddress)) break;
        out.Emit("xmr", cand, cand, seg.PieceAt(h.start).source);
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace

const Family kCryptoFamily = {"crypto", OnSegment, nullptr};

}  // namespace dragnet::extractors::scan
