// The pure parts of TAXII 2.1 (web/taxii.h): which Accept headers are
// answered, date_added of SDOs and SCOs, paging by cursor when objects share
// a millisecond, added_after, match filters and refused parameters.
#include "web/taxii.h"

#include <gtest/gtest.h>

#include <set>

#include "core/clock.h"

namespace dragnet::web {
namespace {

using nlohmann::json;

json Sdo(const std::string& id, const std::string& modified) {
  return {{"type", id.substr(0, id.find("--"))}, {"id", id}, {"modified", modified}};
}

json Rel(const std::string& id, const std::string& from, const std::string& to, const std::string& modified) {
  return {{"type", "relationship"}, {"id", id}, {"source_ref", from}, {"target_ref", to}, {"modified", modified}};
}

// Three sites seen at T1, T2, T2 (two in the same millisecond), a wallet
// named by the first and the third.
json Bundle() {
  json objs = json::array();
  objs.push_back(Sdo("identity--00000000-0000-5000-8000-000000000000", "1970-01-01T00:00:00.000Z"));
  objs.push_back(Sdo("infrastructure--a0000000-0000-5000-8000-000000000001", "2026-12-01T10:00:00.000Z"));
  objs.push_back(Sdo("infrastructure--b0000000-0000-5000-8000-000000000002", "2026-12-02T10:00:00.000Z"));
  objs.push_back(Sdo("infrastructure--c0000000-0000-5000-8000-000000000003", "2026-12-02T10:00:00.000Z"));
  objs.push_back({{"type", "x-dragnet-wallet"}, {"id", "x-dragnet-wallet--d0000000-0000-5000-8000-000000000004"}});
  objs.push_back(Rel("relationship--e0000000-0000-5000-8000-000000000005",
                     "infrastructure--a0000000-0000-5000-8000-000000000001",
                     "x-dragnet-wallet--d0000000-0000-5000-8000-000000000004", "2026-12-01T10:00:00.000Z"));
  objs.push_back(Rel("relationship--f0000000-0000-5000-8000-000000000006",
                     "infrastructure--c0000000-0000-5000-8000-000000000003",
                     "x-dragnet-wallet--d0000000-0000-5000-8000-000000000004", "2026-12-02T10:00:00.000Z"));
  return {{"type", "bundle"}, {"id", "bundle--1"}, {"objects", objs}};
}

int64_t T(const char* s) { return *ParseRfc3339Ms(s); }

TEST(Taxii, AcceptsTheTaxii21MediaTypeAndWildcardsOnly) {
  EXPECT_TRUE(AcceptsTaxii(""));
  EXPECT_TRUE(AcceptsTaxii("application/taxii+json;version=2.1"));
  EXPECT_TRUE(AcceptsTaxii("application/taxii+json; version=2.1"));
  EXPECT_TRUE(AcceptsTaxii("application/taxii+json"));
  EXPECT_TRUE(AcceptsTaxii("text/html, application/TAXII+json;version=2.1;q=0.9"));
  EXPECT_TRUE(AcceptsTaxii("*/*"));
  EXPECT_TRUE(AcceptsTaxii("application/*"));
  EXPECT_FALSE(AcceptsTaxii("application/taxii+json;version=2.0"));
  EXPECT_FALSE(AcceptsTaxii("application/json"));
  EXPECT_FALSE(AcceptsTaxii("application/stix+json;version=2.1"));
  EXPECT_FALSE(AcceptsTaxii("text/html"));
}

TEST(Taxii, DateAddedIsModifiedOrTheLatestRelationshipNamingAnSco) {
  auto all = TaxiiObjects(Bundle());
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all[0].object["type"], "identity");
  EXPECT_EQ(all[0].added_ms, 0);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LE(all[i - 1].added_ms, all[i].added_ms);
    if (all[i - 1].added_ms == all[i].added_ms) {
      EXPECT_LT(all[i - 1].object["id"], all[i].object["id"]);
    }
  }
  for (const auto& o : all) {
    if (o.object["type"] == "x-dragnet-wallet") {
      EXPECT_EQ(o.added_ms, T("2026-12-02T10:00:00.000Z"));
    }
  }
}

