#include "intel/index.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <numeric>

#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "core/json.h"
#include "core/strings.h"

namespace dragnet::intel {
namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS intel_cases (
  case_id TEXT PRIMARY KEY, seed TEXT, final_url TEXT, host TEXT, domain TEXT, registrar TEXT,
  countries TEXT, ips TEXT, label TEXT, scam_type TEXT, brand TEXT, score INTEGER, own_brand TEXT,
  first_ms INTEGER, last_ms INTEGER, campaign_id TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS intel_cases_campaign ON intel_cases(campaign_id);
CREATE INDEX IF NOT EXISTS intel_cases_last ON intel_cases(last_ms);
CREATE TABLE IF NOT EXISTS idents (
  type TEXT NOT NULL, value TEXT NOT NULL, case_id TEXT NOT NULL, weight INTEGER NOT NULL,
  PRIMARY KEY (type, value, case_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idents_case ON idents(case_id);
CREATE INDEX IF NOT EXISTS idents_value ON idents(value);
CREATE TABLE IF NOT EXISTS owned (
  type TEXT NOT NULL, value TEXT NOT NULL, brand TEXT, PRIMARY KEY (type, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS campaigns (
  campaign_id TEXT PRIMARY KEY, created_ms INTEGER, updated_ms INTEGER, size INTEGER NOT NULL DEFAULT 0,
  merged_into TEXT, founded_by TEXT);
CREATE INDEX IF NOT EXISTS campaigns_updated ON campaigns(updated_ms);
CREATE INDEX IF NOT EXISTS campaigns_merged ON campaigns(merged_into);
)sql";

// A prepared statement, finalized on scope exit; Bind() in position order.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(const std::string& v) {
    sqlite3_bind_text(st_, ++pos_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int64_t v) {
    sqlite3_bind_int64(st_, ++pos_, v);
    return *this;
  }
  int Step() { return st_ ? sqlite3_step(st_) : SQLITE_ERROR; }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(st_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st_, col)))
             : std::string();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(st_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* st_ = nullptr;
  int rc_ = SQLITE_OK;
  int pos_ = 0;
};

std::string Key(const std::string& type, const std::string& value) { return type + "\n" + value; }

std::string ToJsonList(const std::vector<std::string>& v) { return DumpJson(nlohmann::json(v)); }

std::vector<std::string> FromJsonList(const std::string& s) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(s, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

const char* kMemberCols =
    "case_id, seed, final_url, host, domain, registrar, countries, ips, label, scam_type, brand, score, "
    "first_ms, last_ms, campaign_id";

MemberView ReadMember(const Stmt& s) {
  MemberView m;
  m.case_id = s.Text(0);
  m.seed = s.Text(1);
  m.final_url = s.Text(2);
  m.host = s.Text(3);
  m.domain = s.Text(4);
  m.registrar = s.Text(5);
  m.countries = FromJsonList(s.Text(6));
  m.ips = FromJsonList(s.Text(7));
  m.label = s.Text(8);
  m.scam_type = s.Text(9);
  m.brand = s.Text(10);
  m.score = static_cast<int>(s.Int(11));
  m.first_ms = s.Int(12);
  m.last_ms = s.Int(13);
  m.campaign_id = s.Text(14);
  return m;
}

// Union-find over member indexes, for Recluster.
struct Dsu {
  std::vector<size_t> parent, size;
  explicit Dsu(size_t n) : parent(n), size(n, 1) { std::iota(parent.begin(), parent.end(), size_t{0}); }
  size_t Find(size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (size[a] < size[b]) std::swap(a, b);
    parent[b] = a;
    size[a] += size[b];
  }
};

}  // namespace

// ------------------------------------------------------------------- open ---

CampaignIndex::CampaignIndex(sqlite3* db, std::string path, IntelOptions o)
    : db_(db), path_(std::move(path)), options_(std::move(o)) {
  auto split = [](const std::string& p) {
    auto c = p.find(':');
    return Key(p.substr(0, c), p.substr(c + 1));
  };
  for (const auto& p : options_.ignore) ignore_.insert(split(p));
  for (const auto& p : options_.owned) owned_.insert(split(p));
}

Result<std::unique_ptr<CampaignIndex>> CampaignIndex::Open(const std::string& path, const IntelOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return IoError("campaign index " + path + ": " + msg);
  }
  std::unique_ptr<CampaignIndex> x(new CampaignIndex(db, path, options));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  DRAGNET_RETURN_IF_ERROR(x->Exec("PRAGMA journal_mode=WAL"));
  // The index is derived from the cases (reporter.db); NORMAL in WAL mode
  // survives a process crash, and a power loss costs at most the last cases.
  DRAGNET_RETURN_IF_ERROR(x->Exec("PRAGMA synchronous=NORMAL"));
  DRAGNET_RETURN_IF_ERROR(x->Exec(kSchema));
  return x;
}

CampaignIndex::~CampaignIndex() { sqlite3_close(db_); }

Status CampaignIndex::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Unavailable("campaign index " + path_ + ": " + msg);
    if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) return Corrupt("campaign index " + path_ + ": " + msg);
    return IoError("campaign index " + path_ + ": " + msg);
  }
  return Status::Ok();
}

