#pragma once
// What the forms of a site ask for: the verdict's language-independent view
// of a form.
//
// Each visible field (not hidden, submit, button, checkbox, radio, reset,
// image) is described by what a person or a browser sees of it: its name,
// id, placeholder, aria-label, label (core/model.h FormInput::label) and
// autocomplete token, split where programmers glue words ("creditCardNumber",
// "card_no") and folded (extractors/language.h). The description is matched
// against the keyword lists `field_<kind>` of the RuleSet, one per kind in
// FieldKinds() (password, pin, otp, card_number, card_security, seed_phrase,
// private_key, national_id, bank_account, gift_card), written in every
// language the lexicons hold. The HTML itself says some kinds outright:
// type=password; autocomplete cc-number, cc-csc, cc-exp*, current-password,
// new-password, one-time-code.
//
// A seed phrase is also asked for by a form of twelve or more text fields
// (one word each) on a page that speaks of recovery phrases.
//
// Pure function of its arguments; thread-safe.

#include <bitset>
#include <string>
#include <vector>

#include "core/model.h"
#include "extractors/rules.h"

namespace dragnet::extractors {

inline constexpr size_t kFieldKindCount = 10;
// Fields of one form that make a seed-phrase form out of one-word inputs.
inline constexpr size_t kMinSeedWordFields = 12;

struct FieldHit {
  int kind = 0;        // index into FieldKinds()
  std::string quote;   // what the field showed: its label, placeholder or name
};

struct FormFields {
  const Page* page = nullptr;
  const Form* form = nullptr;
  std::bitset<kFieldKindCount> kinds;
  std::vector<FieldHit> hits;  // first field of each kind, in field order
};

// One entry per form of `pages` that asks for at least one kind.
std::vector<FormFields> ClassifyForms(const RuleSet& rules, const std::vector<Page>& pages);

// Index of `kind` in FieldKinds(), or -1.
int FieldKindIndex(std::string_view kind);

// The words of a field description as the classifier matches them:
// "creditCardNumber" -> "credit card number", "card_no" -> "card no".
// Exposed for tests.
std::string SplitIdentifierWords(std::string_view s);

}  // namespace dragnet::extractors
