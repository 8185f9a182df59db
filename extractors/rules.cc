#include "extractors/rules.h"

#include <set>
#include <sstream>

#include <re2/re2.h>
#include <re2/set.h>
#include <toml++/toml.h>

#include "core/fs.h"

namespace dragnet::extractors {

const std::vector<std::string>& ScamTypes() {
  static const std::vector<std::string> t = {
      "phishing",    "investment",     "cryptocurrency", "shopping",
      "employment",  "tech_support",   "lottery",        "advance_fee",
      "government_impersonation",      "romance",        "charity", "extortion", "other"};
  return t;
}

const std::vector<std::string>& FieldKinds() {
  static const std::vector<std::string> k = {"password",      "pin",         "otp",         "card_number",
                                             "card_security", "seed_phrase", "private_key", "national_id",
                                             "bank_account",  "gift_card"};
  return k;
}

int RuleSet::ListIndex(std::string_view name) const {
  for (size_t i = 0; i < list_names_.size(); ++i) {
    if (list_names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

class Errors {
 public:
  explicit Errors(std::string origin) : origin_(std::move(origin)) {}
  Status At(const toml::node& n, const std::string& msg) const { return At(n.source().begin.line, msg); }
  Status At(uint32_t line, const std::string& msg) const {
    std::ostringstream os;
    os << "rules file '" << origin_ << "' line " << line << ": " << msg;
    return InvalidArgument(os.str());
  }

 private:
  std::string origin_;
};

// Checked reads from one TOML table, naming `what` ("rule 'x'") in errors.
class Reader {
 public:
  Reader(const Errors& err, const toml::table& t, std::string what)
      : err_(err), t_(t), what_(std::move(what)) {}

  const toml::node* Node(const char* key) {
    known_.insert(key);
    return t_.get(key);
  }
  Status Int(const char* key, int64_t& out, int64_t lo, int64_t hi) {
    const toml::node* n = Node(key);
    if (!n) return Status::Ok();
    if (!n->is_integer()) return err_.At(*n, what_ + ": '" + key + "' must be an integer");
    int64_t v = *n->value<int64_t>();
    if (v < lo || v > hi) {
      return err_.At(*n, what_ + ": '" + key + "' must be between " + std::to_string(lo) + " and " +
                             std::to_string(hi));
    }
    out = v;
    return Status::Ok();
  }
  Status Int(const char* key, int& out, int64_t lo, int64_t hi) {
    int64_t v = out;
    DRAGNET_RETURN_IF_ERROR(Int(key, v, lo, hi));
    out = static_cast<int>(v);
    return Status::Ok();
  }
  Status Str(const char* key, std::string& out) {
    const toml::node* n = Node(key);
    if (!n) return Status::Ok();
    if (!n->is_string()) return err_.At(*n, what_ + ": '" + key + "' must be a string");
    out = *n->value<std::string>();
    return Status::Ok();
  }
  Status Bool(const char* key, bool& out) {
    const toml::node* n = Node(key);
    if (!n) return Status::Ok();
    if (!n->is_boolean()) return err_.At(*n, what_ + ": '" + key + "' must be true or false");
    out = *n->value<bool>();
    return Status::Ok();
  }
  // Array of strings, each (when `allowed` is non-empty) one of `allowed`.
  Status Strings(const char* key, std::vector<std::string>& out,
                 const std::vector<std::string>& allowed = {}) {
    const toml::node* n = Node(key);
    if (!n) return Status::Ok();
    const toml::array* a = n->as_array();
    if (!a) return err_.At(*n, what_ + ": '" + key + "' must be an array of strings");
    out.clear();
    for (const toml::node& e : *a) {
      if (!e.is_string()) return err_.At(e, what_ + ": '" + key + "' must be an array of strings");
      std::string v = *e.value<std::string>();
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        std::string list;
        for (const auto& x : allowed) list += (list.empty() ? "" : ", ") + x;
        return err_.At(e, what_ + ": '" + key + "' value '" + v + "' is not one of " + list);
      }
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }
  Status Finish() const {
    for (const auto& [k, v] : t_) {
      if (!known_.count(std::string(k.str()))) {
        return err_.At(v, what_ + ": unknown key '" + std::string(k.str()) + "'");
      }
    }
    return Status::Ok();
  }
  const std::string& what() const { return what_; }

 private:
  const Errors& err_;
  const toml::table& t_;
  std::string what_;
  std::set<std::string> known_;
};

bool ValidRuleName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

const std::map<std::string, ConditionKind>& Kinds() {
  static const std::map<std::string, ConditionKind> k = {
      {"keywords", ConditionKind::kKeywords},   {"indicator", ConditionKind::kIndicator},
      {"form", ConditionKind::kForm},           {"brand", ConditionKind::kBrand},
      {"lookalike", ConditionKind::kLookalike}, {"script", ConditionKind::kScript},
      {"url", ConditionKind::kUrl},             {"domain_age", ConditionKind::kDomainAge},
      {"tls", ConditionKind::kTls},             {"asks", ConditionKind::kAsks},
      {"concealed", ConditionKind::kConcealed}, {"own_site", ConditionKind::kOwnSite},
      {"cloaking", ConditionKind::kCloaking}};
  return k;
}

Status ParsePatterns(const Errors& err, Reader& r, Condition& c, const toml::node& where) {
  const toml::node* n = r.Node("patterns");
  if (!n) return err.At(where, r.what() + ": needs 'patterns'");
  std::vector<std::string> texts;
  DRAGNET_RETURN_IF_ERROR(r.Strings("patterns", texts));
  if (texts.empty()) return err.At(*n, r.what() + ": 'patterns' is empty");
  for (const std::string& p : texts) {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(kMaxPatternMemory);
    auto re = std::make_shared<const RE2>(p, o);
    if (!re->ok()) {
      return err.At(*n, r.what() + ": pattern '" + p + "' does not compile: " + re->error());
    }
    c.patterns.push_back(std::move(re));
  }
  RE2::Options so;
  so.set_log_errors(false);
  so.set_max_mem(kMaxPatternMemory * static_cast<int64_t>(texts.size()));
  auto set = std::make_shared<RE2::Set>(so, RE2::UNANCHORED);
  for (const std::string& p : texts) {
    if (set->Add(p, nullptr) < 0) return err.At(*n, r.what() + ": pattern '" + p + "' does not compile in a set");
  }
  if (!set->Compile()) return err.At(*n, r.what() + ": patterns need more memory than kMaxPatternMemory allows");
  c.pattern_set = std::shared_ptr<const void>(set, set.get());
  return Status::Ok();
}

}  // namespace

namespace {

Result<toml::table> ParseToml(std::string_view text, const std::string& origin, const char* what) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << what << " file '" << origin << "' line " << e.source().begin.line << " column "
       << e.source().begin.column << ": " << e.description();
    return InvalidArgument(os.str());
  }
}

// The file a rules file names under `lexicons`, or "" when it names none.
std::string LexiconsName(const toml::table& root) {
  const toml::node* n = root.get("lexicons");
  return n && n->is_string() ? *n->value<std::string>() : std::string();
}

}  // namespace

Result<RuleSet> RuleSet::Load(const std::string& path) {
  auto text = ReadFile(path, kMaxRulesFileBytes);
  if (!text.ok()) {
    return Status(text.status().code(), "rules file '" + path + "': " + text.status().message());
  }
  auto root = ParseToml(*text, path, "rules");
  if (!root.ok()) return root.status();
  std::string lex = LexiconsName(*root);
  if (lex.empty()) return Parse(*text, path);
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  std::string lex_path = lex.front() == '/' ? lex : dir + "/" + lex;
  auto lex_text = ReadFile(lex_path, kMaxLexiconsFileBytes);
  if (!lex_text.ok()) {
    return Status(lex_text.status().code(), "rules file '" + path + "': lexicons file '" + lex_path +
                                                "': " + lex_text.status().message());
  }
  return Parse(*text, path, *lex_text, lex_path);
}

Result<RuleSet> RuleSet::Parse(std::string_view toml_text, const std::string& origin,
                               std::string_view lexicons_text, const std::string& lexicons_origin) {
  Errors err(origin);
  auto parsed = ParseToml(toml_text, origin, "rules");
  if (!parsed.ok()) return parsed.status();
  toml::table root = std::move(*parsed);
  for (const auto& [k, v] : root) {
    std::string key(k.str());
    if (key != "labels" && key != "brand" && key != "keywords" && key != "rule" && key != "lexicons") {
      return err.At(v, "unknown section '" + key + "' (expected lexicons, labels, brand, keywords, rule)");
    }
  }
  if (const toml::node* n = root.get("lexicons"); n && !n->is_string()) {
    return err.At(*n, "'lexicons' must be a file name");
  }
  // The lexicons file holds [keywords.*] only; its lists join the rules'.
  toml::table lexicons;
  if (!LexiconsName(root).empty()) {
    if (lexicons_origin.empty()) {
      return err.At(*root.get("lexicons"), "names a lexicons file, but none was read (use RuleSet::Load)");
    }
    auto lp = ParseToml(lexicons_text, lexicons_origin, "lexicons");
    if (!lp.ok()) return lp.status();
    lexicons = std::move(*lp);
    for (const auto& [k, v] : lexicons) {
      if (k.str() != "keywords") {
        return Errors(lexicons_origin).At(v, "unknown section '" + std::string(k.str()) + "' (a lexicons file holds [keywords.*] lists)");
      }
    }
  }
  RuleSet rs;

  // ---- [labels]
  if (const toml::node* n = root.get("labels")) {
    if (!n->is_table()) return err.At(*n, "'labels' must be a table");
    Reader r(err, *n->as_table(), "[labels]");
    DRAGNET_RETURN_IF_ERROR(r.Int("malicious", rs.malicious_, 1, 100));
    DRAGNET_RETURN_IF_ERROR(r.Int("suspicious", rs.suspicious_, 1, 100));
    DRAGNET_RETURN_IF_ERROR(r.Str("default_scam_type", rs.default_scam_type_));
    DRAGNET_RETURN_IF_ERROR(r.Finish());
    if (rs.suspicious_ > rs.malicious_) {
      return err.At(*n, "[labels]: 'suspicious' must not be above 'malicious'");
    }
    const auto& st = ScamTypes();
    if (std::find(st.begin(), st.end(), rs.default_scam_type_) == st.end()) {
      return err.At(*n, "[labels]: default_scam_type '" + rs.default_scam_type_ +
                            "' is not in the X-ARF vocabulary");
    }
  }

  // ---- [brand]
  if (const toml::node* n = root.get("brand")) {
    if (!n->is_table()) return err.At(*n, "'brand' must be a table");
    Reader r(err, *n->as_table(), "[brand]");
    DRAGNET_RETURN_IF_ERROR(r.Int("min_strength", rs.brand_.min_strength, 1, 1000));
    DRAGNET_RETURN_IF_ERROR(r.Int("lookalike", rs.brand_.lookalike, 0, 1000));
    if (const toml::node* w = r.Node("weights")) {
      if (!w->is_table()) return err.At(*w, "[brand]: 'weights' must be a table");
      Reader wr(err, *w->as_table(), "[brand.weights]");
      for (const char* where : {"title", "text", "form", "image_alt", "logo", "favicon", "domain"}) {
        DRAGNET_RETURN_IF_ERROR(wr.Int(where, rs.brand_.where_weight[where], 0, 1000));
      }
      DRAGNET_RETURN_IF_ERROR(wr.Finish());
    }
    DRAGNET_RETURN_IF_ERROR(r.Finish());
  }

  // ---- [keywords.*], from the rules file and then the lexicons file
  std::vector<std::string> terms, field_terms;
  std::map<std::string, int> list_index;
  Errors lex_err(lexicons_origin);
  for (int file = 0; file < 2; ++file) {
    const toml::node* n = (file == 0 ? root : lexicons).get("keywords");
    if (!n) continue;
    const Errors& kerr = file == 0 ? err : lex_err;
    if (!n->is_table()) return kerr.At(*n, "'keywords' must be a table of named lists");
    for (const auto& [name, lists] : *n->as_table()) {
      std::string lname(name.str());
      if (!ValidRuleName(lname)) return kerr.At(lists, "keyword list name '" + lname + "' must be [a-z0-9_]");
      if (!lists.is_table()) {
        return kerr.At(lists, "[keywords." + lname + "] must be a table of language = [terms]");
      }
      if (list_index.count(lname)) return kerr.At(lists, "keyword list '" + lname + "' defined twice");
      int idx = static_cast<int>(rs.list_names_.size());
      rs.list_names_.push_back(lname);
      list_index[lname] = idx;
      for (const auto& [lang, arr] : *lists.as_table()) {
        const toml::array* a = arr.as_array();
        if (!a) {
          return kerr.At(arr, "[keywords." + lname + "] " + std::string(lang.str()) +
                                 " must be an array of strings");
        }
        for (const toml::node& e : *a) {
          if (!e.is_string() || e.value<std::string>()->empty()) {
            return kerr.At(e, "[keywords." + lname + "] " + std::string(lang.str()) +
                                 " must hold non-empty strings");
          }
          if (lname.rfind("field_", 0) == 0) {
            field_terms.push_back(*e.value<std::string>());
            rs.field_term_list_.push_back(idx);
            continue;
          }
          terms.push_back(*e.value<std::string>());
          rs.term_list_.push_back(idx);
          rs.term_lang_.emplace_back(lang.str());
        }
      }
    }
  }
  auto m = TermMatcher::Build(terms);
  if (!m.ok()) return InvalidArgument("rules file '" + origin + "': " + m.status().message());
  rs.matcher_ = std::move(*m);
  auto fm = TermMatcher::Build(field_terms);
  if (!fm.ok()) return InvalidArgument("rules file '" + origin + "': " + fm.status().message());
  rs.field_matcher_ = std::move(*fm);

  // ---- [[rule]]
  const toml::node* rules = root.get("rule");
  if (!rules) return err.At(1, "no [[rule]] tables");
  const toml::array* arr = rules->as_array();
  if (!arr || !arr->is_array_of_tables()) return err.At(*rules, "'rule' must be [[rule]] tables");
  if (arr->size() > kMaxRules) {
    return LimitExceeded("rules file '" + origin + "': more than " + std::to_string(kMaxRules) + " rules");
  }
  std::set<std::string> names;
  for (const toml::node& node : *arr) {
    const toml::table& t = *node.as_table();
    Rule rule;
    Reader r(err, t, "rule");
    DRAGNET_RETURN_IF_ERROR(r.Str("name", rule.name));
    if (!ValidRuleName(rule.name)) {
      return err.At(node, "every [[rule]] needs a 'name' of [a-z0-9_] (got '" + rule.name + "')");
    }
    if (!names.insert(rule.name).second) return err.At(node, "rule '" + rule.name + "' defined twice");
    Reader rr(err, t, "rule '" + rule.name + "'");
    rr.Node("name");
    if (!t.get("weight")) return err.At(node, "rule '" + rule.name + "' needs a 'weight'");
    DRAGNET_RETURN_IF_ERROR(rr.Int("weight", rule.weight, -100, 100));
    DRAGNET_RETURN_IF_ERROR(rr.Str("scam_type", rule.scam_type));
    if (!rule.scam_type.empty()) {
      const auto& st = ScamTypes();
      if (std::find(st.begin(), st.end(), rule.scam_type) == st.end()) {
        return err.At(*t.get("scam_type"), "rule '" + rule.name + "': scam_type '" + rule.scam_type +
                                               "' is not in the X-ARF vocabulary");
      }
    }
    DRAGNET_RETURN_IF_ERROR(rr.Str("description", rule.description));
    DRAGNET_RETURN_IF_ERROR(rr.Str("says", rule.says));
    const toml::node* conds = rr.Node("if");
    if (!conds || !conds->is_array_of_tables() || conds->as_array()->empty()) {
      return err.At(node, "rule '" + rule.name + "' needs one or more [[rule.if]] conditions");
    }
    DRAGNET_RETURN_IF_ERROR(rr.Finish());

    for (const toml::node& cn : *conds->as_array()) {
      const toml::table& ct = *cn.as_table();
      Reader cr(err, ct, "rule '" + rule.name + "' condition");
      Condition c;
      std::string kind;
      DRAGNET_RETURN_IF_ERROR(cr.Str("kind", kind));
      auto k = Kinds().find(kind);
      if (k == Kinds().end()) {
        return err.At(cn, "rule '" + rule.name + "': unknown condition kind '" + kind +
                              "' (keywords, indicator, form, brand, lookalike, script, url, "
                              "domain_age, tls, asks, concealed, own_site)");
      }
      c.kind = k->second;
      DRAGNET_RETURN_IF_ERROR(cr.Bool("negate", c.negate));
      switch (c.kind) {
        case ConditionKind::kKeywords: {
          std::string list;
          std::vector<std::string> names;
          DRAGNET_RETURN_IF_ERROR(cr.Str("list", list));
          DRAGNET_RETURN_IF_ERROR(cr.Strings("lists", names));
          if (!list.empty()) names.insert(names.begin(), list);
          if (names.empty()) return err.At(cn, "rule '" + rule.name + "': keywords condition needs 'list' or 'lists'");
          for (const std::string& n : names) {
            auto li = list_index.find(n);
            if (li == list_index.end()) {
              return err.At(cn, "rule '" + rule.name + "': keyword list '" + n + "' is not defined under [keywords]");
            }
            c.lists.push_back(li->second);
          }
          c.list = c.lists.front();
          c.in = {"title", "text"};
          DRAGNET_RETURN_IF_ERROR(cr.Strings("in", c.in, {"title", "text", "meta", "form", "alt", "url"}));
          DRAGNET_RETURN_IF_ERROR(cr.Int("min", c.min, 1, 1000));
          break;
        }
        case ConditionKind::kIndicator:
          DRAGNET_RETURN_IF_ERROR(cr.Strings("types", c.types));
          if (c.types.empty()) return err.At(cn, "rule '" + rule.name + "': indicator condition needs 'types'");
          DRAGNET_RETURN_IF_ERROR(cr.Int("min", c.min, 1, 1000));
          break;
        case ConditionKind::kForm:
          c.fields = {"password", "card"};
          DRAGNET_RETURN_IF_ERROR(cr.Strings("fields", c.fields, {"password", "card", "any"}));
          DRAGNET_RETURN_IF_ERROR(cr.Bool("offsite", c.offsite));
          break;
        case ConditionKind::kBrand:
          DRAGNET_RETURN_IF_ERROR(cr.Strings("sectors", c.sectors));
          break;
        case ConditionKind::kLookalike:
          DRAGNET_RETURN_IF_ERROR(
              cr.Strings("techniques", c.techniques, {"homograph", "typo", "embedded", "tld_swap"}));
          break;
        case ConditionKind::kScript:
          c.in = {"inline"};
          DRAGNET_RETURN_IF_ERROR(cr.Strings("in", c.in, {"inline", "src", "attrs", "text"}));
          DRAGNET_RETURN_IF_ERROR(cr.Int("min", c.min, 1, 1000));
          DRAGNET_RETURN_IF_ERROR(ParsePatterns(err, cr, c, cn));
          break;
        case ConditionKind::kUrl:
          c.in = {"page", "links", "forms", "scripts", "iframes", "redirects"};
          DRAGNET_RETURN_IF_ERROR(
              cr.Strings("in", c.in, {"page", "links", "forms", "scripts", "iframes", "redirects"}));
          DRAGNET_RETURN_IF_ERROR(ParsePatterns(err, cr, c, cn));
          break;
        case ConditionKind::kDomainAge: {
          if (!ct.get("max_days") && !ct.get("min_days")) {
            return err.At(cn, "rule '" + rule.name + "': domain_age needs 'max_days' or 'min_days'");
          }
          int64_t hi = 0, lo = 0;
          DRAGNET_RETURN_IF_ERROR(cr.Int("max_days", hi, 1, 100000));
          DRAGNET_RETURN_IF_ERROR(cr.Int("min_days", lo, 0, 100000));
          if (hi != 0 && lo >= hi) {
            return err.At(cn, "rule '" + rule.name + "': domain_age min_days must be below max_days");
          }
          c.max_days = static_cast<long>(hi);
          c.min_days = static_cast<long>(lo);
          break;
        }
        case ConditionKind::kAsks:
          DRAGNET_RETURN_IF_ERROR(cr.Strings("fields", c.asks, FieldKinds()));
          if (c.asks.empty()) return err.At(cn, "rule '" + rule.name + "': asks condition needs 'fields'");
          DRAGNET_RETURN_IF_ERROR(cr.Int("min", c.min, 1, 100));
          DRAGNET_RETURN_IF_ERROR(cr.Bool("offsite", c.offsite));
          break;
        case ConditionKind::kConcealed:
        case ConditionKind::kOwnSite:
          break;
        case ConditionKind::kTls:
          c.problems = {"absent", "unverified"};
          DRAGNET_RETURN_IF_ERROR(cr.Strings("problems", c.problems, {"absent", "unverified"}));
          break;
        case ConditionKind::kCloaking:  // browser stage (#14): no keys
          break;
      }
      DRAGNET_RETURN_IF_ERROR(cr.Finish());
      rule.conditions.push_back(std::move(c));
    }
    rs.rules_.push_back(std::move(rule));
  }
  return rs;
}

}  // namespace dragnet::extractors