Status CampaignIndex::Error(const std::string& what) const {
  int rc = sqlite3_errcode(db_);
  std::string msg = "campaign index " + path_ + ": " + what + ": " + sqlite3_errmsg(db_);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Unavailable(msg);
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) return Corrupt(msg);
  return IoError(msg);
}

// ---------------------------------------------------------------- linking ---

Result<bool> CampaignIndex::Links(const std::string& type, const std::string& value, int weight) {
  if (weight < options_.min_link_weight) return false;
  std::string k = Key(type, value);
  if (ignore_.count(k) || owned_.count(k) || BuiltinUbiquitous(type, value)) return false;
  Stmt s(db_, "SELECT 1 FROM owned WHERE type = ? AND value = ?");
  s.Bind(type).Bind(value);
  int rc = s.Step();
  if (rc == SQLITE_ROW) return false;
  if (rc != SQLITE_DONE) return Error("owned lookup");
  return true;
}

Result<std::string> CampaignIndex::NewCampaignId(const std::string& type, const std::string& value) {
  // Bounded: a collision of 48-bit prefixes is rare; a split campaign
  // founded by the same value takes the next suffix.
  for (int n = 0; n < 1000; ++n) {
    std::string hex = Sha256Hex(Key(type, value) + (n ? "\n" + std::to_string(n) : "")).substr(0, 12);
    for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string id = "CP-" + hex;
    Stmt s(db_, "SELECT 1 FROM campaigns WHERE campaign_id = ?");
    s.Bind(id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return id;
    if (rc != SQLITE_ROW) return Error("campaign id lookup");
  }
  return Corrupt("campaign index " + path_ + ": no free campaign ID for " + type + " " + value);
}

Result<AddOutcome> CampaignIndex::Add(const CaseFacts& f) {
  if (f.case_id.empty()) return InvalidArgument("campaign index: a case without an ID cannot be indexed");
  DRAGNET_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  AddOutcome out;
  Status st = AddLocked(f, out);
  if (!st.ok()) {
    (void)Exec("ROLLBACK");
    return st;
  }
  DRAGNET_RETURN_IF_ERROR(Exec("COMMIT"));
  return out;
}

Status CampaignIndex::AddLocked(const CaseFacts& f, AddOutcome& out) {
  const int64_t now = f.seen_ms;
  // ---- what the index held of this case before ----
  std::string old_campaign;
  int64_t first_ms = now;
  bool known = false;
  {
    Stmt s(db_, "SELECT campaign_id, first_ms FROM intel_cases WHERE case_id = ?");
    s.Bind(f.case_id);
    int rc = s.Step();
    if (rc == SQLITE_ROW) {
      known = true;
      old_campaign = s.Text(0);
      first_ms = std::min(s.Int(1), now);
    } else if (rc != SQLITE_DONE) {
      return Error("case lookup");
    }
  }
  std::set<std::string> old_ids;
  if (known) {
    Stmt s(db_, "SELECT type, value FROM idents WHERE case_id = ?");
    s.Bind(f.case_id);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) old_ids.insert(Key(s.Text(0), s.Text(1)));
    if (rc != SQLITE_DONE) return Error("identifiers of case");
  }
  {
    Stmt s(db_,
           "INSERT INTO intel_cases (case_id, seed, final_url, host, domain, registrar, countries, ips, label, "
           "scam_type, brand, score, own_brand, first_ms, last_ms, campaign_id) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET "
           "seed = excluded.seed, final_url = excluded.final_url, host = excluded.host, domain = excluded.domain, "
           "registrar = excluded.registrar, countries = excluded.countries, ips = excluded.ips, "
           "label = excluded.label, scam_type = excluded.scam_type, brand = excluded.brand, "
           "score = excluded.score, own_brand = excluded.own_brand, first_ms = excluded.first_ms, "
           "last_ms = MAX(last_ms, excluded.last_ms)");
    s.Bind(f.case_id).Bind(f.seed).Bind(f.final_url).Bind(f.host).Bind(f.domain).Bind(f.registrar);
    s.Bind(ToJsonList(f.countries)).Bind(ToJsonList(f.ips)).Bind(f.label).Bind(f.scam_type).Bind(f.brand);
    s.Bind(int64_t{f.score}).Bind(f.own_brand).Bind(first_ms).Bind(now).Bind(old_campaign);
    if (s.Step() != SQLITE_DONE) return Error("store case");
  }

  // ---- values a brand owns: recorded once; a campaign they held together is re-clustered ----
  std::set<std::string> recluster;
  for (const Identifier& id : f.identifiers) {
    if (id.owned_by.empty() || id.weight < options_.min_link_weight) continue;
    Stmt s(db_, "INSERT OR IGNORE INTO owned (type, value, brand) VALUES (?, ?, ?)");
    s.Bind(id.type).Bind(id.value).Bind(id.owned_by);
    if (s.Step() != SQLITE_DONE) return Error("store owned value");
    if (sqlite3_changes(db_) == 0) continue;
    Stmt c(db_,
           "SELECT DISTINCT c.campaign_id FROM idents i JOIN intel_cases c ON c.case_id = i.case_id "
           "WHERE i.type = ? AND i.value = ? AND c.campaign_id != ''");
    c.Bind(id.type).Bind(id.value);
    int rc;
    while ((rc = c.Step()) == SQLITE_ROW) recluster.insert(c.Text(0));
    if (rc != SQLITE_DONE) return Error("campaigns of owned value");
  }

  // ---- the case's identifiers, replaced ----
  {
    Stmt d(db_, "DELETE FROM idents WHERE case_id = ?");
    d.Bind(f.case_id);
    if (d.Step() != SQLITE_DONE) return Error("clear identifiers");
  }
  std::set<std::string> new_ids;
  for (const Identifier& id : f.identifiers) {
    Stmt s(db_, "INSERT OR IGNORE INTO idents (type, value, case_id, weight) VALUES (?, ?, ?, ?)");
    s.Bind(id.type).Bind(id.value).Bind(f.case_id).Bind(int64_t{id.weight});
    if (s.Step() != SQLITE_DONE) return Error("store identifier");
    new_ids.insert(Key(id.type, id.value));
  }

  // ---- links: one lookup per linking identifier ----
  // Every case sharing a linking value is already in one campaign (or is
  // the only one with it), so one other case says where the value leads.
  std::set<std::string> campaigns;     // live campaigns this case links to
  std::set<std::string> singles;       // cases in no campaign it links to
  std::string founder_type, founder_value;
  for (const Identifier& id : f.identifiers) {
    auto links = Links(id.type, id.value, id.weight);
    if (!links.ok()) return links.status();
    if (!*links) continue;
    Stmt s(db_,
           "SELECT i.case_id, c.campaign_id FROM idents i JOIN intel_cases c ON c.case_id = i.case_id "
           "WHERE i.type = ? AND i.value = ? AND i.case_id != ? LIMIT 1");
    s.Bind(id.type).Bind(id.value).Bind(f.case_id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) continue;
    if (rc != SQLITE_ROW) return Error("identifier lookup");
    if (founder_type.empty()) {
      founder_type = id.type;
      founder_value = id.value;
    }
    std::string cp = s.Text(1);
    if (cp.empty()) {
      singles.insert(s.Text(0));
    } else {
      auto live = Resolve(cp);
      if (!live.ok()) return live.status();
      campaigns.insert(*live);
    }
  }
  if (!old_campaign.empty()) {
    auto live = Resolve(old_campaign);
    if (!live.ok()) return live.status();
    old_campaign = *live;
    // A re-scan whose identifiers changed may no longer tie the case to
    // the rest: its campaign is re-clustered after the union below.
    if (known && old_ids != new_ids) recluster.insert(old_campaign);
    campaigns.insert(old_campaign);
  }

  std::string target;
  if (campaigns.empty() && !singles.empty()) {
    auto id = NewCampaignId(founder_type, founder_value);
    if (!id.ok()) return id.status();
    target = *id;
    Stmt s(db_, "INSERT INTO campaigns (campaign_id, created_ms, updated_ms, size, founded_by) VALUES (?, ?, ?, 0, ?)");
    s.Bind(target).Bind(now).Bind(now).Bind(founder_type + ":" + founder_value);
    if (s.Step() != SQLITE_DONE) return Error("create campaign");
    out.created = true;
  } else if (!campaigns.empty()) {
    // Union by size: the largest campaign (then the oldest, then the
    // smallest ID) keeps its ID; the others are moved into it.
    int64_t best_size = -1, best_created = 0;
    for (const auto& cp : campaigns) {
      Stmt s(db_, "SELECT size, created_ms FROM campaigns WHERE campaign_id = ?");
      s.Bind(cp);
      if (s.Step() != SQLITE_ROW) return Error("campaign " + cp);
      int64_t size = s.Int(0), created = s.Int(1);
      if (size > best_size || (size == best_size && created < best_created)) {
        best_size = size;
        best_created = created;
        target = cp;
      }
    }
    for (const auto& cp : campaigns) {
      if (cp == target) continue;
      Stmt m(db_, "UPDATE intel_cases SET campaign_id = ? WHERE campaign_id = ?");
      m.Bind(target).Bind(cp);
      if (m.Step() != SQLITE_DONE) return Error("merge campaign " + cp);
      Stmt c(db_, "UPDATE campaigns SET merged_into = ?, size = 0, updated_ms = ? WHERE campaign_id = ?");
      c.Bind(target).Bind(now).Bind(cp);
      if (c.Step() != SQLITE_DONE) return Error("merge campaign " + cp);
      out.merged.push_back(cp);
    }
  }
  if (!target.empty()) {
    singles.insert(f.case_id);
    for (const auto& cid : singles) {
      Stmt s(db_, "UPDATE intel_cases SET campaign_id = ? WHERE case_id = ?");
      s.Bind(target).Bind(cid);
      if (s.Step() != SQLITE_DONE) return Error("join campaign");
    }
    Stmt s(db_,
           "UPDATE campaigns SET size = (SELECT COUNT(*) FROM intel_cases WHERE campaign_id = ?1), "
           "updated_ms = MAX(updated_ms, ?2) WHERE campaign_id = ?1");
    s.Bind(target).Bind(now);
    if (s.Step() != SQLITE_DONE) return Error("campaign size");
    out.campaign_id = target;
  }

  for (const auto& cp : recluster) {
    auto live = Resolve(cp);
    if (!live.ok()) return live.status();
    DRAGNET_RETURN_IF_ERROR(Recluster(*live, now));
    out.reclustered.push_back(*live);
  }
  if (!out.reclustered.empty()) {
    Stmt s(db_, "SELECT campaign_id FROM intel_cases WHERE case_id = ?");
    s.Bind(f.case_id);
    if (s.Step() != SQLITE_ROW) return Error("case campaign");
    out.campaign_id = s.Text(0);
  }
  return Status::Ok();
}

