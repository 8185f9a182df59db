#pragma once
// RuleSet: the verdict's rules, loaded from config/rules.toml.
//
// Everything that decides a score is data: keyword lists in several
// languages, rule weights, the conditions of each rule, how brand findings
// add up to impersonation, and the label thresholds. The code only knows a
// handful of condition kinds; a rule fires when all its conditions hold
// (each may be negated) and adds its weight (negative weights allowed).
//
//   [labels]                 score thresholds (score >= malicious -> malicious, ...)
//   malicious = 60
//   suspicious = 30
//   default_scam_type = "other"   # label malicious/suspicious but no rule named a type
//
//   [brand]                  how FindBrands/FindLookalikes findings add up
//   min_strength = 4         # a brand whose strength reaches this is impersonated
//   lookalike = 3            # strength of a lookalike domain of the brand
//   [brand.weights]          # strength per place a brand was seen (once per place)
//   title = 3  text = 1  form = 3  image_alt = 2  favicon = 4  domain = 2
//
//   [keywords.urgency]       # named lists; keys are ISO 639-1 codes, for people
//   en = ["act now", "suspend*"]          # '*' = prefix; matched on folded text
//   sv = ["omedelbart", "spärr*"]
//
//   [[rule]]
//   name = "credential_form_brand"        # [a-z0-9_], unique
//   weight = 45                           # -100..100
//   scam_type = "phishing"                # optional, X-ARF vocabulary
//   description = "..."                   # optional, for people
//     [[rule.if]]                         # one or more conditions, all must hold
//     kind = "form"
//     fields = ["password", "card"]
//
// Condition kinds and their keys (all take `negate = true`):
//   keywords   list (name) or lists = [names] (their terms counted together),
//              in = [title,text,meta,form,alt,url] (default title,text),
//              min = distinct terms of the lists that must appear (default 1)
//   indicator  types = [...], min = distinct values (default 1)
//   form       fields = [password, card, any] (default password, card),
//              offsite = true: the form posts to another registrable domain
//   brand      a brand is impersonated; sectors = [...] to restrict
//   lookalike  the site's domain imitates a brand's; techniques = [...]
//   script     patterns = [RE2...], in = [inline, src, attrs, text] (default
//              inline; text: the page's visible text),
//              min = distinct patterns that must match (default 1)
//   url        patterns = [RE2...], in = [page, links, forms, scripts, iframes, redirects]
//   domain_age max_days / min_days: the domain's known age is below max_days
//              and at least min_days (either may be left out, not both);
//              an unknown age never matches, even negated
//   tls        problems = [absent, unverified]: the final page came over plain
//              http, or over TLS that failed verification
//   asks       fields = [password, pin, otp, card_number, card_security,
//              seed_phrase, private_key, national_id, bank_account,
//              gift_card]: one form asks for at least `min` (default 1) of
//              these kinds of data (field names, ids, placeholders, labels,
//              autocomplete, in any language through [keywords.field_<kind>]);
//              offsite = true: and posts them to another registrable domain
//              or a non-http target
//   own_site   the site is on a registrable domain of a catalogue brand
//              (VerdictInput::own_site_brand): the brand's own site
//   concealed  the page's content was hidden from us (body failed to decode,
//              unknown Content-Encoding, truncated): VerdictInput::concealed
//
//   cloaking   (no keys) the browser stage found the site showing different
//              things to different visitors (extractors/cloaking.h); unknown
//              (never matches, even negated) when the browser stage is off
//
// Each rule may carry `says = "..."`: the plain sentence a registrar reads
// in a report; the matched evidence follows it.
//
// Loaded once, immutable afterwards, safe to share between threads.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "extractors/language.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace dragnet::extractors {

// Largest rules file read, and most rules/patterns it may hold: written by
// people, anything bigger is a mistake.
inline constexpr uint64_t kMaxRulesFileBytes = 4 << 20;
// The same for the lexicons file it names.
inline constexpr uint64_t kMaxLexiconsFileBytes = 4 << 20;
inline constexpr size_t kMaxRules = 1000;
// RE2 program size cap per pattern (RE2's own default is 8 MiB of memory):
// a pattern this large is a typo, and it is compiled for every scan thread.
inline constexpr int64_t kMaxPatternMemory = 1 << 20;

