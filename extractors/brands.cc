#include "extractors/brands.h"

#include <climits>
#include <cstdint>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "core/fs.h"
#include "core/url.h"

namespace dragnet::extractors {

// ------------------------------------------------------------- loading ---

namespace {

const std::set<std::string>& Sectors() {
  static const std::set<std::string> s = {"bank",      "payments", "parcel",   "marketplace", "crypto",
                                          "government", "tech",    "telecom",  "streaming",   "identity",
                                          "charity",   "retail",   "energy",   "other"};
  return s;
}

class BrandFileError {
 public:
  explicit BrandFileError(std::string origin) : origin_(std::move(origin)) {}
  Status At(const toml::node& n, const std::string& msg) const {
    std::ostringstream os;
    os << "brands file '" << origin_ << "' line " << n.source().begin.line << ": " << msg;
    return InvalidArgument(os.str());
  }
  Status At(uint32_t line, const std::string& msg) const {
    std::ostringstream os;
    os << "brands file '" << origin_ << "' line " << line << ": " << msg;
    return InvalidArgument(os.str());
  }

 private:
  std::string origin_;
};

bool IsLowerHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status GetStringArray(const BrandFileError& err, const toml::table& t, const char* key,
                      const std::string& brand, std::vector<std::string>& out) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  const toml::array* a = n->as_array();
  if (!a) return err.At(*n, "brand '" + brand + "': '" + key + "' must be an array of strings");
  for (const toml::node& e : *a) {
    if (!e.is_string()) {
      return err.At(e, "brand '" + brand + "': '" + key + "' must be an array of strings");
    }
    out.push_back(*e.value<std::string>());
  }
  return Status::Ok();
}

}  // namespace

Result<BrandCatalog> BrandCatalog::Load(const std::string& path) {
  auto text = ReadFile(path, kMaxBrandsFileBytes);
  if (!text.ok()) {
    return Status(text.status().code(),
                  "brands file '" + path + "': " + text.status().message());
  }
  return Parse(*text, path);
}