// Splits `campaign_id` into the groups its members still link into: the
// largest keeps the ID, other groups of two or more get new IDs (founded
// by a value they share), lone cases leave. O(identifiers of its members).
Status CampaignIndex::Recluster(const std::string& campaign_id, int64_t now_ms) {
  auto members = Members(campaign_id);
  if (!members.ok()) return members.status();
  const auto& m = *members;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < m.size(); ++i) index[m[i].case_id] = i;
  Dsu dsu(m.size());
  std::map<std::string, size_t> first_holder;           // linking value -> first member holding it
  std::map<size_t, std::pair<std::string, std::string>> shared;  // a root -> a value it shares
  Stmt s(db_,
         "SELECT i.type, i.value, i.case_id, i.weight FROM idents i JOIN intel_cases c ON c.case_id = i.case_id "
         "WHERE c.campaign_id = ? AND i.weight >= ? ORDER BY i.type, i.value");
  s.Bind(campaign_id).Bind(int64_t{options_.min_link_weight});
  std::vector<std::tuple<std::string, std::string, size_t>> pairs;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    std::string type = s.Text(0), value = s.Text(1);
    auto links = Links(type, value, static_cast<int>(s.Int(3)));
    if (!links.ok()) return links.status();
    if (!*links) continue;
    size_t who = index[s.Text(2)];
    auto [it, fresh] = first_holder.emplace(Key(type, value), who);
    if (!fresh) {
      dsu.Union(it->second, who);
      pairs.emplace_back(type, value, who);
    }
  }
  if (rc != SQLITE_DONE) return Error("identifiers of campaign " + campaign_id);
  for (const auto& [type, value, who] : pairs) shared.emplace(dsu.Find(who), std::make_pair(type, value));

  std::map<size_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < m.size(); ++i) groups[dsu.Find(i)].push_back(i);
  size_t keep = m.size();
  for (const auto& [root, g] : groups) {
    if (g.size() >= 2 && (keep == m.size() || g.size() > groups[keep].size())) keep = root;
  }
  for (const auto& [root, g] : groups) {
    std::string id;
    if (root == keep) {
      id = campaign_id;
    } else if (g.size() >= 2) {
      const auto& [type, value] = shared[root];
      auto nid = NewCampaignId(type, value);
      if (!nid.ok()) return nid.status();
      id = *nid;
      Stmt c(db_, "INSERT INTO campaigns (campaign_id, created_ms, updated_ms, size, founded_by) VALUES (?, ?, ?, 0, ?)");
      c.Bind(id).Bind(now_ms).Bind(now_ms).Bind(type + ":" + value);
      if (c.Step() != SQLITE_DONE) return Error("split campaign");
    }
    for (size_t i : g) {
      Stmt u(db_, "UPDATE intel_cases SET campaign_id = ? WHERE case_id = ?");
      u.Bind(id).Bind(m[i].case_id);
      if (u.Step() != SQLITE_DONE) return Error("split campaign");
    }
    if (!id.empty()) {
      Stmt z(db_, "UPDATE campaigns SET size = ?, updated_ms = MAX(updated_ms, ?) WHERE campaign_id = ?");
      z.Bind(static_cast<int64_t>(g.size())).Bind(now_ms).Bind(id);
      if (z.Step() != SQLITE_DONE) return Error("split campaign");
    }
  }
  if (keep == m.size()) {  // nothing links any more: the ID stays known, empty
    Stmt z(db_, "UPDATE campaigns SET size = 0, updated_ms = MAX(updated_ms, ?) WHERE campaign_id = ?");
    z.Bind(now_ms).Bind(campaign_id);
    if (z.Step() != SQLITE_DONE) return Error("empty campaign");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- queries ---

Result<std::string> CampaignIndex::Resolve(const std::string& id) {
  std::string cur = id;
  for (int hop = 0; hop < kMaxMergeChain; ++hop) {
    Stmt s(db_, "SELECT merged_into FROM campaigns WHERE campaign_id = ?");
    s.Bind(cur);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return NotFound("no campaign " + id);
    if (rc != SQLITE_ROW) return Error("resolve campaign");
    if (s.IsNull(0) || s.Text(0).empty()) return cur;
    cur = s.Text(0);
  }
  return Corrupt("campaign index " + path_ + ": campaign " + id + " merges in a chain longer than " +
                 std::to_string(kMaxMergeChain));
}

Result<std::vector<MemberView>> CampaignIndex::Members(const std::string& campaign_id) {
  std::string sql = std::string("SELECT ") + kMemberCols + " FROM intel_cases WHERE campaign_id = ? ORDER BY case_id";
  Stmt s(db_, sql.c_str());
  s.Bind(campaign_id);
  std::vector<MemberView> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadMember(s));
  if (rc != SQLITE_DONE) return Error("members of " + campaign_id);
  return out;
}