enum class ConditionKind {
  kKeywords, kIndicator, kForm, kBrand, kLookalike, kScript, kUrl, kDomainAge, kTls, kAsks, kConcealed, kOwnSite, kCloaking
};

// What a form field asks for, as the field classifier (extractors/signals/
// fields.h) reads names, ids, placeholders, labels and autocomplete tokens
// through the `field_<kind>` keyword lists.
const std::vector<std::string>& FieldKinds();

struct Condition {
  ConditionKind kind = ConditionKind::kKeywords;
  bool negate = false;
  int list = -1;                          // keywords: index into RuleSet::list_names()
  std::vector<int> lists;                 // keywords: every list counted (list, or lists = [...])
  std::vector<std::string> in;            // keywords, script, url: where to look
  int min = 1;                            // keywords, indicator, script
  std::vector<std::string> types;         // indicator
  std::vector<std::string> fields;        // form
  bool offsite = false;                   // form
  std::vector<std::string> sectors;       // brand
  std::vector<std::string> techniques;    // lookalike
  std::vector<std::shared_ptr<const re2::RE2>> patterns;  // script, url
  // The same patterns as one RE2::Set (re2/set.h): one pass over a string
  // tells which of them match; the single patterns then quote the match.
  std::shared_ptr<const void> pattern_set;
  long max_days = 0;                      // domain_age, 0 = no upper bound
  long min_days = 0;                      // domain_age
  std::vector<std::string> problems;      // tls
  std::vector<std::string> asks;          // asks: field kinds (FieldKinds())
};

struct Rule {
  std::string name;
  int weight = 0;
  std::string scam_type;  // empty: no opinion
  std::string description;
  // The reason as a registrar reads it: one plain sentence, to which the
  // evidence is appended ("<says>: <evidence>."). Empty: the evidence only.
  std::string says;
  std::vector<Condition> conditions;
};

struct BrandScoring {
  std::map<std::string, int> where_weight = {{"title", 3}, {"text", 1}, {"form", 3},    {"image_alt", 2},
                                             {"logo", 2},  {"favicon", 4}, {"domain", 2}};
  int lookalike = 3;
  int min_strength = 4;
};

// The X-ARF vocabulary scam_type may take.
const std::vector<std::string>& ScamTypes();

class RuleSet {
 public:
  // A top-level `lexicons = "file.toml"` names a second file of [keywords.*]
  // lists, relative to the rules file's folder (the lists are long and
  // written by other people than the rules).
  static Result<RuleSet> Load(const std::string& path);
  // `lexicons_text`: the lexicons file's text when the rules name one
  // (Load reads it); errors when they name one and it is not given.
  static Result<RuleSet> Parse(std::string_view toml_text, const std::string& origin,
                               std::string_view lexicons_text = {}, const std::string& lexicons_origin = "");

  const std::vector<Rule>& rules() const { return rules_; }
  int malicious_threshold() const { return malicious_; }
  int suspicious_threshold() const { return suspicious_; }
  const std::string& default_scam_type() const { return default_scam_type_; }
  const BrandScoring& brand() const { return brand_; }

  // Every keyword of every page-text list in one matcher; term id -> list
  // index. The `field_*` lists (matched against form fields only) are in
  // field_matcher(), so short field words ("pin", "exp") cost nothing on page text.
  const TermMatcher& matcher() const { return matcher_; }
  int ListOfTerm(int term_id) const { return term_list_[static_cast<size_t>(term_id)]; }
  const TermMatcher& field_matcher() const { return field_matcher_; }
  int ListOfFieldTerm(int term_id) const { return field_term_list_[static_cast<size_t>(term_id)]; }
  const std::vector<std::string>& list_names() const { return list_names_; }
  // Index of the keyword list `name`, or -1.
  int ListIndex(std::string_view name) const;
  // The language key each term was listed under (for evidence).
  const std::string& LanguageOfTerm(int term_id) const { return term_lang_[static_cast<size_t>(term_id)]; }

 private:
  std::vector<Rule> rules_;
  int malicious_ = 60;
  int suspicious_ = 30;
  std::string default_scam_type_ = "other";
  BrandScoring brand_;
  TermMatcher matcher_;
  std::vector<int> term_list_;
  TermMatcher field_matcher_;
  std::vector<int> field_term_list_;
  std::vector<std::string> term_lang_;
  std::vector<std::string> list_names_;
};

}  // namespace dragnet::extractors
