#include "extractors/indicators.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "core/url.h"
#include "extractors/scan_text.h"
#include "extractors/url_fast.h"

namespace dragnet::extractors {
namespace {

using scan::Family;
using scan::Hit;
using scan::PageHints;
using scan::Piece;
using scan::Segment;

// ================================================================ registry ===

const std::vector<const Family*>& Registry() {
  static const std::vector<const Family*> families = {
      &scan::kEmailFamily,    &scan::kPhoneFamily,    &scan::kCryptoFamily, &scan::kIbanFamily,
      &scan::kCardFamily,     &scan::kTelegramFamily, &scan::kWhatsappFamily, &scan::kAnalyticsFamily,
      &scan::kUrlFamily,      &scan::kIpFamily};
  return families;
}

// ================================================================== merging ===

class Merger : public scan::Emitter {
 public:
  Merger() {
    // A page yields a dozen or two indicators; past this they grow as usual.
    out_.reserve(16);
  }

  void SetPage(const std::string* url) { page_url_ = url; }

  void Emit(const char* type, std::string_view value, std::string_view raw, const char* source) override {
    if (value.empty()) return;
    size_t at = Find(type, value);
    if (at == out_.size()) {
      Indicator ind;
      ind.type = type;
      ind.value = std::string(value);
      ind.raw = std::string(raw.substr(0, kMaxRawBytes));
      ind.source = source;
      ind.pages.push_back(*page_url_);
      ind.count = 1;
      out_.push_back(std::move(ind));
      if (!index_.empty()) index_.emplace(key_, at);
      return;
    }
    Indicator& ind = out_[at];
    ++ind.count;
    if (ind.pages.back() != *page_url_ &&
        std::find(ind.pages.begin(), ind.pages.end(), *page_url_) == ind.pages.end()) {
      ind.pages.push_back(*page_url_);
    }
  }

  std::vector<Indicator> Take() {
    // Sorted through an index (each Indicator is a dozen members; moving
    // them around in the sort cost more than comparing them). (type, value)
    // pairs are unique, so the order is the same as sorting out_ itself.
    std::vector<uint32_t> order(out_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) {
      const Indicator& x = out_[a];
      const Indicator& y = out_[b];
      return x.type != y.type ? x.type < y.type : x.value < y.value;
    });
    std::vector<Indicator> sorted;
    sorted.reserve(out_.size());
    for (uint32_t i : order) sorted.push_back(std::move(out_[i]));
    return sorted;
  }

 private:
  // "raw" is evidence for a human; a decoded blob can be long.
  static constexpr size_t kMaxRawBytes = 512;
  // Up to this many indicators a linear search beats hashing the key (a page
  // has a dozen or two); past it, the hash index is built and kept.
  static constexpr size_t kLinearMax = 32;

  // Index of (type, value) in out_, or out_.size(). Leaves the key in key_
  // once the hash index is in use.
  size_t Find(const char* type, std::string_view value) {
    if (index_.empty() && out_.size() <= kLinearMax) {
      for (size_t i = 0; i < out_.size(); ++i) {
        if (out_[i].value == value && out_[i].type == type) return i;
      }
      if (out_.size() < kLinearMax) return out_.size();
      // The next one makes kLinearMax + 1: switch to the hash index.
      for (size_t i = 0; i < out_.size(); ++i) {
        key_.assign(out_[i].type).push_back('\0');
        key_.append(out_[i].value);
        index_.emplace(key_, i);
      }
    }
    key_.assign(type);
    key_.push_back('\0');
    key_.append(value);
    auto it = index_.find(key_);
    return it == index_.end() ? out_.size() : it->second;
  }
  const std::string* page_url_ = nullptr;
  std::string key_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<Indicator> out_;
};

// =================================================================== hints ===

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

// Country most often meant by a bare language tag, for phone numbers written
// without a country code. Only languages spoken mainly in one country.
std::string RegionOfLanguage(std::string_view lang) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"sv", "SE"}, {"vi", "VN"}, {"th", "TH"}, {"zh", "CN"}, {"id", "ID"}, {"es", "ES"}, {"de", "DE"},
      {"fr", "FR"}, {"it", "IT"}, {"nl", "NL"}, {"pl", "PL"}, {"da", "DK"}, {"nb", "NO"}, {"nn", "NO"},
      {"no", "NO"}, {"fi", "FI"}, {"ja", "JP"}, {"ko", "KR"}, {"ms", "MY"}, {"tl", "PH"}, {"fil", "PH"},
      {"cs", "CZ"}, {"hu", "HU"}, {"ro", "RO"}, {"el", "GR"}, {"tr", "TR"}, {"uk", "UA"}, {"he", "IL"}};
  for (const auto& [l, r] : kMap) {
    if (lang == l) return r;
  }
  return {};
}

