#include "extractors/indicators.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

#include "core/url.h"
#include "extractors/deobfuscate/budget.h"
#include "extractors/deobfuscate/layer.h"
#include "extractors/deobfuscate/text_obfuscation.h"
#include "extractors/platforms.h"
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
      &scan::kEmailFamily,    &scan::kPhoneFamily,    &scan::kCryptoFamily,    &scan::kIbanFamily,
      &scan::kCardFamily,     &scan::kTelegramFamily, &scan::kWhatsappFamily,  &scan::kLineFamily,
      &scan::kAnalyticsFamily, &scan::kUrlFamily,     &scan::kIpFamily};
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
  // Every indicator emitted from now on is sourced `label` (empty: as found).
  void SetLabel(const std::string* label) { label_ = label; }

  void Emit(const char* type, std::string_view value, std::string_view raw, const char* source) override {
    if (value.empty()) return;
    if (label_ != nullptr && !label_->empty()) source = label_->c_str();
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
  const std::string* label_ = nullptr;
  std::string key_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<Indicator> out_;
};


// Replaces the source of everything emitted through it (HTML that a script
// wrote is reported as found in the script, commented-out markup as found in
// a comment).
class SourceOverride : public scan::Emitter {
 public:
  SourceOverride(scan::Emitter& out, const char* source) : out_(out), source_(source) {}
  void Emit(const char* type, std::string_view value, std::string_view raw, const char*) override {
    out_.Emit(type, value, raw, source_);
  }

 private:
  scan::Emitter& out_;
  const char* source_;
};

// =================================================================== hints ===

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

std::string HostOf(const std::string& url) {
  size_t s = url.find("://");
  if (s == std::string::npos) return {};
  s += 3;
  size_t e = url.find_first_of(":/?#", s);
  if (s < url.size() && url[s] == '[') e = url.find(']', s) + 1;
  return url.substr(s, e == std::string::npos ? std::string::npos : e - s);
}

// Regions of the numbers the page writes in international form ("+84 912
// ...", tel:+46...): the page says which countries its numbers belong to.
// The first few only; each is a libphonenumber lookup (memoised).
void InternationalRegions(const Page& page, const std::function<void(std::string)>& add) {
  constexpr int kMaxNumbers = 8;
  int seen = 0;
  for (const AttrValue& a : page.attrs) {
    if (a.name != "href" || a.value.size() < 5) continue;
    std::string_view v = a.value;
    if (AsciiLower(v.substr(0, 4)) != "tel:") continue;
    std::string_view num = v.substr(4);
    if (!num.empty() && num.front() == '+') add(scan::RegionOfNumber(num));
    if (++seen >= kMaxNumbers) return;
  }
  std::string_view t = page.text;
  for (size_t p = t.find('+'); p != std::string_view::npos && seen < kMaxNumbers; p = t.find('+', p + 1)) {
    if (p + 1 >= t.size() || !scan::IsDigit(t[p + 1])) continue;
    if (p > 0 && scan::IsAlnum(t[p - 1])) continue;
    std::string digits = "+";
    size_t i = p + 1;
    while (i < t.size() && digits.size() < 17 && (scan::IsDigit(t[i]) || t[i] == ' ' || t[i] == '-' || t[i] == '.' ||
                                                  t[i] == '(' || t[i] == ')')) {
      if (scan::IsDigit(t[i])) digits.push_back(t[i]);
      ++i;
    }
    if (digits.size() < 8) continue;
    ++seen;
    static const PageHints kNoHints;
    add(scan::RegionOfNumber(scan::CachedE164(kNoHints, digits, "ZZ")));
  }
}

bool LoadsTagManager(const Page& page) {
  for (const Script& s : page.scripts) {
    std::string_view src = s.src;
    if (src.find("googletagmanager.") != std::string_view::npos ||
        src.find("google-analytics.") != std::string_view::npos) {
      return true;
    }
    std::string_view t = s.text;
    if (t.empty()) continue;
    for (std::string_view w : {"gtag(", "googletagmanager.", "google-analytics.", "GoogleAnalyticsObject", "dataLayer"}) {
      if (t.find(w) != std::string_view::npos) return true;
    }
  }
  return false;
}