Result<CampaignView> CampaignIndex::Get(const std::string& id) {
  auto live = Resolve(id);
  if (!live.ok()) return live.status();
  CampaignView v;
  v.campaign_id = *live;
  {
    Stmt s(db_, "SELECT created_ms, updated_ms FROM campaigns WHERE campaign_id = ?");
    s.Bind(v.campaign_id);
    if (s.Step() != SQLITE_ROW) return Error("campaign " + v.campaign_id);
    v.created_ms = s.Int(0);
    v.updated_ms = s.Int(1);
  }
  {
    Stmt s(db_, "SELECT campaign_id FROM campaigns WHERE merged_into = ? ORDER BY campaign_id");
    s.Bind(v.campaign_id);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) v.merged_from.push_back(s.Text(0));
    if (rc != SQLITE_DONE) return Error("merged campaigns");
  }
  auto members = Members(v.campaign_id);
  if (!members.ok()) return members.status();
  v.members = std::move(members).value();
  std::set<std::string> domains, registrars, countries;
  for (const auto& m : v.members) {
    if (!m.domain.empty()) domains.insert(m.domain);
    if (!m.registrar.empty()) registrars.insert(m.registrar);
    countries.insert(m.countries.begin(), m.countries.end());
    v.first_ms = v.first_ms == 0 ? m.first_ms : std::min(v.first_ms, m.first_ms);
    v.last_ms = std::max(v.last_ms, m.last_ms);
  }
  v.domains.assign(domains.begin(), domains.end());
  v.registrars.assign(registrars.begin(), registrars.end());
  v.countries.assign(countries.begin(), countries.end());

  Stmt s(db_,
         "SELECT i.type, i.value, i.weight, i.case_id FROM idents i JOIN intel_cases c ON c.case_id = i.case_id "
         "WHERE c.campaign_id = ? AND i.weight >= ? ORDER BY i.type, i.value, i.case_id");
  s.Bind(v.campaign_id).Bind(int64_t{options_.min_link_weight});
  int rc;
  LinkView cur;
  auto flush = [&]() -> Status {
    if (cur.cases.size() >= 2) {
      auto links = Links(cur.type, cur.value, cur.weight);
      if (!links.ok()) return links.status();
      if (*links) v.links.push_back(cur);
    }
    return Status::Ok();
  };
  while ((rc = s.Step()) == SQLITE_ROW) {
    std::string type = s.Text(0), value = s.Text(1);
    if (type != cur.type || value != cur.value) {
      DRAGNET_RETURN_IF_ERROR(flush());
      cur = LinkView{type, value, static_cast<int>(s.Int(2)), {}};
    }
    cur.cases.push_back(s.Text(3));
  }
  if (rc != SQLITE_DONE) return Error("links of " + v.campaign_id);
  DRAGNET_RETURN_IF_ERROR(flush());
  return v;
}

