#include "extractors/lookalike.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <memory>

#include <unicode/uspoof.h>

#include "core/url.h"

namespace dragnet::extractors {

namespace {

// ------------------------------------------------------------ skeleton ---

struct SpoofCloser {
  void operator()(USpoofChecker* c) const { uspoof_close(c); }
};

// ICU's checker is immutable once opened and its skeleton calls are
// thread-safe on a const checker.
const USpoofChecker* Checker() {
  static const std::unique_ptr<USpoofChecker, SpoofCloser> checker = [] {
    UErrorCode err = U_ZERO_ERROR;
    USpoofChecker* c = uspoof_open(&err);
    if (U_FAILURE(err)) c = nullptr;
    return std::unique_ptr<USpoofChecker, SpoofCloser>(c);
  }();
  return checker.get();
}

std::vector<std::string> Split(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (seps.find(c) != std::string_view::npos) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// ASCII look-alikes a reader's eye merges: folded toward the letter they
// imitate, so "rnicrosoft" and "micros0ft" both become "microsoft".
std::string AsciiHomoglyphFold(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == 'r' && next == 'n') { out += 'm'; ++i; continue; }
    if (c == 'v' && next == 'v') { out += 'w'; ++i; continue; }
    if (c == 'c' && next == 'l') { out += 'd'; ++i; continue; }
    if (c == '0') { out += 'o'; continue; }
    if (c == '1') { out += 'l'; continue; }
    out += c;
  }
  return out;
}

// Names the single edit that turns `brand` into `label` (distance 1).
std::string ClassifyEdit(const std::string& label, const std::string& brand) {
  if (label.size() + 1 == brand.size()) {
    for (size_t i = 0; i < brand.size(); ++i) {
      if (i >= label.size() || label[i] != brand[i]) {
        return "omission of '" + std::string(1, brand[i]) + "'";
      }
    }
    return "omission";
  }
  if (label.size() == brand.size() + 1) {
    for (size_t i = 0; i < label.size(); ++i) {
      if (i >= brand.size() || label[i] != brand[i]) {
        bool repeated = (i > 0 && label[i] == label[i - 1]) ||
                        (i + 1 < label.size() && label[i] == label[i + 1]);
        return (repeated ? "repetition of '" : "insertion of '") + std::string(1, label[i]) + "'";
      }
    }
    return "insertion";
  }
  for (size_t i = 0; i + 1 < label.size(); ++i) {
    if (label[i] != brand[i]) {
      if (label[i] == brand[i + 1] && label[i + 1] == brand[i]) {
        return "transposition of '" + brand.substr(i, 2) + "'";
      }
      return "replacement of '" + std::string(1, brand[i]) + "' by '" + std::string(1, label[i]) + "'";
    }
  }
  return "replacement of the last letter";
}

const char* const kTechniqueOrder[] = {"homograph", "typo", "tld_swap", "embedded"};

int Rank(const std::string& t) {
  for (int i = 0; i < 4; ++i) {
    if (t == kTechniqueOrder[i]) return i;
  }
  return 4;
}

}  // namespace

std::string ConfusableSkeleton(std::string_view utf8) {
  std::string folded = FoldText(utf8);
  const USpoofChecker* sc = Checker();
  if (sc == nullptr) return folded;
  UErrorCode err = U_ZERO_ERROR;
  std::string out(folded.size() * 4 + 16, '\0');
  int32_t n = uspoof_getSkeletonUTF8(sc, 0, folded.data(), static_cast<int32_t>(folded.size()),
                                     out.data(), static_cast<int32_t>(out.size()), &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    err = U_ZERO_ERROR;
    out.assign(static_cast<size_t>(n) + 1, '\0');
    n = uspoof_getSkeletonUTF8(sc, 0, folded.data(), static_cast<int32_t>(folded.size()),
                               out.data(), static_cast<int32_t>(out.size()), &err);
  }
  if (U_FAILURE(err)) return folded;
  out.resize(static_cast<size_t>(n));
  return out;
}

int EditDistance(std::string_view a, std::string_view b) {
  // Three rolling rows (OSA needs the row before last). Host labels are at
  // most 63 bytes; rows live on the stack up to kMaxHostBytes, beyond which
  // (never for DNS names) the heap is used.
  const size_t m = b.size();
  int stack_rows[3][kMaxHostBytes + 2];
  std::vector<int> heap;
  int* rows[3];
  if (m + 1 <= kMaxHostBytes + 2) {
    for (int r = 0; r < 3; ++r) rows[r] = stack_rows[r];
  } else {
    heap.assign(3 * (m + 1), 0);
    for (int r = 0; r < 3; ++r) rows[r] = heap.data() + r * (m + 1);
  }
  int* prev2 = rows[0];
  int* prev = rows[1];
  int* cur = rows[2];
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j), prev2[j] = 0;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

namespace {

// EditDistance(a, b) == 1, without the table for the common case of labels
// whose lengths already differ by more than one.
bool OneEditApart(std::string_view a, std::string_view b) {
  size_t la = a.size(), lb = b.size();
  if ((la > lb ? la - lb : lb - la) > 1 || a == b) return false;
  // One edit leaves the first or the last character in place (for strings
  // of three or more): most labels are ruled out before the table.
  if (la >= 3 && lb >= 3 && a.front() != b.front() && a.back() != b.back()) return false;
  return EditDistance(a, b) == 1;
}

}  // namespace