PageHints BuildHints(const Page& page, const ExtractContext& ctx, const std::string& site_domain,
                     const Platforms* platforms) {
  PageHints h;
  h.page = &page;
  h.site_domain = site_domain;
  h.platforms = platforms;
  auto add = [&h](std::string r) {
    if (r.size() == 2 && h.phone_regions.size() < scan::kMaxPhoneRegions &&
        std::find(h.phone_regions.begin(), h.phone_regions.end(), r) == h.phone_regions.end()) {
      h.phone_regions.push_back(std::move(r));
    }
  };
  // 1. The page's own numbers in international form.
  InternationalRegions(page, add);
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
  // 4. The hosting country, 5. the impersonated brands' countries.
  add(Upper(ctx.region_hint));
  for (const std::string& c : ctx.brand_countries) add(Upper(c));
  // 6. The language's countries: the lang attribute's, or the detected
  // language's when the attribute says nothing (kits keep a template's
  // lang="en" on pages written in Vietnamese).
  std::vector<const char*> by_lang = scan::RegionsOfLanguage(primary);
  for (const char* r : by_lang) add(r);
  h.detect_language = (by_lang.empty() || primary == "en") && !page.text.empty();
  for (const Form& f : page.forms) h.card_form = h.card_form || f.has_card;
  h.analytics_snippet = LoadsTagManager(page);
  return h;
}

// ================================================================ scanning ===

class PageScanner final : public deob::RevealSink {
 public:
  PageScanner(const PageHints& hints, const ExtractOptions& opts, const std::vector<const Family*>& families,
              scan::Emitter& out, deob::DecodeBudget& budget, size_t* text_budget)
      : hints_(hints), opts_(opts), families_(families), out_(out), budget_(budget), text_budget_(text_budget),
        text_(text_budget), attrs_(text_budget), script_(text_budget) {}

  void ScanPage(const Page& page, int depth) {
    // "replace # with @": the page's own substitutes for "@" (its text says).
    std::string_view t = page.text;
    if (t.find('@') != std::string_view::npos || t.find("\xEF\xBC\xA0") != std::string_view::npos) {
      subs_ = deob::FindAtSubstitutes(t);
    }
    {
      deob::DecodeBudget::Timed timed(budget_);
      deob::Reveal(page, depth, budget_, *this);
    }
    ScanAll();
    for (const Family* f : families_) {
      if (f->on_page) f->on_page(page, hints_, out_);
    }
  }

  // A script file on its own (an external script).
  void ScanScript(const Page& page, std::string_view js) {
    {
      deob::DecodeBudget::Timed timed(budget_);
      deob::RevealScript(page, js, "script", 0, budget_, *this);
    }
    ScanAll();
  }

  bool text_full() const { return text_full_; }

  void Add(deob::Channel ch, std::string_view text, const char* source, const AttrValue* attr,
           std::string_view context) override {
    scan::SegmentBuilder& b = ch == deob::Channel::kText ? text_ : ch == deob::Channel::kAttributes ? attrs_ : script_;
    if (!b.Add(text, source, attr, context)) text_full_ = true;
  }

  void AddPage(const Page& sub, const char* source, int depth) override {
    PageHints h = hints_;
    h.page = &sub;
    h.analytics_snippet = hints_.analytics_snippet || LoadsTagManager(sub);
    for (const Form& f : sub.forms) h.card_form = h.card_form || f.has_card;
    SourceOverride ov(out_, source);
    PageScanner nested(h, opts_, families_, ov, budget_, text_budget_);
    nested.ScanPage(sub, depth);
    text_full_ = text_full_ || nested.text_full();
  }

 private:
  void ScanAll() {
    scan::SegmentBuilder normalized(text_budget_);
    ScanSegment(text_, &normalized, !subs_.empty());
    ScanSegment(attrs_, &normalized, false);
    ScanSegment(script_, &normalized, false);
    ScanSegment(normalized, nullptr, false);
  }