Result<std::vector<CampaignView>> CampaignIndex::List(int limit) {
  std::vector<std::string> ids;
  {
    Stmt s(db_,
           "SELECT campaign_id FROM campaigns WHERE merged_into IS NULL AND size >= 2 "
           "ORDER BY updated_ms DESC, campaign_id LIMIT ?");
    s.Bind(int64_t{limit});
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) ids.push_back(s.Text(0));
    if (rc != SQLITE_DONE) return Error("list campaigns");
  }
  std::vector<CampaignView> out;
  for (const auto& id : ids) {
    auto v = Get(id);
    if (!v.ok()) return v.status();
    out.push_back(std::move(v).value());
  }
  return out;
}

Result<std::vector<SearchHit>> CampaignIndex::Search(const std::string& value, const std::string& type, int limit) {
  std::string sql =
      "SELECT i.case_id, c.seed, c.host, i.type, i.value, c.campaign_id, i.weight, "
      "COALESCE((SELECT brand FROM owned o WHERE o.type = i.type AND o.value = i.value), '') "
      "FROM idents i JOIN intel_cases c ON c.case_id = i.case_id WHERE i.value IN (?, ?, ?, ?)";
  if (!type.empty()) sql += " AND i.type = ?";
  sql += " ORDER BY i.case_id, i.type LIMIT ?";
  Stmt s(db_, sql.c_str());
  // As typed, lowercase (e-mails, hosts, Telegram names are stored so),
  // without a leading '@' (a Telegram handle), and a phone number written
  // with spaces, dashes or without '+' in the E.164 form stored.
  std::string lower = AsciiLower(value);
  std::string handle = !lower.empty() && lower[0] == '@' ? lower.substr(1) : lower;
  std::string digits;
  bool phone_like = !value.empty();
  for (char ch : value) {
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (ch != '+' && ch != ' ' && ch != '-' && ch != '(' && ch != ')' && ch != '.') {
      phone_like = false;
    }
  }
  std::string e164 = phone_like && digits.size() >= 6 ? "+" + digits : value;
  s.Bind(value).Bind(lower).Bind(handle).Bind(e164);
  if (!type.empty()) s.Bind(type);
  s.Bind(int64_t{limit});
  std::vector<SearchHit> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    SearchHit h;
    h.case_id = s.Text(0);
    h.seed = s.Text(1);
    h.host = s.Text(2);
    h.type = s.Text(3);
    h.value = s.Text(4);
    h.campaign_id = s.Text(5);
    h.weight = static_cast<int>(s.Int(6));
    h.owned_by = s.Text(7);
    out.push_back(std::move(h));
  }
  if (rc != SQLITE_DONE) return Error("search");
  for (auto& h : out) {
    auto links = Links(h.type, h.value, h.weight);
    if (!links.ok()) return links.status();
    h.links = *links;
  }
  return out;
}