TEST(Taxii, PagesByCursorWithoutLosingObjectsThatShareAMillisecond) {
  auto all = TaxiiObjects(Bundle());
  std::set<std::string> seen;
  TaxiiQuery q;
  q.limit = 2;
  int pages = 0;
  for (;;) {
    auto page = SelectTaxiiPage(all, q);
    ASSERT_TRUE(page.ok());
    ++pages;
    ASSERT_LE(page->objects.size(), 2u);
    for (const auto* o : page->objects) EXPECT_TRUE(seen.insert(o->object["id"]).second) << "twice: " << o->object;
    json env = TaxiiEnvelope(*page);
    EXPECT_EQ(env["more"], page->more);
    if (!page->more) {
      EXPECT_FALSE(env.contains("next"));
      break;
    }
    ASSERT_LT(pages, 10);
    auto next = ParseTaxiiQuery("", "2", env["next"], "", "");
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    q = *next;
  }
  EXPECT_EQ(seen.size(), all.size());
  EXPECT_EQ(pages, 4);
}

TEST(Taxii, AddedAfterIsStrictAndMatchFiltersByTypeAndId) {
  auto all = TaxiiObjects(Bundle());
  auto q = ParseTaxiiQuery("2026-12-01T10:00:00.000Z", "", "", "", "");
  ASSERT_TRUE(q.ok());
  auto page = SelectTaxiiPage(all, *q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 4u) << "two sites, the wallet and one relationship of the second day";
  for (const auto* o : page->objects) EXPECT_GT(o->added_ms, T("2026-12-01T10:00:00.000Z"));
  q = ParseTaxiiQuery("", "", "", "infrastructure,x-dragnet-wallet", "");
  page = SelectTaxiiPage(all, *q);
  EXPECT_EQ(page->objects.size(), 4u);
  q = ParseTaxiiQuery("", "", "", "", "infrastructure--b0000000-0000-5000-8000-000000000002");
  page = SelectTaxiiPage(all, *q);
  ASSERT_EQ(page->objects.size(), 1u);
  // Nothing newer: {"more": false} and no objects member.
  page = SelectTaxiiPage(all, *ParseTaxiiQuery("2030-01-01T00:00:00Z", "", "", "", ""));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(TaxiiEnvelope(*page), json({{"more", false}}));
}

TEST(Taxii, ObjectsNewerThanTheSettleCutAreHeldBack) {
  auto all = TaxiiObjects(Bundle());
  TaxiiQuery q;
  q.added_until_ms = T("2026-12-01T10:00:00.000Z");
  auto page = SelectTaxiiPage(all, q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 3u) << "the identity, the first site and its relationship";
  for (const auto* o : page->objects) EXPECT_LE(o->added_ms, q.added_until_ms);
  EXPECT_FALSE(page->more) << "held-back objects are not 'more' yet";
}

TEST(Taxii, RefusesBadParametersAndCapsTheLimit) {
  EXPECT_FALSE(ParseTaxiiQuery("yesterday", "", "", "", "").ok());
  EXPECT_FALSE(ParseTaxiiQuery("", "0", "", "", "").ok());
  EXPECT_FALSE(ParseTaxiiQuery("", "-3", "", "", "").ok());
  EXPECT_FALSE(ParseTaxiiQuery("", "10x", "", "", "").ok());
  EXPECT_FALSE(ParseTaxiiQuery("", "", "not-a-cursor", "", "").ok());
  EXPECT_FALSE(ParseTaxiiQuery("", "", "12_<script>", "", "").ok());
  auto q = ParseTaxiiQuery("", "999999", "", "", "");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, kTaxiiMaxLimit);
  std::string many;
  for (int i = 0; i < 101; ++i) many += "t" + std::to_string(i) + ",";
  EXPECT_FALSE(ParseTaxiiQuery("", "", "", many, "").ok()) << "match lists are capped";
}

TEST(Taxii, CollectionIdIsAFixedUuid) {
  std::string id = TaxiiCollectionId();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '5') << "version 5";
  EXPECT_EQ(id, TaxiiCollectionId());
  EXPECT_EQ(id, "5dc2465c-1992-52ba-bec6-3aa053856cb5") << "as docs/api.md gives it to partners";
}

}  // namespace
}  // namespace dragnet::web