  // Scans one segment. With `normalized`, the pieces its kObfuscated triggers
  // flag (all of them with `all`) are also undone (text_obfuscation.h) and
  // added there, to be scanned after.
  void ScanSegment(const scan::SegmentBuilder& b, scan::SegmentBuilder* normalized, bool all) {
    if (b.empty()) return;
    scan::Segment seg = b.Build();
    // The thread's hit buffer, reused page after page; a nested scan (a
    // fragment scanned while this one is being built) gets its own.
    std::vector<Hit> hits;
    hits.swap(ThreadHits());
    hits.clear();
    if (scan::Scan(seg.text, hits) && !hits.empty()) {
      for (const Family* f : families_) {
        if (f->on_segment) f->on_segment(seg, hits, hints_, out_);
      }
    }
    if (normalized != nullptr) Normalize(seg, hits, *normalized, all);
    hits.swap(ThreadHits());
  }

  void Normalize(const scan::Segment& seg, const std::vector<Hit>& hits, scan::SegmentBuilder& out, bool all) {
    deob::DecodeBudget::Timed timed(budget_);
    size_t last = SIZE_MAX;  // the last piece done (hits come in order)
    std::string norm;
    auto undo = [&](size_t k) {
      if (k == last) return;
      last = k;
      const Piece& p = seg.pieces[k];
      auto [b, e] = seg.PieceBounds(p.start);
      std::string_view text = seg.text.substr(b, e > b ? e - b - 1 : 0);  // without its '\0'
      if (!budget_.TimeOk() || !deob::NormalizeObfuscatedText(text, subs_, norm)) return;
      if (budget_.Charge(norm.size()) && !out.Add(norm, p.source, p.attr, p.context)) text_full_ = true;
    };
    if (all) {
      for (size_t k = 0; k < seg.pieces.size(); ++k) undo(k);
      return;
    }
    for (const Hit& h : hits) {
      if (h.trigger != scan::kObfuscated) continue;
      const Piece& p = seg.PieceAt(h.end == 0 ? 0 : h.end - 1);
      undo(static_cast<size_t>(&p - seg.pieces.data()));
    }
  }

  static std::vector<Hit>& ThreadHits() {
    thread_local std::vector<Hit> hits;
    return hits;
  }

  const PageHints& hints_;
  const ExtractOptions& opts_;
  const std::vector<const Family*>& families_;
  scan::Emitter& out_;
  deob::DecodeBudget& budget_;
  size_t* text_budget_;
  scan::SegmentBuilder text_, attrs_, script_;
  std::vector<std::string> subs_;  // the page's stand-ins for "@" (FindAtSubstitutes)
  bool text_full_ = false;
};

deob::DecodeLimits LimitsOf(const ExtractOptions& o) {
  deob::DecodeLimits l;
  l.max_depth = o.max_decode_depth;
  l.max_output_bytes = static_cast<size_t>(std::max<int64_t>(0, o.max_decoded_bytes));
  l.max_string_bytes = static_cast<size_t>(std::max<int64_t>(0, o.max_decoded_string_bytes));
  l.max_time_us = o.decode_time_budget_ms * 1000;
  l.max_html_fragments = static_cast<size_t>(std::max(0, o.max_html_fragments));
  return l;
}

void Record(ExtractReport* report, const std::string& name) {
  if (report == nullptr) return;
  std::string full = "extract_" + name;
  if (std::find(report->limits_hit.begin(), report->limits_hit.end(), full) == report->limits_hit.end()) {
    report->limits_hit.push_back(std::move(full));
  }
}

// What every entry point shares: the families switched on and the site.
struct Setup {
  std::vector<const Family*> families;
  std::string site_domain;
  const Platforms* platforms = nullptr;
  std::shared_ptr<const Platforms> keep;  // the built-in list, when ctx has none
};