Result<BrandCatalog> BrandCatalog::Parse(std::string_view toml_text, const std::string& origin) {
  BrandFileError err(origin);
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << "brands file '" << origin << "' line " << e.source().begin.line << " column "
       << e.source().begin.column << ": " << e.description();
    return InvalidArgument(os.str());
  }
  for (const auto& [k, v] : root) {
    if (k.str() != "brand") {
      return err.At(v, "unknown key '" + std::string(k.str()) + "' (expected [[brand]] tables)");
    }
  }
  BrandCatalog cat;
  const toml::node* list = root.get("brand");
  if (!list) return err.At(1, "no [[brand]] tables");
  const toml::array* arr = list->as_array();
  if (!arr || !arr->is_array_of_tables()) return err.At(*list, "'brand' must be [[brand]] tables");
  if (arr->size() > kMaxBrands) {
    return LimitExceeded("brands file '" + origin + "': more than " +
                         std::to_string(kMaxBrands) + " brands");
  }
  std::vector<std::string> terms;
  std::vector<std::string> logo_terms_all;
  std::set<std::string> names;
  for (const toml::node& node : *arr) {
    const toml::table& t = *node.as_table();
    static const std::set<std::string> known = {"name",       "domains",    "keywords",     "favicon_sha256",
                                                "country",    "sector",     "match_name",   "integrated",
                                                "logo_names", "favicon_mmh3", "user_content"};
    for (const auto& [k, v] : t) {
      if (!known.count(std::string(k.str()))) {
        return err.At(v, "unknown brand key '" + std::string(k.str()) + "'");
      }
    }
    Brand b;
    const toml::node* name = t.get("name");
    if (!name || !name->is_string() || name->value<std::string>()->empty()) {
      return err.At(node, "every [[brand]] needs a non-empty string 'name'");
    }
    b.name = *name->value<std::string>();
    if (!names.insert(b.name).second) return err.At(*name, "brand '" + b.name + "' listed twice");
    DRAGNET_RETURN_IF_ERROR(GetStringArray(err, t, "domains", b.name, b.domains));
    DRAGNET_RETURN_IF_ERROR(GetStringArray(err, t, "keywords", b.name, b.keywords));
    DRAGNET_RETURN_IF_ERROR(GetStringArray(err, t, "favicon_sha256", b.name, b.favicon_sha256));
    DRAGNET_RETURN_IF_ERROR(GetStringArray(err, t, "logo_names", b.name, b.logo_names));
    if (const toml::node* fm = t.get("favicon_mmh3")) {
      const toml::array* a = fm->as_array();
      if (!a) return err.At(*fm, "brand '" + b.name + "': 'favicon_mmh3' must be an array of integers");
      for (const toml::node& e : *a) {
        if (!e.is_integer() || *e.value<int64_t>() < INT32_MIN || *e.value<int64_t>() > INT32_MAX) {
          return err.At(e, "brand '" + b.name + "': 'favicon_mmh3' values are signed 32-bit integers");
        }
        b.favicon_mmh3.push_back(static_cast<int32_t>(*e.value<int64_t>()));
        cat.mmh3_owner_[b.favicon_mmh3.back()] = static_cast<int>(cat.brands_.size());
      }
    }
    if (b.domains.empty()) return err.At(node, "brand '" + b.name + "' has no 'domains'");
    for (const std::string& d : b.domains) {
      auto ascii = HostToAscii(d);
      if (!ascii.ok() || *ascii != d || RegistrableDomainOf(d) != d) {
        return err.At(*t.get("domains"), "brand '" + b.name + "': '" + d +
                                             "' is not a lowercase ASCII registrable domain");
      }
      auto [it, fresh] = cat.domain_owner_.emplace(d, static_cast<int>(cat.brands_.size()));
      if (!fresh) {
        return err.At(*t.get("domains"), "brand '" + b.name + "': domain '" + d +
                                             "' already belongs to '" +
                                             cat.brands_[static_cast<size_t>(it->second)].name + "'");
      }
    }
    for (std::string& h : b.favicon_sha256) {
      for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!IsLowerHex64(h)) {
        return err.At(*t.get("favicon_sha256"),
                      "brand '" + b.name + "': favicon hash '" + h + "' is not 64 hex digits");
      }
      cat.favicon_owner_[h] = static_cast<int>(cat.brands_.size());
    }
    if (const toml::node* c = t.get("country")) {
      if (!c->is_string()) return err.At(*c, "brand '" + b.name + "': 'country' must be a string");
      b.country = *c->value<std::string>();
      if (!b.country.empty() &&
          (b.country.size() != 2 || !std::isupper(static_cast<unsigned char>(b.country[0])) ||
           !std::isupper(static_cast<unsigned char>(b.country[1])))) {
        return err.At(*c, "brand '" + b.name + "': country '" + b.country +
                              "' is not an ISO 3166-1 alpha-2 code like \"SE\"");
      }
    }
    if (const toml::node* s = t.get("sector")) {
      if (!s->is_string() || !Sectors().count(*s->value<std::string>())) {
        return err.At(*s, "brand '" + b.name +
                              "': 'sector' must be one of bank, payments, parcel, marketplace, "
                              "crypto, government, tech, telecom, streaming, identity, charity, retail, "
                              "energy, other");
      }
      b.sector = *s->value<std::string>();
    }
    if (const toml::node* m = t.get("match_name")) {
      if (!m->is_boolean()) return err.At(*m, "brand '" + b.name + "': 'match_name' must be true or false");
      b.match_name = *m->value<bool>();
    }
    if (const toml::node* m = t.get("user_content")) {
      if (!m->is_boolean()) return err.At(*m, "brand '" + b.name + "': 'user_content' must be true or false");
      b.user_content = *m->value<bool>();
    }
    if (const toml::node* m = t.get("integrated")) {
      if (!m->is_boolean()) return err.At(*m, "brand '" + b.name + "': 'integrated' must be true or false");
      b.integrated = *m->value<bool>();
    }
    int idx = static_cast<int>(cat.brands_.size());
    if (b.match_name) {
      terms.push_back(b.name);
      cat.term_brand_.push_back(idx);
    }
    // Image file names: the name (letters and digits only: "J&T Express" is
    // "jnt-logo.png" or "jt_express.png" there), keywords and logo_names.
    {
      std::string squashed;
      for (char ch : b.name) {
        if (std::isalnum(static_cast<unsigned char>(ch)) || (static_cast<unsigned char>(ch) & 0x80)) squashed += ch;
      }
      std::vector<std::string> logo_terms = b.logo_names;
      if (b.match_name) logo_terms.push_back(b.name);
      if (b.match_name && !squashed.empty() && squashed != b.name) logo_terms.push_back(squashed);
      for (const std::string& k : b.keywords) logo_terms.push_back(k);
      for (const std::string& k : logo_terms) {
        if (k.empty()) return err.At(node, "brand '" + b.name + "': empty logo name");
        logo_terms_all.push_back(k);
        cat.logo_term_brand_.push_back(idx);
      }
    }
    for (const std::string& k : b.keywords) {
      if (k.empty()) return err.At(*t.get("keywords"), "brand '" + b.name + "': empty keyword");
      terms.push_back(k);
      cat.term_brand_.push_back(idx);
    }
    if (!b.match_name && b.keywords.empty()) {
      return err.At(node, "brand '" + b.name + "': match_name = false needs 'keywords'");
    }
    cat.brands_.push_back(std::move(b));
  }
  auto m = TermMatcher::Build(terms);
  if (!m.ok()) return InvalidArgument("brands file '" + origin + "': " + m.status().message());
  cat.matcher_ = std::move(*m);
  auto lm = TermMatcher::Build(logo_terms_all);
  if (!lm.ok()) return InvalidArgument("brands file '" + origin + "': " + lm.status().message());
  cat.logo_matcher_ = std::move(*lm);
  return cat;
}