std::vector<LookalikeFinding> FindLookalikes(const BrandCatalog& catalog,
                                             const std::string& site_host_ascii) {
  std::vector<LookalikeFinding> out;
  std::string host = site_host_ascii;
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty() || host.size() > kMaxHostBytes) return out;
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string reg = RegistrableDomainOf(host);
  if (reg.empty() || catalog.OwnerOf(reg) >= 0) return out;

  size_t dot = reg.find('.');
  if (dot == std::string::npos) return out;
  const std::string label = reg.substr(0, dot);
  const std::string suffix = reg.substr(dot + 1);
  const std::string ulabel = HostToUnicode(label);
  const bool idn = !IsAscii(ulabel);
  const std::string label_skeleton = idn ? ConfusableSkeleton(ulabel) : std::string();
  const std::string label_hg = AsciiHomoglyphFold(label);
  std::string label_nohyphen = label;
  label_nohyphen.erase(std::remove(label_nohyphen.begin(), label_nohyphen.end(), '-'),
                       label_nohyphen.end());
  const std::vector<std::string> host_labels = Split(host, ".");
  const std::vector<std::string> host_words = Split(host, ".-");
  // Host labels in Unicode and skeleton form, for brand words hidden in IDN
  // subdomains or in IDN labels with extra words ("раураl-secure.com").
  std::vector<std::string> skeleton_words;
  if (host.find("xn--") != std::string::npos) {
    for (const std::string& w : Split(HostToUnicode(host), ".-")) {
      skeleton_words.push_back(ConfusableSkeleton(w));
    }
  }

  std::map<std::string, LookalikeFinding> best;  // per brand
  const std::string site = "'" + host + "'";
  // Homoglyph folds of the catalog's labels, computed once per thread (the
  // catalog's labels are a fixed set of at most a few thousand).
  thread_local std::unordered_map<std::string, std::string> fold_memo;
  constexpr size_t kMaxFoldMemo = 1 << 14;
  auto folded = [&](std::string_view l) -> const std::string& {
    auto it = fold_memo.find(std::string(l));
    if (it != fold_memo.end()) return it->second;
    if (fold_memo.size() >= kMaxFoldMemo) fold_memo.clear();
    return fold_memo.emplace(std::string(l), AsciiHomoglyphFold(std::string(l))).first->second;
  };
  auto offer = [&](const Brand& b, const std::string& domain, const std::string& technique,
                   const std::string& detail) {
    auto it = best.find(b.name);
    if (it != best.end() && Rank(it->second.technique) <= Rank(technique)) return;
    best[b.name] = LookalikeFinding{b.name, domain, technique, detail, b.sector};
  };

  for (const Brand& b : catalog.brands()) {
    for (const std::string& d : b.domains) {
      size_t bdot = d.find('.');
      if (bdot == std::string::npos) continue;
      const std::string_view blabel = std::string_view(d).substr(0, bdot);
      const std::string_view bsuffix = std::string_view(d).substr(bdot + 1);
      if (blabel.size() < 2) continue;

      if (idn) {
        std::string bsk = ConfusableSkeleton(std::string(blabel));
        if (label_skeleton == bsk) {
          offer(b, d, "homograph",
                site + " (" + HostToUnicode(host) + ") has the confusable skeleton of " + d);
        } else if (blabel.size() >= kMinTypoLabel && OneEditApart(label_skeleton, bsk)) {
          offer(b, d, "homograph",
                site + " (" + HostToUnicode(host) + ") is one edit from the confusable skeleton of " + d);
        }
      }
      if (!skeleton_words.empty() && blabel.size() >= 3) {
        const std::string bsk = ConfusableSkeleton(std::string(blabel));
        const std::string uhost = HostToUnicode(host);
        for (const std::string& w : skeleton_words) {
          if (w == bsk && !IsAscii(uhost)) {
            offer(b, d, "homograph",
                  site + " (" + uhost + ") holds a word confusable with '" + std::string(blabel) + "'");
            break;
          }
        }
      }

      if (label == blabel && suffix != bsuffix) {
        offer(b, d, "tld_swap", site + " is '" + std::string(blabel) + "' under ." + suffix + " instead of ." + std::string(bsuffix));
      }

      if (!idn && label != blabel) {
        // The fold only shortens (rn -> m, vv -> w, cl -> d): lengths rule
        // out most labels before the memo is consulted.
        if (blabel.size() >= 3 && label_hg.size() <= blabel.size() && label_hg.size() * 2 >= blabel.size() &&
            label_hg == folded(blabel)) {
          offer(b, d, "typo", site + " imitates " + d + " with look-alike characters (" + label + ")");
        } else if (blabel.size() >= kMinTypoLabel) {
          if (label_nohyphen == blabel) {
            offer(b, d, "typo", site + " is " + d + " with a hyphen added (" + label + ")");
          } else if (OneEditApart(label, blabel)) {
            offer(b, d, "typo", site + " is one slip from " + d + ": " + ClassifyEdit(label, std::string(blabel)));
          }
        }
      }

      if (blabel.size() >= 3) {
        bool word = false;
        for (const std::string& w : host_words) word = word || w == blabel;
        // The registrable label equal to the brand label is a tld_swap,
        // which outranks this.
        if (word) {
          offer(b, d, "embedded", site + " carries '" + std::string(blabel) + "' as a word of its name");
        } else if (!word && blabel.size() >= kMinEmbeddedSubstring) {
          for (const std::string& l : host_labels) {
            if (l != blabel && l.find(blabel) != std::string::npos) {
              offer(b, d, "embedded", site + " carries '" + std::string(blabel) + "' inside the label '" + l + "'");
              break;
            }
          }
        }
      }
    }
  }
  for (auto& [name, f] : best) out.push_back(std::move(f));
  std::stable_sort(out.begin(), out.end(), [](const LookalikeFinding& a, const LookalikeFinding& b) {
    return Rank(a.technique) < Rank(b.technique);
  });
  return out;
}

}  // namespace dragnet::extractors
