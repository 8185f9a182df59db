#include "extractors/signals/fields.h"

#include <array>

#include "core/strings.h"
#include "extractors/language.h"

namespace dragnet::extractors {

static_assert(kFieldKindCount == 10, "FieldKinds() and kFieldKindCount disagree");

int FieldKindIndex(std::string_view kind) {
  const auto& k = FieldKinds();
  for (size_t i = 0; i < k.size(); ++i) {
    if (k[i] == kind) return static_cast<int>(i);
  }
  return -1;
}

std::string SplitIdentifierWords(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '(' || c == ')' || c == ':' ||
        c == '/' || c == '#') {
      out.push_back(' ');
      continue;
    }
    // camelCase boundary: a lowercase ASCII letter or digit followed by an uppercase one.
    if (i > 0 && c >= 'A' && c <= 'Z' &&
        ((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= '0' && s[i - 1] <= '9'))) {
      out.push_back(' ');
    }
    out.push_back(c);
  }
  return out;
}

namespace {

bool IsDataField(const FormInput& in) {
  static constexpr std::string_view kSkip[] = {"hidden", "submit", "button", "checkbox", "radio", "reset", "image", "file"};
  for (std::string_view t : kSkip) {
    if (in.type == t) return false;
  }
  return true;
}

// A short quote of what the field shows a person.
std::string QuoteOf(const FormInput& in) {
  for (const std::string* s : {&in.label, &in.placeholder, &in.aria_label, &in.name, &in.id}) {
    if (!s->empty()) return *s;
  }
  return in.type;
}

// Kinds the HTML states outright.
void FromMarkup(const FormInput& in, std::bitset<kFieldKindCount>& k) {
  static const int kPassword = FieldKindIndex("password"), kOtp = FieldKindIndex("otp"),
                   kCard = FieldKindIndex("card_number"), kSecurity = FieldKindIndex("card_security");
  if (in.type == "password") k.set(static_cast<size_t>(kPassword));
  const std::string& ac = in.autocomplete;
  if (ac.empty()) return;
  auto has = [&](std::string_view token) { return ac.find(token) != std::string::npos; };
  if (has("cc-number")) k.set(static_cast<size_t>(kCard));
  if (has("cc-csc") || has("cc-exp")) k.set(static_cast<size_t>(kSecurity));
  if (has("current-password") || has("new-password")) k.set(static_cast<size_t>(kPassword));
  if (has("one-time-code")) k.set(static_cast<size_t>(kOtp));
}

}  // namespace

std::vector<FormFields> ClassifyForms(const RuleSet& rules, const std::vector<Page>& pages) {
  std::vector<FormFields> out;
  // Keyword list of each field kind, and the reverse.
  std::array<int, kFieldKindCount> list_of{};
  std::vector<int> kind_of_list(rules.list_names().size(), -1);
  for (size_t k = 0; k < kFieldKindCount; ++k) {
    list_of[k] = rules.ListIndex("field_" + FieldKinds()[k]);
    if (list_of[k] >= 0) kind_of_list[static_cast<size_t>(list_of[k])] = static_cast<int>(k);
  }
  const TermMatcher& m = rules.field_matcher();
  const int seed = FieldKindIndex("seed_phrase");

  for (const Page& page : pages) {
    std::string page_text;  // folded lazily, for the one-word-per-field seed form
    for (const Form& form : page.forms) {
      FormFields ff;
      ff.page = &page;
      ff.form = &form;
      size_t word_fields = 0;
      for (const FormInput& in : form.inputs) {
        if (!IsDataField(in)) continue;
        if (in.type == "text" || in.type == "textarea" || in.type == "tel") ++word_fields;
        std::bitset<kFieldKindCount> k;
        FromMarkup(in, k);
        std::string desc;
        for (const std::string* s : {&in.name, &in.id, &in.placeholder, &in.aria_label, &in.label}) {
          if (s->empty()) continue;
          desc += SplitIdentifierWords(*s);
          desc += " \n ";
        }
        if (!desc.empty() && m.size() > 0) {
          for (const TermHit& h : m.Find(FoldText(desc))) {
            int list = rules.ListOfFieldTerm(h.id);
            if (list >= 0 && kind_of_list[static_cast<size_t>(list)] >= 0) {
              k.set(static_cast<size_t>(kind_of_list[static_cast<size_t>(list)]));
            }
          }
        }
        for (size_t i = 0; i < kFieldKindCount; ++i) {
          if (k.test(i) && !ff.kinds.test(i)) ff.hits.push_back({static_cast<int>(i), QuoteOf(in)});
        }
        ff.kinds |= k;
      }
      if (word_fields >= kMinSeedWordFields && !ff.kinds.test(static_cast<size_t>(seed)) &&
          list_of[static_cast<size_t>(seed)] >= 0) {
        if (page_text.empty()) page_text = FoldText(page.title + "\n" + page.text);
        // The page's story in the field list's words (matched here only: a
        // 12-field form is rare, so the field matcher runs over this text rarely).
        for (const TermHit& h : m.Find(page_text)) {
          if (rules.ListOfFieldTerm(h.id) != list_of[static_cast<size_t>(seed)]) continue;
          ff.kinds.set(static_cast<size_t>(seed));
          ff.hits.push_back({seed, std::to_string(word_fields) + " one-word fields under \"" + m.term(h.id) + "\""});
          break;
        }
      }
      if (ff.kinds.any()) out.push_back(std::move(ff));
    }
  }
  return out;
}

}  // namespace dragnet::extractors