int BrandCatalog::OwnerOf(const std::string& registrable_domain) const {
  auto it = domain_owner_.find(registrable_domain);
  return it == domain_owner_.end() ? -1 : it->second;
}

const Brand* BrandCatalog::Find(const std::string& name) const {
  for (const Brand& b : brands_) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

int BrandCatalog::BrandOfFaviconMmh3(int32_t mmh3) const {
  auto it = mmh3_owner_.find(mmh3);
  return it == mmh3_owner_.end() ? -1 : it->second;
}

int BrandCatalog::BrandOfFavicon(const std::string& sha256_hex) const {
  std::string h = sha256_hex;
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = favicon_owner_.find(h);
  return it == favicon_owner_.end() ? -1 : it->second;
}

// ------------------------------------------------------------ findings ---

namespace {

// Mentions of a brand in the text of a page asking for a password or card
// that make it the form's context. A shop's checkout names "PayPal" once or
// twice among payment options; a PayPal phishing page names it everywhere.
constexpr int kMinCredentialPageMentions = 3;

// Longest quote of page text kept in a finding's evidence.
constexpr size_t kMaxEvidenceQuoteBytes = 120;

// A short single-line quote: evidence ends up in one-line logs and reports.
std::string Quote(std::string_view s) {
  std::string out;
  if (s.size() <= kMaxEvidenceQuoteBytes) {
    out = std::string(s);
  } else {
    size_t n = kMaxEvidenceQuoteBytes;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    out = std::string(s.substr(0, n)) + "...";
  }
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

std::string RegistrableOfUrl(const std::string& url, const std::string& fallback) {
  auto u = ParseUrl(url);
  if (!u.ok()) return fallback;
  std::string r = RegistrableDomainOf(u->host);
  return r.empty() ? u->host : r;
}

bool OwnsDomain(const Brand& b, const std::string& registrable) {
  for (const std::string& d : b.domains) {
    if (d == registrable) return true;
  }
  return false;
}

class Collector {
 public:
  Collector(const BrandCatalog& cat) : cat_(cat) {}

  // Adds a finding unless (brand, where) is already there.
  void Add(int brand, const std::string& where, std::string evidence, const std::string& url) {
    if (!seen_.insert({brand, where}).second) return;
    const Brand& b = cat_.brands()[static_cast<size_t>(brand)];
    out_.push_back(BrandFinding{b.name, where, std::move(evidence), url, b.sector});
  }
  std::vector<BrandFinding> Take() { return std::move(out_); }

 private:
  const BrandCatalog& cat_;
  std::set<std::pair<int, std::string>> seen_;
  std::vector<BrandFinding> out_;
};

// Integrated brands without an anchor (title, favicon, domain): their
// findings become one `text` finding quoting the first of them.
std::vector<BrandFinding> CollapseIntegrated(const BrandCatalog& catalog, std::vector<BrandFinding> in) {
  std::set<std::string> anchored;
  for (const BrandFinding& f : in) {
    if (f.where == "title" || f.where == "favicon" || f.where == "domain") anchored.insert(f.brand);
  }
  std::vector<BrandFinding> out;
  std::set<std::string> collapsed;
  for (BrandFinding& f : in) {
    const Brand* b = catalog.Find(f.brand);
    if (b == nullptr || !b->integrated || anchored.count(f.brand)) {
      out.push_back(std::move(f));
      continue;
    }
    if (!collapsed.insert(f.brand).second) continue;
    f.evidence = "mentioned (" + f.where + "), as sites offering " + f.brand + " do: " + f.evidence;
    f.where = "text";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

std::vector<BrandFinding> FindBrands(const BrandCatalog& catalog, const std::vector<Page>& pages,
                                     const std::string& site_registrable_domain,
                                     const std::vector<std::string>& favicon_sha256,
                                     const std::vector<int32_t>& favicon_mmh3) {
  Collector col(catalog);
  const TermMatcher& m = catalog.matcher();
  auto foreign = [&](int brand, const std::string& registrable) {
    return !OwnsDomain(catalog.brands()[static_cast<size_t>(brand)], registrable);
  };

  for (const Page& page : pages) {
    std::string reg = RegistrableOfUrl(page.url, site_registrable_domain);
    // A catalog brand's own page: other brands only count where they would
    // be the page's identity (title, images), not where it offers them.
    const bool trusted = catalog.OwnerOf(reg) >= 0;

    std::string title = FoldText(page.title);
    for (const TermHit& h : m.Find(title)) {
      int b = catalog.BrandOfTerm(h.id);
      if (!foreign(b, reg)) continue;
      col.Add(b, "title", "'" + m.term(h.id) + "' in title \"" + Quote(page.title) + "\" at " + page.url,
              page.url);
    }

    std::string text = trusted ? std::string() : FoldText(page.text);
    std::vector<TermHit> text_hits = m.Find(text);
    for (const TermHit& h : text_hits) {
      int b = catalog.BrandOfTerm(h.id);
      if (!foreign(b, reg)) continue;
      // Quote a little context around the first mention.
      size_t from = h.begin > 40 ? h.begin - 40 : 0;
      while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
      col.Add(b, "text",
              "'" + m.term(h.id) + "' x" + std::to_string(h.count) + " in text \"..." +
                  Quote(std::string_view(text).substr(from)) + "\" at " + page.url,
              page.url);
    }

    // Form context: the form itself names the brand (action, field names,
    // preset values), or the page asks for a password or card and names the
    // brand in its title or text.
    const Form* credential_form = nullptr;
    for (const Form& f : page.forms) {
      if (trusted) break;
      if ((f.has_password || f.has_card) && credential_form == nullptr) credential_form = &f;
      std::string ctx = f.action;
      for (const FormInput& in : f.inputs) {
        ctx += ' ';
        ctx += in.name;
        ctx += ' ';
        ctx += in.value;
      }
      // URLs and field names glue words with punctuation: split them.
      for (char& c : ctx) {
        if (c == '/' || c == '.' || c == '-' || c == '_' || c == '?' || c == '=' || c == '&') c = ' ';
      }
      std::string fctx = FoldText(ctx);
      for (const TermHit& h : m.Find(fctx)) {
        int b = catalog.BrandOfTerm(h.id);
        if (!foreign(b, reg)) continue;
        col.Add(b, "form",
                "'" + m.term(h.id) + "' in form fields/action " + Quote(f.action) + " at " + page.url,
                page.url);
      }
    }
    if (credential_form != nullptr) {
      std::string kind = credential_form->has_password ? "password" : "card";
      for (const TermHit& h : text_hits) {
        int b = catalog.BrandOfTerm(h.id);
        if (h.count < kMinCredentialPageMentions || !foreign(b, reg)) continue;
        col.Add(b, "form",
                "page asking for a " + kind + " (form action " + Quote(credential_form->action) +
                    ") names '" + m.term(h.id) + "' " + std::to_string(h.count) + " times at " + page.url,
                page.url);
      }
      for (const TermHit& h : m.Find(title)) {
        int b = catalog.BrandOfTerm(h.id);
        if (!foreign(b, reg)) continue;
        col.Add(b, "form",
                "page asking for a " + kind + " (form action " + Quote(credential_form->action) +
                    ") names '" + m.term(h.id) + "' in its title at " + page.url,
                page.url);
      }
    }

    std::string alts;
    for (const Image& img : page.images) {
      if (img.alt.empty()) continue;
      alts += img.alt;
      alts += '\n';
    }
    std::string falts = FoldText(alts);
    for (const TermHit& h : m.Find(falts)) {
      int b = catalog.BrandOfTerm(h.id);
      if (!foreign(b, reg)) continue;
      col.Add(b, "image_alt", "'" + m.term(h.id) + "' in image alt text at " + page.url, page.url);
    }

    // Logos: brand words in the file names of images and of the favicon.
    std::string files;
    auto add_file = [&files](const std::string& url) {
      // The path only (the host is the `domain` finding's business).
      std::string_view path(url);
      size_t scheme = path.find("://");
      if (scheme != std::string_view::npos) {
        size_t slash = path.find('/', scheme + 3);
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
      }
      path = path.substr(0, path.find_first_of("?#"));
      // The last two segments: "/assets/swedbank/logo.svg" names it in the folder.
      size_t last = path.rfind('/');
      size_t from = (last == std::string_view::npos || last == 0) ? 0 : path.rfind('/', last - 1);
      std::string_view tail = path.substr(from == std::string_view::npos ? 0 : from);
      for (char c : tail) files += (c == '/' || c == '.' || c == '-' || c == '_' || c == '@') ? ' ' : c;
      files += '\n';
    };
    constexpr size_t kMaxLogoImages = 200;  // a gallery page's thousands of images add nothing
    for (size_t i = 0; i < page.images.size() && i < kMaxLogoImages; ++i) {
      if (!page.images[i].src.empty() && page.images[i].src.rfind("data:", 0) != 0) add_file(page.images[i].src);
    }
    if (!page.favicon.empty()) add_file(page.favicon);
    const TermMatcher& lm = catalog.logo_matcher();
    for (const TermHit& h : lm.Find(FoldText(files))) {
      int b = catalog.BrandOfLogoTerm(h.id);
      if (!foreign(b, reg)) continue;
      // A logo hosted on the brand's own domain is still copied onto this page.
      col.Add(b, "logo", "'" + lm.term(h.id) + "' in an image file name at " + page.url, page.url);
    }
  }

  for (const std::string& hash : favicon_sha256) {
    int b = catalog.BrandOfFavicon(hash);
    if (b < 0 || !foreign(b, site_registrable_domain)) continue;
    std::string url = pages.empty() ? "" : pages.front().favicon;
    col.Add(b, "favicon", "favicon sha256 " + hash + " is the brand's" + (url.empty() ? "" : " (" + url + ")"),
            url);
  }

  for (int32_t h : favicon_mmh3) {
    int b = catalog.BrandOfFaviconMmh3(h);
    if (b < 0 || !foreign(b, site_registrable_domain)) continue;
    std::string url = pages.empty() ? "" : pages.front().favicon;
    col.Add(b, "favicon", "favicon hash (mmh3 " + std::to_string(h) + ") is the brand's" + (url.empty() ? "" : " (" + url + ")"),
            url);
  }

  if (!site_registrable_domain.empty()) {
    // "dhl-tracking.top": hyphens and dots separate words in a domain name.
    std::string d = site_registrable_domain;
    for (char& c : d) {
      if (c == '-' || c == '.') c = ' ';
    }
    std::string fd = FoldText(d);
    for (const TermHit& h : m.Find(fd)) {
      int b = catalog.BrandOfTerm(h.id);
      if (!foreign(b, site_registrable_domain)) continue;
      col.Add(b, "domain", "'" + m.term(h.id) + "' in the site's domain " + site_registrable_domain,
              site_registrable_domain);
    }
  }
  return CollapseIntegrated(catalog, col.Take());
}

std::string OwnSiteBrand(const BrandCatalog& catalog, const std::string& registrable) {
  int b = catalog.OwnerOf(registrable);
  if (b < 0) return "";
  const Brand& brand = catalog.brands()[static_cast<size_t>(b)];
  return brand.user_content ? "" : brand.name;
}

std::vector<Indicator> BrandIndicators(const std::vector<BrandFinding>& findings) {
  std::vector<Indicator> out;
  std::map<std::string, size_t> slot;
  for (const BrandFinding& f : findings) {
    auto [it, fresh] = slot.emplace(f.brand, out.size());
    if (fresh) {
      Indicator ind;
      ind.type = "brand";
      ind.value = f.brand;
      ind.raw = f.brand;
      ind.source = f.where;
      ind.extra = nlohmann::json{{"where", nlohmann::json::array()},
                                 {"evidence", nlohmann::json::array()}};
      out.push_back(std::move(ind));
    }
    Indicator& ind = out[it->second];
    ++ind.count;
    ind.extra["where"].push_back(f.where);
    ind.extra["evidence"].push_back(f.evidence);
    if (!f.url.empty() && f.where != "domain" &&
        std::find(ind.pages.begin(), ind.pages.end(), f.url) == ind.pages.end()) {
      ind.pages.push_back(f.url);
    }
  }
  return out;
}

}  // namespace dragnet::extractors