std::string HostOf(const std::string& url) {
  size_t s = url.find("://");
  if (s == std::string::npos) return {};
  s += 3;
  size_t e = url.find_first_of(":/?#", s);
  if (s < url.size() && url[s] == '[') e = url.find(']', s) + 1;
  return url.substr(s, e == std::string::npos ? std::string::npos : e - s);
}

PageHints BuildHints(const Page& page, const ExtractContext& ctx, const std::string& site_domain) {
  PageHints h;
  h.page = &page;
  h.site_domain = site_domain;
  auto add = [&h](std::string r) {
    if (r.size() == 2 && std::find(h.phone_regions.begin(), h.phone_regions.end(), r) == h.phone_regions.end()) {
      h.phone_regions.push_back(std::move(r));
    }
  };
  // 1. tel: links written in international form say which country the
  // site's own numbers belong to.
  auto tel = [](const std::string& v) {
    return AsciiLower(v[0]) == 't' && AsciiLower(v[1]) == 'e' && AsciiLower(v[2]) == 'l' && v[3] == ':';
  };
  for (const AttrValue& a : page.attrs) {
    if (a.name != "href" || a.value.size() < 5 || !tel(a.value)) continue;
    std::string_view num = std::string_view(a.value).substr(4);
    if (!num.empty() && num.front() == '+') add(scan::RegionOfNumber(num));
    if (h.phone_regions.size() >= 2) break;
  }
  // 2. <html lang="sv-SE">: the region subtag.
  std::string_view lang = page.lang;
  std::string primary(lang.substr(0, lang.find_first_of("-_")));
  if (size_t dash = lang.find_first_of("-_"); dash != std::string_view::npos) {
    std::string_view sub = lang.substr(dash + 1, 2);
    if (sub.size() == 2 && (dash + 3 == lang.size() || lang[dash + 3] == '-')) add(Upper(std::string(sub)));
  }
  // 3. The ccTLD of the page's host.
  std::string host = HostOf(page.url);
  if (size_t dot = host.rfind('.'); dot != std::string::npos && host.size() - dot == 3 && !scan::IsDigit(host.back())) {
    std::string tld = Upper(host.substr(dot + 1));
    add(tld == "UK" ? "GB" : tld);
  }
  // 4. The hosting country, 5. the language's main country.
  add(Upper(ctx.region_hint));
  add(RegionOfLanguage(primary));
  for (const Form& f : page.forms) h.card_form = h.card_form || f.has_card;
  return h;
}

// ========================================================= script literals ===

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = AsciiLower(c);
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

// Appends the string literals of JavaScript source `js` to `out`, each
// followed by '\0', with \-escapes decoded. A small lexer: skips comments and
// (heuristically) regex literals so their quotes do not open strings.
void AppendScriptLiterals(std::string_view js, std::string& out) {
  const size_t n = js.size();
  char prev = 0;  // last significant character outside literals
  size_t i = 0;
  while (i < n) {
    char c = js[i];
    if (c == '/' && i + 1 < n && js[i + 1] == '/') {
      size_t e = js.find('\n', i);
      i = e == std::string_view::npos ? n : e;
      continue;
    }
    if (c == '/' && i + 1 < n && js[i + 1] == '*') {
      size_t e = js.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') {
      size_t j = i + 1;
      while (j < n && js[j] != c) {
        char d = js[j];
        if (d == '\n' && c != '`') break;
        if (d == '\\' && j + 1 < n) {
          char e = js[j + 1];
          j += 2;
          switch (e) {
            case 'n': out.push_back('\n'); break;
            case 't': out.push_back('\t'); break;
            case 'r': break;
            case 'x':
              if (j + 1 < n && Hex(js[j]) >= 0 && Hex(js[j + 1]) >= 0) {
                AppendUtf8(out, static_cast<uint32_t>(Hex(js[j]) * 16 + Hex(js[j + 1])));
                j += 2;
              }
              break;
            case 'u':
              if (j + 3 < n && Hex(js[j]) >= 0 && Hex(js[j + 1]) >= 0 && Hex(js[j + 2]) >= 0 && Hex(js[j + 3]) >= 0) {
                AppendUtf8(out, static_cast<uint32_t>((Hex(js[j]) << 12) | (Hex(js[j + 1]) << 8) |
                                                      (Hex(js[j + 2]) << 4) | Hex(js[j + 3])));
                j += 4;
              }
              break;
            default: out.push_back(e); break;
          }
          continue;
        }
        out.push_back(d);
        ++j;
      }
      out.push_back('\0');
      i = j + 1;
      prev = 'a';  // a literal is an operand
      continue;
    }
    if (c == '/' && (prev == 0 || std::string_view("(,=:[!&|?{};+-*%<>~^").find(prev) != std::string_view::npos)) {
      size_t j = i + 1;
      bool in_class = false;
      while (j < n && js[j] != '\n') {
        if (js[j] == '\\') { j += 2; continue; }
        if (js[j] == '[') in_class = true;
        else if (js[j] == ']') in_class = false;
        else if (js[j] == '/' && !in_class) break;
        ++j;
      }
      i = j + 1;
      prev = 'a';
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') prev = c;
    ++i;
  }
}

// ================================================================= base64 ===

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Decodes standard or URL-safe base64; false on any other character. The
// result must look like text (decoding random words yields binary).
bool DecodeBase64Text(std::string_view s, std::string& out) {
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() < 8) return false;
  out.clear();
  out.reserve(s.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = B64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  size_t bad = 0;
  for (unsigned char c : out) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') ++bad;
  }
  return bad == 0;
}

