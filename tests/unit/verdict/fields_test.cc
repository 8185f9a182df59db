// What forms ask for (extractors/signals/fields.h): field names, ids,
// placeholders, labels and autocomplete tokens in several languages, read
// through the shipped lexicons.
#include "extractors/signals/fields.h"

#include <gtest/gtest.h>

#include <set>

#include "extractors/page.h"

namespace dragnet::extractors {
namespace {

const RuleSet& Rules() {
  static const RuleSet rs = [] {
    auto r = RuleSet::Load(DRAGNET_SOURCE_DIR "/config/rules.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RuleSet();
  }();
  return rs;
}

std::set<std::string> Kinds(const std::string& html) {
  std::vector<Page> pages = {ParsePage(html, "https://x.example/")};
  std::set<std::string> out;
  for (const FormFields& f : ClassifyForms(Rules(), pages)) {
    for (size_t i = 0; i < kFieldKindCount; ++i) {
      if (f.kinds.test(i)) out.insert(FieldKinds()[i]);
    }
  }
  return out;
}

TEST(FieldsTest, SplitIdentifierWords) {
  EXPECT_EQ(SplitIdentifierWords("creditCardNumber"), "credit Card Number");
  EXPECT_EQ(SplitIdentifierWords("card_no"), "card no");
  EXPECT_EQ(SplitIdentifierWords("value(pswd)"), "value pswd ");
  EXPECT_EQ(SplitIdentifierWords("cc-exp2"), "cc exp2");
}

TEST(FieldsTest, MarkupSaysItOutright) {
  EXPECT_EQ(Kinds("<form><input type=password name=a></form>"), (std::set<std::string>{"password"}));
  EXPECT_EQ(Kinds("<form><input name=a1 autocomplete=cc-number><input name=a2 autocomplete='cc-exp'>"
                  "<input name=a3 autocomplete=one-time-code></form>"),
            (std::set<std::string>{"card_number", "card_security", "otp"}));
  // Hidden fields and buttons ask nothing.
  EXPECT_TRUE(Kinds("<form><input type=hidden name=password><input type=submit value=cvv></form>").empty());
}

TEST(FieldsTest, NamesPlaceholdersAndLabelsInManyLanguages) {
  EXPECT_EQ(Kinds("<form><label for=k>Kortnummer</label><input id=k name=f1><label>CVC</label><input name=f2></form>"),
            (std::set<std::string>{"card_number", "card_security"}));
  EXPECT_EQ(Kinds("<form><input placeholder='Số thẻ'><input placeholder='Mã OTP'></form>"),
            (std::set<std::string>{"card_number", "otp"}));
  EXPECT_EQ(Kinds("<form><input placeholder='Номер карты'><input placeholder='Код из SMS'></form>"),
            (std::set<std::string>{"card_number", "otp"}));
  EXPECT_EQ(Kinds("<form><input name=creditCardNumber><input name=pesel></form>"),
            (std::set<std::string>{"card_number", "national_id"}));
  EXPECT_EQ(Kinds("<form><input placeholder='暗証番号（4桁）'><input placeholder='ワンタイムパスワード'></form>"),
            (std::set<std::string>{"pin", "otp", "password"}));  // a one-time "password"
  // A label-less kit: the text just before the field names it.
  EXPECT_EQ(Kinds("<div>Kartennummer <input id=a2></div><div>Prüfnummer <input id=a4></div>"),
            (std::set<std::string>{"card_number", "card_security"}));
}

TEST(FieldsTest, SeedPhraseAsOneFieldOrTwelveWords) {
  EXPECT_EQ(Kinds("<form><textarea placeholder='Enter your Secret Recovery Phrase'></textarea></form>"),
            (std::set<std::string>{"seed_phrase"}));
  std::string twelve = "<p>Saisissez les 24 mots de votre phrase de récupération</p><form>";
  for (int i = 1; i <= 12; ++i) twelve += "<input name=w" + std::to_string(i) + ">";
  EXPECT_EQ(Kinds(twelve + "</form>"), (std::set<std::string>{"seed_phrase"}));
  // Twelve fields of a plain form without that story are not a seed form.
  std::string plain = "<form>";
  for (int i = 1; i <= 12; ++i) plain += "<input name=q" + std::to_string(i) + ">";
  EXPECT_TRUE(Kinds(plain + "</form>").empty());
}

TEST(FieldsTest, AParagraphBeforeAFieldIsNoLabel) {
  // The long text before a search box mentions "tax refund" and "card": not the field's label.
  EXPECT_TRUE(Kinds("<p>Enter your PAN and assessment year to view the status of your income tax refund, which is "
                    "credited to your pre-validated bank account and never to a card.</p><form><input name=ay></form>")
                  .empty());
}

}  // namespace
}  // namespace dragnet::extractors