Setup Prepare(const std::string& first_url, const ExtractContext& ctx, const ExtractOptions& opts) {
  scan::WarmUp();
  Setup s;
  for (const Family* f : Registry()) {
    if (std::find(opts.disabled.begin(), opts.disabled.end(), f->name) == opts.disabled.end()) s.families.push_back(f);
  }
  std::string site = ctx.site_url.empty() ? first_url : ctx.site_url;
  // Url::RegistrableDomain of the site, memoised per thread: a crawl extracts
  // page after page of the same seed.
  thread_local scan::StringMemo site_domains(scan::kMaxMemoHosts);
  s.site_domain = site_domains.Get(site, [&site]() -> std::string {
    Result<Url> u = urlfast::ParseUrlOrCurl(site);
    if (!u.ok()) return {};
    return u->host_is_ip ? u->host : scan::DomainOf(u->host);
  });
  if (ctx.platforms != nullptr) {
    s.platforms = ctx.platforms;
  } else {
    s.keep = Platforms::Default();
    s.platforms = s.keep.get();
  }
  return s;
}

// Scans one page (or one script file, `script` non-null) into `merger`.
void ScanOne(const Page& page, const std::string_view* script, const ExtractContext& ctx, const ExtractOptions& opts,
             const Setup& setup, Merger& merger, ExtractReport* report) {
  merger.SetPage(&page.url);
  PageHints hints = BuildHints(page, ctx, setup.site_domain, setup.platforms);
  deob::DecodeBudget budget(LimitsOf(opts));
  size_t text_budget = opts.max_text_bytes > 0 ? static_cast<size_t>(opts.max_text_bytes) : 0;
  PageScanner scanner(hints, opts, setup.families, merger, budget, &text_budget);
  if (script != nullptr) scanner.ScanScript(page, *script);
  else scanner.ScanPage(page, 0);
  if (scanner.text_full()) Record(report, "text_bytes");
  for (const std::string& l : budget.limits_hit()) Record(report, l);
}

}  // namespace

std::vector<std::string> IndicatorFamilies() {
  std::vector<std::string> names;
  for (const Family* f : Registry()) names.emplace_back(f->name);
  return names;
}

std::vector<Indicator> ExtractIndicators(const std::vector<Page>& pages, const ExtractContext& ctx,
                                         const ExtractOptions& opts, ExtractReport* report) {
  const Setup setup = Prepare(pages.empty() ? std::string() : pages.front().url, ctx, opts);
  Merger merger;
  merger.SetLabel(&ctx.source_label);
  for (const Page& page : pages) ScanOne(page, nullptr, ctx, opts, setup, merger, report);
  return merger.Take();
}

std::vector<Indicator> ExtractScriptIndicators(const std::vector<ScriptFile>& scripts, const ExtractContext& ctx,
                                               const ExtractOptions& opts, ExtractReport* report) {
  const Setup setup = Prepare(scripts.empty() ? std::string() : scripts.front().url, ctx, opts);
  Merger merger;
  for (const ScriptFile& f : scripts) {
    // A page that is the script: its URL is where the indicators were seen,
    // its source text the one script.
    Page page;
    page.url = f.url;
    const std::string label = ctx.source_label.empty() ? "script:" + f.url : ctx.source_label;
    merger.SetLabel(&label);
    std::string_view js = f.text;
    ScanOne(page, &js, ctx, opts, setup, merger, report);
    merger.SetLabel(nullptr);
  }
  return merger.Take();
}

void MergeIndicators(std::vector<Indicator>& into, std::vector<Indicator> more) {
  std::unordered_map<std::string, size_t> at;
  auto key = [](const Indicator& i) { return i.type + '\0' + i.value; };
  for (size_t k = 0; k < into.size(); ++k) at.emplace(key(into[k]), k);
  for (Indicator& m : more) {
    auto it = at.find(key(m));
    if (it == at.end()) {
      at.emplace(key(m), into.size());
      into.push_back(std::move(m));
      continue;
    }
    Indicator& i = into[it->second];
    i.count += m.count;
    for (std::string& p : m.pages) {
      if (std::find(i.pages.begin(), i.pages.end(), p) == i.pages.end()) i.pages.push_back(std::move(p));
    }
  }
  std::sort(into.begin(), into.end(), [](const Indicator& a, const Indicator& b) {
    return a.type != b.type ? a.type < b.type : a.value < b.value;
  });
}

}  // namespace dragnet::extractors