Result<MemberView> CampaignIndex::GetCase(const std::string& case_id) {
  std::string sql = std::string("SELECT ") + kMemberCols + " FROM intel_cases WHERE case_id = ?";
  Stmt s(db_, sql.c_str());
  s.Bind(case_id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return NotFound("case " + case_id + " is not in the campaign index");
  if (rc != SQLITE_ROW) return Error("case " + case_id);
  return ReadMember(s);
}

Result<std::vector<Identifier>> CampaignIndex::IdentifiersOfCase(const std::string& case_id) {
  Stmt s(db_,
         "SELECT i.type, i.value, i.weight, COALESCE(o.brand, '') FROM idents i LEFT JOIN owned o "
         "ON o.type = i.type AND o.value = i.value WHERE i.case_id = ? ORDER BY i.type, i.value");
  s.Bind(case_id);
  std::vector<Identifier> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back(Identifier{s.Text(0), s.Text(1), static_cast<int>(s.Int(2)), s.Text(3)});
  }
  if (rc != SQLITE_DONE) return Error("identifiers of " + case_id);
  return out;
}

Result<std::vector<std::string>> CampaignIndex::CasesSince(int64_t since_ms) {
  Stmt s(db_, "SELECT case_id FROM intel_cases WHERE last_ms >= ? ORDER BY last_ms, case_id");
  s.Bind(since_ms);
  std::vector<std::string> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(s.Text(0));
  if (rc != SQLITE_DONE) return Error("cases since");
  return out;
}

}  // namespace dragnet::intel
