#include "extractors/verdict.h"

#include <algorithm>
#include <map>
#include <set>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/text.h"
#include "core/url.h"
#include "extractors/signals/fields.h"

namespace dragnet::extractors {

namespace {

// ------------------------------------------------------------- helpers ---

std::string Cut(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

// A reason is one line of valid UTF-8 whatever the page held: evidence
// quoted from hostile bytes (a brand finding, a form label) may carry
// newlines, tabs or other control characters.
std::string OneLine(std::string_view s) {
  std::string out = ToText(s);
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

// Quotes of page content in a detail: short, single-line, valid UTF-8
// (RE2 matches may end inside a character of hostile bytes).
std::string QuoteSnippet(std::string_view s, size_t max = 80) {
  std::string folded = FoldText(s.substr(0, std::min<size_t>(s.size(), max * 2)));
  for (char& c : folded) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return Cut(folded, max);
}

std::string RegistrableOf(const std::string& url) {
  auto u = ParseUrl(url);
  if (!u.ok()) return "";
  return u->RegistrableDomain();
}

std::string JoinQuoted(const std::vector<std::string>& v, size_t max_items) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max_items; ++i) {
    if (i) out += ", ";
    out += "\"" + v[i] + "\"";
  }
  if (v.size() > max_items) out += ", +" + std::to_string(v.size() - max_items) + " more";
  return out;
}

std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// --------------------------------------------------- keyword evidence ---

struct KeywordHit {
  int term = 0;
  std::string field;
  std::string url;
};

// Distinct keyword terms per list, first place seen, over all pages.
struct KeywordIndex {
  // list -> field -> hits (distinct terms per field)
  std::map<int, std::map<std::string, std::vector<KeywordHit>>> by_list;
};

std::string FormContext(const Page& p) {
  std::string ctx;
  for (const Form& f : p.forms) {
    for (const FormInput& in : f.inputs) {
      ctx += in.name + " " + in.value + "\n";
    }
  }
  for (const AttrValue& a : p.attrs) {
    if (a.name == "placeholder" || a.name == "aria-label" || (a.tag == "button" && a.name == "value")) {
      ctx += a.value + "\n";
    }
  }
  return ctx;
}

std::string MetaText(const Page& p) {
  std::string t;
  for (const auto& [k, v] : p.meta) {
    if (k == "description" || k == "keywords" || k.rfind("og:", 0) == 0 || k.rfind("twitter:", 0) == 0) {
      t += v + "\n";
    }
  }
  return t;
}

KeywordIndex IndexKeywords(const RuleSet& rules, const std::vector<Page>& pages) {
  KeywordIndex idx;
  std::set<std::tuple<int, std::string, int>> seen;  // (list, field, term)
  const TermMatcher& m = rules.matcher();
  if (m.size() == 0) return idx;
  for (const Page& p : pages) {
    std::string alts;
    for (const Image& i : p.images) alts += i.alt + "\n";
    std::string url = p.url;
    for (char& c : url) {
      if (c == '/' || c == '.' || c == '-' || c == '_' || c == '?' || c == '=' || c == '&') c = ' ';
    }
    const std::pair<const char*, std::string> fields[] = {
        {"title", p.title}, {"text", p.text}, {"meta", MetaText(p)},
        {"form", FormContext(p)}, {"alt", alts}, {"url", url}};
    for (const auto& [field, raw] : fields) {
      if (raw.empty()) continue;
      for (const TermHit& h : m.Find(FoldText(raw))) {
        int list = rules.ListOfTerm(h.id);
        if (!seen.insert({list, field, h.id}).second) continue;
        idx.by_list[list][field].push_back(KeywordHit{h.id, field, p.url});
      }
    }
  }
  return idx;
}

// Where a keyword was seen, as a reader says it.
std::string FieldName(const std::string& field) {
  if (field == "title") return "the title";
  if (field == "text") return "the text";
  if (field == "meta") return "the description";
  if (field == "form") return "the form fields";
  if (field == "alt") return "the image descriptions";
  if (field == "url") return "the address";
  return field;
}

// ----------------------------------------------------------- conditions ---

struct Context {
  const RuleSet& rules;
  const VerdictInput& in;
  const std::vector<Page>& pages;
  const std::vector<Indicator>& indicators;
  KeywordIndex keywords;
  std::vector<FormFields> forms;  // what the forms ask for
  // Registrable domains of each form's page and action (parallel to forms):
  // parsed once, not once per rule.
  std::vector<std::pair<std::string, std::string>> form_domains;
  std::string brand;             // impersonated brand, empty when none
  int brand_strength = 0;
  std::string brand_sector;
  std::string brand_evidence;
  // False while testing whether a rule fires: conditions skip building their
  // evidence text, which is only needed for the rules that fire.
  bool want_evidence = true;
};

struct Outcome {
  bool hit = false;
  bool unknown = false;  // the fact could not be known: false even when negated
  std::string evidence;
};

Outcome EvalKeywords(const Context& cx, const Condition& c) {
  Outcome o;
  std::set<int> terms;
  std::vector<std::string> quoted;
  std::string first_place;
  for (int list : c.lists) {
    auto it = cx.keywords.by_list.find(list);
    if (it == cx.keywords.by_list.end()) continue;
    for (const std::string& field : c.in) {
      auto f = it->second.find(field);
      if (f == it->second.end()) continue;
      for (const KeywordHit& h : f->second) {
        if (!terms.insert(h.term).second) continue;
        // One quote per folded term (two lists may hold the same word).
        const std::string& q = cx.rules.matcher().term(h.term);
        if (std::find(quoted.begin(), quoted.end(), q) == quoted.end()) quoted.push_back(q);
        if (first_place.empty() && cx.want_evidence) first_place = FieldName(h.field) + " of " + h.url;
      }
    }
  }
  o.hit = static_cast<int>(quoted.size()) >= c.min;
  if (cx.want_evidence) o.evidence = quoted.empty() ? "no such words" : "words " + JoinQuoted(quoted, 6) + " in " + first_place;
  return o;
}

Outcome EvalIndicator(const Context& cx, const Condition& c) {
  Outcome o;
  std::vector<std::string> found;
  std::string page;
  int n = 0;
  for (const Indicator& ind : cx.indicators) {
    if (std::find(c.types.begin(), c.types.end(), ind.type) == c.types.end()) continue;
    ++n;
    if (!cx.want_evidence) continue;
    found.push_back(ind.type + " " + ind.value);
    if (page.empty() && !ind.pages.empty()) page = ind.pages.front();
  }
  o.hit = n >= c.min;
  if (!cx.want_evidence) return o;
  if (o.hit) {
    o.evidence = Join(std::vector<std::string>(found.begin(), found.begin() + std::min<size_t>(found.size(), 4)));
    if (found.size() > 4) o.evidence += ", +" + std::to_string(found.size() - 4) + " more";
    if (!page.empty()) o.evidence += " on " + page;
  } else {
    o.evidence = "no " + Join(c.types, "/") + " indicator";
  }
  return o;
}

Outcome EvalForm(const Context& cx, const Condition& c) {
  Outcome o;
  auto wants = [&](const char* f) { return std::find(c.fields.begin(), c.fields.end(), f) != c.fields.end(); };
  for (const Page& p : cx.pages) {
    std::string page_reg = RegistrableOf(p.url);
    for (const Form& f : p.forms) {
      bool kind = wants("any") || (wants("password") && f.has_password) || (wants("card") && f.has_card);
      if (!kind) continue;
      std::string action_reg = RegistrableOf(f.action);
      bool offsite = !f.action.empty() && action_reg != page_reg;
      if (c.offsite && !offsite) continue;
      o.hit = true;
      std::string what = f.has_password ? (f.has_card ? "password and card" : "password")
                                        : (f.has_card ? "card" : "");
      o.evidence = (what.empty() ? std::string("form") : what + " form") + " on " + p.url +
                   " posting (" + (f.method.empty() ? "get" : f.method) + ") to " + Cut(f.action, 200);
      if (offsite) o.evidence += " (another domain: " + (action_reg.empty() ? f.action.substr(0, f.action.find(':')) + ":" : action_reg) + ")";
      return o;
    }
  }
  o.evidence = std::string("no ") + (c.offsite ? "off-site " : "") + Join(c.fields, "/") + " form";
  return o;
}

// "a card number", ... as a sentence names it.
const char* FieldKindPhrase(int kind) {
  static const char* kPhrases[] = {"a password",          "a PIN",
                                   "a one-time code",     "a card number",
                                   "the card's security code or expiry",
                                   "a wallet recovery phrase", "a private key",
                                   "a national ID number", "a bank account number",
                                   "a voucher or gift-card code"};
  static_assert(sizeof(kPhrases) / sizeof(kPhrases[0]) == kFieldKindCount, "one phrase per field kind");
  return kind >= 0 && kind < static_cast<int>(kFieldKindCount) ? kPhrases[kind] : "data";
}

Outcome EvalAsks(const Context& cx, const Condition& c) {
  Outcome o;
  std::vector<int> wanted;
  for (const std::string& k : c.asks) wanted.push_back(FieldKindIndex(k));
  for (size_t fi = 0; fi < cx.forms.size(); ++fi) {
    const FormFields& ff = cx.forms[fi];
    int n = 0;
    for (const FieldHit& h : ff.hits) n += std::find(wanted.begin(), wanted.end(), h.kind) != wanted.end();
    if (n < c.min) continue;
    const Form& f = *ff.form;
    const std::string& page_reg = cx.form_domains[fi].first;
    const std::string& action_reg = cx.form_domains[fi].second;
    bool offsite = !f.action.empty() && action_reg != page_reg;
    if (c.offsite && !offsite) continue;
    o.hit = true;
    if (!cx.want_evidence) return o;
    std::vector<std::string> asked;
    for (const FieldHit& h : ff.hits) {
      if (std::find(wanted.begin(), wanted.end(), h.kind) == wanted.end()) continue;
      asked.push_back(std::string(FieldKindPhrase(h.kind)) + " (\"" + QuoteSnippet(h.quote, 40) + "\")");
    }
    o.evidence = "the form on " + Cut(ff.page->url, 200) + " asks for " + Join(asked) + " and sends it to " +
                 Cut(f.action, 200);
    if (offsite) {
      o.evidence += " (another site: " + (action_reg.empty() ? f.action.substr(0, f.action.find(':')) : action_reg) + ")";
    }
    return o;
  }
  o.evidence = "no form asking for " + Join(c.asks, "/");
  return o;
}

Outcome EvalConcealed(const Context& cx) {
  Outcome o;
  o.hit = !cx.in.concealed.empty();
  o.evidence = o.hit ? cx.in.concealed : "content readable";
  return o;
}

Outcome EvalOwnSite(const Context& cx) {
  Outcome o;
  o.hit = !cx.in.own_site_brand.empty();
  std::string url = cx.in.final_url.empty() ? cx.in.site_url : cx.in.final_url;
  o.evidence = o.hit ? Cut(url, 200) + " is on a registered domain of " + cx.in.own_site_brand
                     : "not a catalogue brand's domain";
  return o;
}

Outcome EvalBrand(const Context& cx, const Condition& c) {
  Outcome o;
  o.hit = !cx.brand.empty() &&
          (c.sectors.empty() || std::find(c.sectors.begin(), c.sectors.end(), cx.brand_sector) != c.sectors.end());
  o.evidence = o.hit ? cx.brand_evidence : "no brand impersonated";
  return o;
}

Outcome EvalLookalike(const Context& cx, const Condition& c) {
  Outcome o;
  for (const LookalikeFinding& f : cx.in.lookalikes) {
    if (!c.techniques.empty() &&
        std::find(c.techniques.begin(), c.techniques.end(), f.technique) == c.techniques.end()) {
      continue;
    }
    o.hit = true;
    o.evidence = f.technique + " of " + f.brand + " (" + f.brand_domain + "): " + f.detail;
    return o;
  }
  o.evidence = "no lookalike domain";
  return o;
}

Outcome EvalScript(const Context& cx, const Condition& c) {
  Outcome o;
  auto wants = [&](const char* f) { return std::find(c.in.begin(), c.in.end(), f) != c.in.end(); };
  std::vector<std::string> matched;
  std::string where;
  std::vector<bool> done(c.patterns.size(), false);
  for (const Page& p : cx.pages) {
    size_t budget = kMaxScriptScanBytes;
    const auto* set = static_cast<const RE2::Set*>(c.pattern_set.get());
    std::vector<int> which;
    auto scan = [&](std::string_view s) {
      if (!cx.want_evidence && static_cast<int>(matched.size()) >= c.min) return;
      s = s.substr(0, std::min(s.size(), budget));
      budget -= s.size();
      // One pass for all patterns; the single patterns only where one matched.
      which.clear();
      if (set != nullptr && !set->Match(re2::StringPiece(s.data(), s.size()), &which)) return;
      for (size_t i = 0; i < c.patterns.size(); ++i) {
        if (done[i]) continue;
        if (set != nullptr && std::find(which.begin(), which.end(), static_cast<int>(i)) == which.end()) continue;
        if (set != nullptr && !cx.want_evidence) {
          done[i] = true;
          matched.emplace_back();
          if (where.empty()) where = p.url;
          continue;
        }
        re2::StringPiece m;
        if (c.patterns[i]->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::UNANCHORED, &m, 1)) {
          done[i] = true;
          matched.push_back(cx.want_evidence ? QuoteSnippet(std::string_view(m.data(), m.size()), 60) : std::string());
          if (where.empty()) where = p.url;
        }
      }
    };
    for (const Script& s : p.scripts) {
      if (wants("inline") && s.src.empty()) scan(s.text);
      if (wants("src") && !s.src.empty()) scan(s.src);
    }
    if (wants("attrs")) {
      for (const AttrValue& a : p.attrs) scan(a.value);
    }
    if (wants("text")) scan(p.text);
  }
  o.hit = static_cast<int>(matched.size()) >= c.min;
  o.evidence = o.hit ? "script matches " + JoinQuoted(matched, 4) + " at " + where : "no script pattern";
  return o;
}

Outcome EvalUrl(const Context& cx, const Condition& c) {
  Outcome o;
  auto wants = [&](const char* f) { return std::find(c.in.begin(), c.in.end(), f) != c.in.end(); };
  const auto* set = static_cast<const RE2::Set*>(c.pattern_set.get());
  auto test = [&](const std::string& url, const std::string& what, const std::string& page) {
    if (o.hit || url.empty()) return;
    if (set != nullptr && !set->Match(url, nullptr)) return;
    for (const auto& re : c.patterns) {
      if (RE2::PartialMatch(url, *re)) {
        o.hit = true;
        o.evidence = what + " " + Cut(url, 200) + (page.empty() ? "" : " on " + page);
        return;
      }
    }
  };
  if (wants("page")) {
    test(cx.in.site_url, "site URL", "");
    test(cx.in.final_url, "final URL", "");
  }
  for (const Page& p : cx.pages) {
    if (wants("page")) test(p.url, "page URL", "");
    if (wants("links")) for (const auto& l : p.links) test(l, "link", p.url);
    if (wants("forms")) for (const auto& f : p.forms) test(f.action, "form action", p.url);
    if (wants("scripts")) for (const auto& s : p.scripts) test(s.src, "script", p.url);
    if (wants("iframes")) for (const auto& i : p.iframes) test(i, "iframe", p.url);
    if (wants("redirects")) {
      test(p.meta_refresh, "meta refresh to", p.url);
      for (const auto& r : p.js_redirects) test(r, "script redirect to", p.url);
    }
  }
  if (!o.hit) o.evidence = "no matching URL";
  return o;
}

Outcome EvalDomainAge(const Context& cx, const Condition& c) {
  Outcome o;
  std::optional<long> age = cx.in.domain_age_days;
  if (!age && cx.in.hosting) age = cx.in.hosting->domain.age_days;
  if (!age || *age < 0) {
    o.evidence = "domain age unknown";
    o.unknown = true;
    return o;
  }
  o.hit = *age >= c.min_days && (c.max_days == 0 || *age < c.max_days);
  std::string name = cx.in.hosting ? cx.in.hosting->domain.name : "";
  if (name.empty()) name = RegistrableOf(cx.in.final_url.empty() ? cx.in.site_url : cx.in.final_url);
  std::string range;
  if (c.min_days > 0) range += "at least " + std::to_string(c.min_days);
  if (c.max_days > 0) range += std::string(range.empty() ? "" : " and ") + "under " + std::to_string(c.max_days);
  o.evidence = "domain " + name + " registered " + std::to_string(*age) + " days ago" +
               (cx.in.hosting && !cx.in.hosting->domain.created.empty()
                    ? " (created " + cx.in.hosting->domain.created + ")"
                    : "") +
               (o.hit ? ", " : ", not ") + range;
  return o;
}

Outcome EvalTls(const Context& cx, const Condition& c) {
  Outcome o;
  auto wants = [&](const char* f) { return std::find(c.problems.begin(), c.problems.end(), f) != c.problems.end(); };
  std::string url = cx.in.final_url;
  if (url.empty() && !cx.pages.empty()) url = cx.pages.back().url;
  if (url.empty()) url = cx.in.site_url;
  if (wants("absent") && url.rfind("http://", 0) == 0) {
    o.hit = true;
    o.evidence = "served without TLS: " + url;
  } else if (wants("unverified") && cx.in.tls && cx.in.tls->present && !cx.in.tls->verified) {
    o.hit = true;
    o.evidence = "TLS certificate failed verification (" + cx.in.tls->verify_error + ") for " + url;
  } else {
    o.evidence = "TLS verified for " + url;
  }
  return o;
}

// Browser stage (#14): the site shows different things to different visitors.
Outcome EvalCloaking(const Context& cx) {
  Outcome o;
  if (!cx.in.cloaking) {
    o.unknown = true;
    return o;
  }
  o.hit = cx.in.cloaking->detected;
  o.evidence = o.hit ? "cloaking: " + cx.in.cloaking->detail : "every view saw the same site";
  return o;
}

Outcome Eval(const Context& cx, const Condition& c) {
  Outcome o;
  switch (c.kind) {
    case ConditionKind::kKeywords: o = EvalKeywords(cx, c); break;
    case ConditionKind::kIndicator: o = EvalIndicator(cx, c); break;
    case ConditionKind::kForm: o = EvalForm(cx, c); break;
    case ConditionKind::kBrand: o = EvalBrand(cx, c); break;
    case ConditionKind::kLookalike: o = EvalLookalike(cx, c); break;
    case ConditionKind::kScript: o = EvalScript(cx, c); break;
    case ConditionKind::kUrl: o = EvalUrl(cx, c); break;
    case ConditionKind::kDomainAge: o = EvalDomainAge(cx, c); break;
    case ConditionKind::kTls: o = EvalTls(cx, c); break;
    case ConditionKind::kAsks: o = EvalAsks(cx, c); break;
    case ConditionKind::kConcealed: o = EvalConcealed(cx); break;
    case ConditionKind::kOwnSite: o = EvalOwnSite(cx); break;
    case ConditionKind::kCloaking: o = EvalCloaking(cx); break;
  }
  if (c.negate && !o.unknown) o.hit = !o.hit;
  return o;
}

}  // namespace