// Attribute values that are base64 as a whole, or data: URIs with ;base64,.
std::string_view Base64Payload(std::string_view v) {
  if (v.size() > 5 && AsciiLower(v.substr(0, 5)) == "data:") {
    size_t p = v.find(";base64,");
    if (p == std::string_view::npos || p > 100) return {};
    return v.substr(p + 8);
  }
  // A plain value: long enough to hide something, one token, base64 chars,
  // with both cases or digits (plain words are not base64 payloads).
  if (v.size() < 16 || v.size() % 4 != 0) return {};
  bool lower = false, upper = false, digit = false;
  for (char c : v) {
    if (B64Value(c) < 0 && c != '=') return {};
    lower |= c >= 'a' && c <= 'z';
    upper |= c >= 'A' && c <= 'Z';
    digit |= c >= '0' && c <= '9';
  }
  return (lower && upper) || (digit && (lower || upper)) ? v : std::string_view();
}

// ================================================================= per page ===

class PageScanner {
 public:
  PageScanner(const Page& page, const PageHints& hints, const ExtractOptions& opts,
              const std::vector<const Family*>& families, Merger& out)
      : page_(page), hints_(hints), opts_(opts), families_(families), out_(out) {
    budget_ = opts.max_text_bytes > 0 ? static_cast<size_t>(opts.max_text_bytes) : 0;
    decode_budget_ = opts.max_decoded_bytes > 0 ? static_cast<size_t>(opts.max_decoded_bytes) : 0;
  }

  void Run() {
    // 1. Visible text.
    {
      Segment seg;
      seg.text = Take(page_.text);
      seg.pieces.push_back({0, "text", nullptr});
      ScanSegment(seg);
      FindAtobLiterals(page_.text, "text", 0);
    }
    // 2. Attribute values, joined.
    {
      std::string buf;
      Segment seg;
      size_t total = 0;
      for (const AttrValue& a : page_.attrs) total += a.value.size() + 1;
      buf.reserve(total);
      seg.pieces.reserve(page_.attrs.size());
      for (const AttrValue& a : page_.attrs) {
        // Placeholders show the user an example; what they hold is not the
        // site's (you@example.com, +46 70 123 45 67).
        if (a.name == "placeholder") continue;
        const char* source = a.tag == "meta" ? "meta"
                             : (a.tag == "input" || a.tag == "select" || a.tag == "textarea" || a.tag == "button") &&
                                       a.name == "value"
                                 ? "form"
                                 : "attribute";
        seg.pieces.push_back({static_cast<uint32_t>(buf.size()), source, &a});
        buf.append(a.value);
        buf.push_back('\0');
      }
      if (!seg.pieces.empty()) {
        seg.text = Take(buf);
        ScanSegment(seg);
      }
      for (const AttrValue& a : page_.attrs) {
        std::string_view payload = Base64Payload(a.value);
        if (!payload.empty()) Decode(payload, a.tag == "meta" ? "meta" : "attribute", 0);
      }
    }
    // 3. String literals of inline scripts.
    {
      std::string buf;
      Segment seg;
      size_t total = 0;
      for (const Script& s : page_.scripts) total += s.text.size() + 1;
      buf.reserve(total);  // the literals are never longer than the source
      seg.pieces.reserve(page_.scripts.size());
      for (const Script& s : page_.scripts) {
        if (s.text.empty()) continue;
        seg.pieces.push_back({static_cast<uint32_t>(buf.size()), "script", nullptr});
        AppendScriptLiterals(s.text, buf);
        buf.push_back('\0');
      }
      if (!seg.pieces.empty()) {
        seg.text = Take(buf);
        ScanSegment(seg);
      }
      for (const Script& s : page_.scripts) FindAtobLiterals(s.text, "script", 0);
    }
    // 4. Structure: links, forms, scripts, iframes.
    for (const Family* f : families_) {
      if (f->on_page) f->on_page(page_, hints_, out_);
    }
  }

