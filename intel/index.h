#pragma once
// CampaignIndex: the inverted index of every case's identifiers and the
// campaigns they form, in its own SQLite file (<state_dir>/intel.db, WAL).
//
// Each case (intel/identifiers.h CaseFacts) is stored with its identifiers
// and their weights. When a case arrives, each of its linking identifiers
// (weight >= [intel] min_link_weight, not ignored, not owned by a brand) is
// looked up once: every case sharing a value is already in one campaign, so
// one row says which. Cost: O(identifiers of the new case) lookups, plus
// the re-labelling of the smaller campaigns when it links several (union by
// size, so a case is moved O(log n) times over its life). No full
// recomputation ever runs; the one exception is a campaign held together by
// a value later found on a brand's own site (its members, and only they,
// are re-clustered, since that value must stop linking).
//
// Campaign IDs are stable: "CP-" + 12 hex of SHA-256 of the identifier that
// founded it. When campaigns merge, the largest (then the oldest) keeps its
// ID and the others are recorded as merged into it: Resolve() and Get()
// follow them, so an ID once given out keeps answering. Every link is
// explainable: Get() lists each shared identifier with the cases sharing it.
//
// One instance belongs to one thread at a time; several processes may share
// the file (SQLite locking, busy timeout kBusyTimeoutMs). Add() is one
// transaction: a crash leaves the index as before or after the case.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "intel/identifiers.h"
#include "intel/options.h"

namespace dragnet::intel {

// A shared identifier and the cases it ties together.
struct LinkView {
  std::string type, value;
  int weight = 0;
  std::vector<std::string> cases;  // case IDs, sorted
};

struct MemberView {
  std::string case_id, seed, final_url, host, domain, registrar;
  std::vector<std::string> countries, ips;
  std::string label, scam_type, brand;
  int score = 0;
  int64_t first_ms = 0, last_ms = 0;
  std::string campaign_id;          // empty when the case links to no other
};

struct CampaignView {
  std::string campaign_id;
  std::vector<std::string> merged_from;  // IDs merged into this one (still resolvable)
  int64_t created_ms = 0, updated_ms = 0;
  int64_t first_ms = 0, last_ms = 0;     // first and last sighting of any member
  std::vector<MemberView> members;       // by case ID
  std::vector<LinkView> links;           // by (type, value)
  std::vector<std::string> domains, registrars, countries;  // sorted, unique
};

struct SearchHit {
  std::string case_id, seed, host, type, value, campaign_id, owned_by;
  int weight = 0;
  bool links = false;                    // this value can link cases (strong, not owned, not ignored)
};

struct AddOutcome {
  std::string campaign_id;               // empty: the case links to no other
  bool created = false;                  // a new campaign was founded by this case
  std::vector<std::string> merged;       // campaigns merged into campaign_id by this case
  std::vector<std::string> reclustered;  // campaigns re-clustered (a value became brand-owned)
};

class CampaignIndex {
 public:
  static constexpr int kBusyTimeoutMs = 10'000;
  // Longest merged_into chain followed by Resolve (each merge adds one link
  // to a chain only when the survivor later merges too; far below this).
  static constexpr int kMaxMergeChain = 1000;
  // Most hits Search returns, and the default of List.
  static constexpr int kMaxSearchHits = 10'000;

  static Result<std::unique_ptr<CampaignIndex>> Open(const std::string& path, const IntelOptions& options);
  ~CampaignIndex();
  CampaignIndex(const CampaignIndex&) = delete;
  CampaignIndex& operator=(const CampaignIndex&) = delete;

  // Stores (or replaces) the case's identifiers and links it.
  Result<AddOutcome> Add(const CaseFacts& facts);
  // The live campaign `id` stands for (itself, or what it was merged into);
  // kNotFound when it was never given out.
  Result<std::string> Resolve(const std::string& id);
  // Live campaigns, most recently updated first.
  Result<std::vector<CampaignView>> List(int limit = kMaxSearchHits);
  // One campaign by any ID it ever had.
  Result<CampaignView> Get(const std::string& id);
  // Every case carrying `value` (as given, or lowercased), of `type` when not empty.
  Result<std::vector<SearchHit>> Search(const std::string& value, const std::string& type,
                                        int limit = kMaxSearchHits);
  // The case as indexed; kNotFound when it never was.
  Result<MemberView> GetCase(const std::string& case_id);
  // Identifiers of a case, as stored.
  Result<std::vector<Identifier>> IdentifiersOfCase(const std::string& case_id);
  // Cases updated at or after since_ms (0: all), oldest first.
  Result<std::vector<std::string>> CasesSince(int64_t since_ms);
  // Whether `type`:`value` may link cases.
  Result<bool> Links(const std::string& type, const std::string& value, int weight);

 private:
  CampaignIndex(sqlite3* db, std::string path, IntelOptions o);
  Status Exec(const char* sql);
  Status Error(const std::string& what) const;
  Result<std::string> NewCampaignId(const std::string& type, const std::string& value);
  Status Recluster(const std::string& campaign_id, int64_t now_ms);
  Result<std::vector<MemberView>> Members(const std::string& campaign_id);
  Status AddLocked(const CaseFacts& f, AddOutcome& out);

  sqlite3* db_;
  std::string path_;
  IntelOptions options_;
  std::set<std::string> ignore_;   // "type\nvalue"
  std::set<std::string> owned_;    // "type\nvalue" from the config
};

}  // namespace dragnet::intel