// --------------------------------------------------------------- brands ---

std::vector<std::pair<std::string, int>> BrandStrengths(const BrandScoring& scoring,
                                                        const VerdictInput& input) {
  std::vector<std::string> order;
  std::map<std::string, std::set<std::string>> wheres;
  std::map<std::string, int> strength;
  for (const BrandFinding& f : input.brands) {
    if (!strength.count(f.brand)) order.push_back(f.brand), strength[f.brand] = 0;
    if (!wheres[f.brand].insert(f.where).second) continue;
    auto w = scoring.where_weight.find(f.where);
    strength[f.brand] += w == scoring.where_weight.end() ? 0 : w->second;
  }
  std::set<std::string> lookalike_seen;
  for (const LookalikeFinding& f : input.lookalikes) {
    if (!lookalike_seen.insert(f.brand).second) continue;
    if (!strength.count(f.brand)) order.push_back(f.brand), strength[f.brand] = 0;
    strength[f.brand] += scoring.lookalike;
  }
  std::vector<std::pair<std::string, int>> out;
  for (const auto& b : order) out.emplace_back(b, strength[b]);
  // Strongest first; on a tie, the brand whose domain the site imitates.
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return lookalike_seen.count(a.first) > lookalike_seen.count(b.first);
  });
  return out;
}