 private:
  // Applies the per-page scan budget (ExtractOptions::max_text_bytes).
  std::string_view Take(std::string_view s) {
    size_t n = std::min(s.size(), budget_);
    budget_ -= n;
    return s.substr(0, n);
  }

  void ScanSegment(const Segment& seg) {
    if (seg.text.empty()) return;
    hits_.clear();
    if (!scan::Scan(seg.text, hits_)) return;
    if (hits_.empty()) return;
    for (const Family* f : families_) {
      if (f->on_segment) f->on_segment(seg, hits_, hints_, out_);
    }
  }

  void Decode(std::string_view payload, const char* source, int depth) {
    if (depth >= opts_.max_decode_depth || payload.size() * 3 / 4 > decode_budget_) return;
    std::string decoded;
    if (!DecodeBase64Text(payload, decoded)) return;
    decode_budget_ -= std::min(decode_budget_, decoded.size());
    Segment seg;
    seg.text = Take(decoded);
    seg.pieces.push_back({0, source, nullptr});
    seg.decode_depth = depth + 1;
    std::vector<Hit> saved;
    saved.swap(hits_);  // hits_ of an enclosing segment may still be in use
    ScanSegment(seg);
    saved.swap(hits_);
    // Decoded again when the options allow a second level.
    FindAtobLiterals(decoded, source, depth + 1);
    std::string_view whole = Base64Payload(decoded);
    if (!whole.empty() && whole.size() == decoded.size()) {
      std::string copy(whole);
      Decode(copy, source, depth + 1);
    }
  }

  // atob("...") / atob('...') literals.
  void FindAtobLiterals(std::string_view s, const char* source, int depth) {
    if (depth >= opts_.max_decode_depth) return;
    size_t pos = 0;
    while ((pos = s.find("atob(", pos)) != std::string_view::npos) {
      pos += 5;
      size_t i = pos;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i >= s.size() || (s[i] != '"' && s[i] != '\'' && s[i] != '`')) continue;
      char q = s[i];
      size_t e = s.find(q, i + 1);
      if (e == std::string_view::npos) break;
      Decode(s.substr(i + 1, e - i - 1), source, depth);
      pos = e;
    }
  }

  const Page& page_;
  const PageHints& hints_;
  const ExtractOptions& opts_;
  const std::vector<const Family*>& families_;
  Merger& out_;
  size_t budget_ = 0;
  size_t decode_budget_ = 0;
  // The thread's hit buffer, reused from page to page (its capacity is the
  // most hits one buffer of a page had; a page's hits are bounded by its
  // scanned bytes, ExtractOptions::max_text_bytes).
  std::vector<Hit>& hits_ = ThreadHits();

  static std::vector<Hit>& ThreadHits() {
    thread_local std::vector<Hit> hits;
    return hits;
  }
};

}  // namespace

std::vector<std::string> IndicatorFamilies() {
  std::vector<std::string> names;
  for (const Family* f : Registry()) names.emplace_back(f->name);
  return names;
}

std::vector<Indicator> ExtractIndicators(const std::vector<Page>& pages, const ExtractContext& ctx,
                                         const ExtractOptions& opts) {
  std::vector<const Family*> enabled;
  for (const Family* f : Registry()) {
    if (std::find(opts.disabled.begin(), opts.disabled.end(), f->name) == opts.disabled.end()) enabled.push_back(f);
  }
  std::string site = ctx.site_url.empty() && !pages.empty() ? pages.front().url : ctx.site_url;
  // Url::RegistrableDomain of the site, memoised per thread: a crawl extracts
  // page after page of the same seed.
  thread_local scan::StringMemo site_domains(scan::kMaxMemoHosts);
  const std::string site_domain = site_domains.Get(site, [&site]() -> std::string {
    Result<Url> u = urlfast::ParseUrlOrCurl(site);
    if (!u.ok()) return {};
    return u->host_is_ip ? u->host : scan::DomainOf(u->host);
  });

  Merger merger;
  for (const Page& page : pages) {
    merger.SetPage(&page.url);
    PageHints hints = BuildHints(page, ctx, site_domain);
    PageScanner(page, hints, opts, enabled, merger).Run();
  }
  return merger.Take();
}

}  // namespace dragnet::extractors