// ---------------------------------------------------------------- score ---

Verdict Score(const RuleSet& rules, const VerdictInput& input) {
  static const std::vector<Page> kNoPages;
  static const std::vector<Indicator> kNoIndicators;
  const std::vector<Page>& pages = input.pages ? *input.pages : kNoPages;
  const std::vector<Indicator>& indicators = input.indicators ? *input.indicators : kNoIndicators;

  Context cx{rules, input, pages, indicators, IndexKeywords(rules, pages), ClassifyForms(rules, pages), {}, "", 0, "", ""};
  for (const FormFields& ff : cx.forms) cx.form_domains.emplace_back(RegistrableOf(ff.page->url), RegistrableOf(ff.form->action));
  Verdict v;
  v.language = DetectLanguage(pages, input.final_url);

  auto strengths = BrandStrengths(rules.brand(), input);
  if (!strengths.empty() && strengths.front().second >= rules.brand().min_strength) {
    cx.brand = strengths.front().first;
    cx.brand_strength = strengths.front().second;
    // "PostNord is shown in the title, image descriptions and the domain
    // name (strength 12): <each finding's evidence>".
    static const std::map<std::string, std::string> kWhere = {
        {"title", "the title"},     {"text", "the text"},        {"form", "the form"},
        {"image_alt", "image descriptions"}, {"logo", "logo file names"}, {"favicon", "the favicon"},
        {"domain", "the domain name"}};
    std::vector<std::string> where, places;
    for (const BrandFinding& f : input.brands) {
      if (f.brand != cx.brand) continue;
      if (cx.brand_sector.empty()) cx.brand_sector = f.sector;
      auto w = kWhere.find(f.where);
      std::string name = w == kWhere.end() ? f.where : w->second;
      if (std::find(where.begin(), where.end(), name) == where.end()) where.push_back(name);
      places.push_back(f.evidence);
    }
    for (const LookalikeFinding& f : input.lookalikes) {
      if (f.brand != cx.brand) continue;
      if (cx.brand_sector.empty()) cx.brand_sector = f.sector;
      where.push_back("a look-alike domain");
      places.push_back(f.detail);
      break;
    }
    cx.brand_evidence = cx.brand + " is shown in " + Join(where) + " (strength " + std::to_string(cx.brand_strength) +
                        "): " + Join(places, "; ");
    v.brand_impersonated = cx.brand;
  }

  int total = 0;
  std::map<std::string, int> votes;
  std::vector<std::string> vote_order;
  for (const Rule& r : rules.rules()) {
    cx.want_evidence = false;
    bool fired = true;
    for (const Condition& c : r.conditions) {
      if (!Eval(cx, c).hit) {
        fired = false;
        break;
      }
    }
    if (!fired) continue;
    cx.want_evidence = true;
    std::vector<std::string> evidence;
    for (const Condition& c : r.conditions) {
      Outcome o = Eval(cx, c);
      evidence.push_back(c.negate ? "not (" + o.evidence + ")" : o.evidence);
    }
    total += r.weight;
    std::string detail = Join(evidence, "; ");
    if (!r.says.empty()) detail = r.says + ": " + detail;
    if (!detail.empty() && detail.back() != '.') detail += '.';
    v.reasons.push_back(Reason{r.name, r.weight, Cut(OneLine(detail), kMaxReasonDetailBytes)});
    if (!r.scam_type.empty() && r.weight > 0) {
      if (!votes.count(r.scam_type)) vote_order.push_back(r.scam_type);
      votes[r.scam_type] += r.weight;
    }
  }
  v.score = std::clamp(total, 0, 100);

  std::string type;
  int best = 0;
  for (const std::string& t : vote_order) {
    if (votes[t] > best) best = votes[t], type = t;
  }
  if (!input.reachable) {
    v.label = "unreachable";
    v.reasons.insert(v.reasons.begin(),
                     Reason{"unreachable", 0,
                            "no page could be fetched from " +
                                Cut(input.final_url.empty() ? input.site_url : input.final_url, 200)});
    v.scam_type = type;
    return v;
  }
  if (v.score >= rules.malicious_threshold()) v.label = "malicious";
  else if (v.score >= rules.suspicious_threshold()) v.label = "suspicious";
  else v.label = "benign";
  if (v.label != "benign") v.scam_type = type.empty() ? rules.default_scam_type() : type;
  return v;
}

}  // namespace dragnet::extractors
