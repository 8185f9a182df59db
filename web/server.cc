#include "web/server.h"

#include <httplib.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/text.h"
#include "core/url.h"
#include "intel/export.h"
#include "intel/format.h"
#include "reporters/cli_support.h"
#include "web/taxii.h"
#include "web/views.h"

namespace dragnet::web {
namespace {

using httplib::Request;
using httplib::Response;

// Every page: nothing but our own stylesheet and images, no script at all,
// no framing, forms only to ourselves.
constexpr const char* kCsp =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";
constexpr const char* kSessionCookie = "dn_session";
constexpr const char* kLoginCookie = "dn_login";  // pre-login CSRF token (double submit)
// Cases read for a list, a search or the dashboard (newest first).
constexpr int kMaxCasesScanned = 5000;
// Cases one /cases page shows.
constexpr size_t kMaxCasesListed = 200;
// Screenshots are full-page PNGs; the browser stage caps their height.
constexpr uint64_t kMaxScreenshotServeBytes = 64ull << 20;
// Page bodies and DOMs offered for download (evidence blobs).
constexpr uint64_t kMaxEvidenceServeBytes = 64ull << 20;
// Reject reasons are one line kept with the case.
constexpr size_t kMaxReasonBytes = 1000;
constexpr int kDashboardDays = 14;
// Campaigns one /campaigns page lists (most recently updated first).
constexpr size_t kMaxCampaignsListed = 500;

// Campaign IDs: "CP-" + 12 uppercase hex (intel/index.h).
bool ValidCampaignId(const std::string& id) {
  if (id.size() != 15 || id.rfind("CP-", 0) != 0) return false;
  return id.find_first_not_of("0123456789ABCDEF", 3) == std::string::npos;
}

bool ValidCaseId(const std::string& id) {
  if (id.size() != 15 || id.rfind("DN-", 0) != 0) return false;
  return id.find_first_not_of("0123456789ABCDEF", 3) == std::string::npos;
}

std::string GetCookie(const Request& req, const std::string& name) {
  std::string all = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(pos, end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

std::string OneLine(const std::string& s, size_t max) {
  std::string out;
  for (char c : ToText(s)) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  return CutText(out, max);
}

// A form field: urlencoded fields are params, multipart ones are "files".
std::string FormValue(const Request& req, const char* key) {
  if (req.has_param(key)) return req.get_param_value(key);
  if (req.has_file(key)) return req.get_file_value(key).content;
  return std::string();
}

}  // namespace

// ------------------------------------------------------------------ impl ---

struct WebServer::Impl {
  WebOptions opt;
  WebDeps deps;
  const Clock* clock;
  Templates templates;
  LoginLimiter limiter;
  httplib::Server http;
  std::mutex mu;  // serialises deps.service and deps.users

  Impl(WebOptions o, WebDeps d, const Clock* c)
      : opt(std::move(o)), deps(std::move(d)), clock(c), limiter(opt.login_attempts, opt.login_window_ms, c) {}

  // Who is asking: a session (pages) or a token (API).
  struct Who {
    bool ok = false;
    std::string user, role, csrf, session_id;
  };

  // ---- responses ----
  void Html(Response& res, int status, const std::string& page, nlohmann::json model, const Who& who) {
    model["user"] = who.user;
    model["role"] = who.role;
    model["csrf"] = who.csrf;
    model["logged_in"] = who.ok;
    model["is_admin"] = who.ok && RoleRank(who.role) >= 2;
    model["can_decide"] = who.ok && RoleRank(who.role) >= 1;
    model["nav_" + page] = true;
    if (!model.contains("title")) model["title"] = page;
    auto out = templates.Render(page, model);
    res.status = out.ok() ? status : 500;
    res.set_content(out.ok() ? *out : "template error: " + out.status().message(),
                    out.ok() ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
  }
  void ErrorPage(Response& res, int status, const std::string& message, const Who& who) {
    Html(res, status, "error", {{"title", "Error " + std::to_string(status)}, {"message", message},
                                {"code", status}}, who);
  }
  static void Json(Response& res, int status, const nlohmann::json& j) {
    res.status = status;
    res.set_content(DumpJson(j, 2) + "\n", "application/json");
  }
  static void ApiError(Response& res, int status, const std::string& message) {
    Json(res, status, {{"error", message}});
  }
  void SetSessionCookie(Response& res, const std::string& value, int64_t max_age_s) {
    std::string c = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                    std::to_string(max_age_s);
    if (opt.secure_cookies) c += "; Secure";
    res.set_header("Set-Cookie", c);
  }

  // ---- authentication ----
  Who SessionOf(const Request& req) {
    Who w;
    std::string id = GetCookie(req, kSessionCookie);
    if (id.empty()) return w;
    std::lock_guard<std::mutex> l(mu);
    auto s = deps.users->GetSession(id);
    if (!s.ok()) return w;
    return Who{true, s->user, s->role, s->csrf, id};
  }
  Who TokenOf(const Request& req) {
    Who w;
    std::string h = req.get_header_value("Authorization");
    if (h.rfind("Bearer ", 0) != 0) return w;
    std::lock_guard<std::mutex> l(mu);
    auto u = deps.users->UserForToken(h.substr(7));
    if (!u.ok()) return w;
    return Who{true, u->name, u->role, "", ""};
  }
  // A page for logged-in users: redirects to /login otherwise.
  bool RequirePage(const Request& req, Response& res, Who& who) {
    who = SessionOf(req);
    if (!who.ok) {
      res.set_redirect("/login");
      return false;
    }
    return true;
  }
  // A state-changing form: a session, the form's CSRF token, and the role.
  bool RequirePost(const Request& req, Response& res, Who& who, int min_rank) {
    who = SessionOf(req);
    if (!who.ok) {
      ErrorPage(res, 403, "You are not logged in (or your session ended). Log in and try again.", who);
      return false;
    }
    if (!SecretEquals(FormValue(req, "csrf"), who.csrf)) {
      ErrorPage(res, 403, "This form is missing its security token (CSRF). Reload the page and try again.", who);
      return false;
    }
    if (RoleRank(who.role) < min_rank) {
      ErrorPage(res, 403, "Your role (" + who.role + ") may not do this.", who);
      return false;
    }
    return true;
  }
  bool RequireApi(const Request& req, Response& res, Who& who, int min_rank) {
    who = TokenOf(req);
    if (!who.ok) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"dragnet\"");
      ApiError(res, 401, "missing or invalid Bearer token (dragnet users token NAME)");
      return false;
    }
    if (RoleRank(who.role) < min_rank) {
      ApiError(res, 403, "role " + who.role + " may not do this");
      return false;
    }
    return true;
  }
  void Audit(const Who& who, const std::string& action, const std::string& target, const std::string& detail) {
    // Caller holds mu. A failed audit write is logged in the response path
    // by the caller's status; the decision itself is already durable.
    (void)deps.users->Audit(who.user, action, target, detail);
  }

  // ---- routes ----
  void Routes();
  void LoginRoutes();
  void PageRoutes();
  void CampaignRoutes();
  void EvidenceRoutes();
  void ApiRoutes();
  void TaxiiRoutes();

  // ---- TAXII responses (web/taxii.h) ----
  static void Taxii(Response& res, int status, const nlohmann::json& j) {
    res.status = status;
    res.set_content(DumpJson(j, 2) + "\n", kTaxiiMediaType);
  }
  static void TaxiiFail(Response& res, int status, const std::string& title, const std::string& description) {
    Taxii(res, status, TaxiiError(status, title, description));
  }
  // Bearer token (any role), then an Accept the server can answer.
  bool RequireTaxii(const Request& req, Response& res) {
    Who who = TokenOf(req);
    if (!who.ok) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"dragnet\"");
      TaxiiFail(res, 401, "Unauthorized", "missing or invalid Bearer token (dragnet users token NAME)");
      return false;
    }
    if (!AcceptsTaxii(req.get_header_value("Accept"))) {
      TaxiiFail(res, 406, "Not Acceptable", std::string("this server answers ") + kTaxiiMediaType + " only");
      return false;
    }
    return true;
  }

  // Shared by pages and API.
  Result<std::vector<reporters::CaseRecord>> FindCases(const std::string& label, const std::string& status,
                                                       const std::string& since, const std::string& q,
                                                       const std::string& campaign = "");
  Status Decide(const Who& who, const std::string& id, bool approve, const std::string& reason,
                std::vector<ReportSummary>* reports);
  struct SubmitOutcome {
    std::vector<std::pair<std::string, std::string>> queued, rejected;  // url, job id / why
  };
  SubmitOutcome SubmitUrls(const Who& who, const std::string& text);
};

// ------------------------------------------------------------ shared ops ---

// The cases of the filters, newest first. `q` matches any indicator value,
// URL or key as a substring, and also (through the campaign index) the
// cases whose identifiers equal it as intel's search normalises it (a phone
// as people write it, a Telegram handle with '@'). `campaign`: only the
// members of that campaign (any ID it ever had).
Result<std::vector<reporters::CaseRecord>> WebServer::Impl::FindCases(const std::string& label,
                                                                      const std::string& status,
                                                                      const std::string& since,
                                                                      const std::string& q,
                                                                      const std::string& campaign) {
  static const std::set<std::string> kLabels = {"", "malicious", "suspicious", "benign", "unreachable"};
  if (!kLabels.count(label)) return InvalidArgument("label must be malicious, suspicious, benign or unreachable");
  // The store's status vocabulary (reporters/store.h), as `cases list --status`.
  const auto& statuses = reporters::CaseStatuses();
  if (!status.empty() && std::find(statuses.begin(), statuses.end(), status) == statuses.end()) {
    std::string names;
    for (const auto& st : statuses) names += (names.empty() ? "" : ", ") + st;
    return InvalidArgument("status must be one of " + names);
  }
  reporters::CaseQuery query;
  query.label = label;
  query.status = status;
  query.limit = kMaxCasesScanned;
  if (!since.empty()) {
    auto s = reporters::ParseSince(since, clock->NowUnixMs());
    if (!s.ok()) return s.status();
    query.since_ms = *s;
  }
  if (!campaign.empty() && !ValidCampaignId(campaign)) return InvalidArgument("campaign must be a CP- ID");
  std::vector<reporters::CaseRecord> out;
  std::lock_guard<std::mutex> l(mu);
  std::set<std::string> members, hits;
  if (!campaign.empty()) {
    if (!deps.campaigns) return InvalidArgument("campaigns are off: no campaign index");
    auto cp = deps.campaigns->Get(campaign);
    if (!cp.ok()) return cp.status().code() == Code::kNotFound ? InvalidArgument("no campaign " + campaign) : cp.status();
    for (const auto& m : cp->members) members.insert(m.case_id);
  }
  if (!q.empty() && deps.campaigns) {
    auto found = deps.campaigns->Search(q, "");
    if (found.ok()) {
      for (const auto& h : *found) hits.insert(h.case_id);
    }
  }
  auto cases = deps.service->ListCases(query);
  if (!cases.ok()) return cases.status();
  for (auto& c : *cases) {
    if (!campaign.empty() && !members.count(c.case_id)) continue;
    if (hits.count(c.case_id) || CaseMatches(c, q)) out.push_back(std::move(c));
  }
  return out;
}

Status WebServer::Impl::Decide(const Who& who, const std::string& id, bool approve, const std::string& reason,
                               std::vector<ReportSummary>* reports) {
  if (!ValidCaseId(id)) return NotFound("no case " + id);
  std::lock_guard<std::mutex> l(mu);
  if (approve) {
    auto out = deps.service->Approve(id, who.user);
    if (!out.ok()) return out.status();
    if (reports) *reports = *out;
    Audit(who, "approve", id, std::to_string(out->size()) + " reports filed");
    return Status::Ok();
  }
  std::string why = OneLine(reason, kMaxReasonBytes);
  if (why.find_first_not_of(' ') == std::string::npos) return InvalidArgument("a reason is required to reject a case");
  auto c = deps.service->GetCase(id);
  if (!c.ok()) return c.status();
  if (c->status != reporters::kCaseReview) {
    return InvalidArgument("case " + id + " is " + c->status + ", not waiting for review");
  }
  DRAGNET_RETURN_IF_ERROR(deps.service->Reject(id, why, who.user));
  Audit(who, "reject", id, why);
  return Status::Ok();
}

WebServer::Impl::SubmitOutcome WebServer::Impl::SubmitUrls(const Who& who, const std::string& text) {
  SubmitOutcome out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    size_t e = line.find_last_not_of(" \t\r");
    std::string url = ToText(line.substr(b, e - b + 1));
    if (++n > opt.max_submit_urls) {
      out.rejected.emplace_back(url, "more than web.max_submit_urls (" + std::to_string(opt.max_submit_urls) +
                                         ") URLs in one submission");
      continue;
    }
    auto u = ParseUrl(url);
    if (!u.ok()) {
      out.rejected.emplace_back(url, u.status().message());
      continue;
    }
    if (!deps.submit) {
      out.rejected.emplace_back(url, "no queue is configured for the console ([redis] url, or the daemon)");
      continue;
    }
    std::lock_guard<std::mutex> l(mu);
    auto id = deps.submit(url, who.user);
    if (!id.ok()) {
      out.rejected.emplace_back(url, id.status().message());
      continue;
    }
    out.queued.emplace_back(url, *id);
    Audit(who, "submit", url, *id);
  }
  return out;
}

// ------------------------------------------------------------------ login ---

void WebServer::Impl::LoginRoutes() {
  http.Get("/login", [this](const Request& req, Response& res) {
    Who who = SessionOf(req);
    if (who.ok) return res.set_redirect("/");
    // The login form's CSRF token: a random cookie the form must repeat.
    std::string token = GetCookie(req, kLoginCookie);
    if (token.size() != 64) token = RandomSecret();
    res.set_header("Set-Cookie", std::string(kLoginCookie) + "=" + token +
                                     "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600" +
                                     (opt.secure_cookies ? "; Secure" : ""));
    Html(res, 200, "login", {{"title", "Log in"}, {"login_csrf", token}}, who);
  });
  http.Post("/login", [this](const Request& req, Response& res) {
    Who none;
    std::string token = GetCookie(req, kLoginCookie);
    if (token.size() != 64 || !SecretEquals(FormValue(req, "csrf"), token)) {
      return ErrorPage(res, 403, "The login form is missing its security token (CSRF). Reload it and try again.",
                       none);
    }
    std::string name = FormValue(req, "username"), password = FormValue(req, "password");
    std::string addr_key = "addr:" + req.remote_addr, user_key = "user:" + CutText(name, kMaxUserName);
    auto again = [&](const std::string& message, int status) {
      Html(res, status, "login", {{"title", "Log in"}, {"login_csrf", token}, {"error", message}, {"username", name}},
           none);
    };
    if (limiter.Blocked(addr_key) || limiter.Blocked(user_key)) {
      int64_t wait = std::max(limiter.RetryAfterMs(addr_key), limiter.RetryAfterMs(user_key));
      res.set_header("Retry-After", std::to_string(wait / 1000 + 1));
      return again("Too many failed logins. Try again in " + FormatDuration(wait) + ".", 429);
    }
    std::string hash;
    bool enabled = false;
    {
      std::lock_guard<std::mutex> l(mu);
      auto u = deps.users->Get(name);
      if (u.ok()) {
        hash = u->password_hash;
        enabled = !u->disabled;
      }
    }
    // Verify even for unknown users, so timing does not tell names apart.
    static const std::string kDummy = [] {
      auto h = HashPassword("dragnet-no-such-user");
      return h.ok() ? *h : std::string();
    }();
    bool ok = VerifyPassword(password, hash.empty() ? kDummy : hash) && !hash.empty() && enabled;
    if (!ok) {
      limiter.Failure(addr_key);
      limiter.Failure(user_key);
      std::lock_guard<std::mutex> l(mu);
      (void)deps.users->Audit(ValidUserName(name) ? name : "-", "login-failed", req.remote_addr, "");
      return again("Wrong user name or password.", 401);
    }
    limiter.Reset(user_key);
    Session s;
    Result<std::string> id = Internal("unset");
    {
      std::lock_guard<std::mutex> l(mu);
      id = deps.users->CreateSession(name, opt.session_ttl_ms, &s);
      if (id.ok()) (void)deps.users->Audit(name, "login", req.remote_addr, "");
    }
    if (!id.ok()) return ErrorPage(res, 500, id.status().message(), none);
    SetSessionCookie(res, *id, opt.session_ttl_ms / 1000);
    res.set_redirect("/");
  });
  http.Post("/logout", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePost(req, res, who, 0)) return;
    {
      std::lock_guard<std::mutex> l(mu);
      (void)deps.users->EndSession(who.session_id);
      Audit(who, "logout", "", "");
    }
    SetSessionCookie(res, "", 0);
    res.set_redirect("/login");
  });
}

// ------------------------------------------------------------------ pages ---

void WebServer::Impl::PageRoutes() {
  http.Get("/", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    std::vector<reporters::CaseRecord> cases;
    std::vector<reporters::ReportItem> items;
    {
      std::lock_guard<std::mutex> l(mu);
      reporters::CaseQuery q;
      q.limit = kMaxCasesScanned;
      auto c = deps.service->ListCases(q);
      if (!c.ok()) return ErrorPage(res, 500, c.status().message(), who);
      cases = std::move(c).value();
      auto i = deps.service->ledger()->Items(reporters::ItemQuery{"", "", 100000});
      if (!i.ok()) return ErrorPage(res, 500, i.status().message(), who);
      items = std::move(i).value();
    }
    nlohmann::json m = DashboardModel(cases, items, clock->NowUnixMs(), kDashboardDays);
    m["title"] = "Dashboard";
    Html(res, 200, "dashboard", m, who);
  });

  http.Get("/review", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    auto cases = FindCases("", reporters::kCaseReview, "", "");
    if (!cases.ok()) return ErrorPage(res, 500, cases.status().message(), who);
    // Oldest first: the queue is worked from the front.
    std::sort(cases->begin(), cases->end(),
              [](const auto& a, const auto& b) { return a.updated_ms < b.updated_ms; });
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& c : *cases) rows.push_back(CaseRowModel(c));
    nlohmann::json m = {{"title", "Review queue"}, {"cases", rows}, {"count", rows.size()}};
    std::string done = FormValue(req, "done"), id = FormValue(req, "case");
    if ((done == "approved" || done == "rejected") && ValidCaseId(id)) m["notice"] = id + " " + done + ".";
    Html(res, 200, "review", m, who);
  });

  auto decide = [this](bool approve) {
    return [this, approve](const Request& req, Response& res) {
      Who who;
      if (!RequirePost(req, res, who, 1)) return;
      std::string id = req.matches[1];
      std::vector<ReportSummary> reports;
      Status st = Decide(who, id, approve, FormValue(req, "reason"), &reports);
      if (!st.ok()) {
        int code = st.code() == Code::kNotFound ? 404 : st.code() == Code::kInvalidArgument ? 400 : 500;
        return ErrorPage(res, code, st.message(), who);
      }
      res.set_redirect("/review?done=" + std::string(approve ? "approved" : "rejected") + "&case=" + id);
    };
  };
  http.Post(R"(/review/(DN-[0-9A-F]{12})/approve)", decide(true));
  http.Post(R"(/review/(DN-[0-9A-F]{12})/reject)", decide(false));

  http.Get("/cases", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    std::string label = FormValue(req, "label"), status = FormValue(req, "status"), since = FormValue(req, "since"),
                q = CutText(FormValue(req, "q"), 500), campaign = CutText(FormValue(req, "campaign"), 100);
    auto cases = FindCases(label, status, since, q, campaign);
    nlohmann::json m = {{"title", "Cases"}, {"q", q}, {"since", since}, {"campaign", campaign}};
    for (const char* l : {"malicious", "suspicious", "benign", "unreachable"}) m["label_" + std::string(l)] = label == l;
    m["statuses"] = nlohmann::json::array();
    for (const auto& st : reporters::CaseStatuses()) {
      m["statuses"].push_back({{"value", st}, {"selected", status == st}});
    }
    if (!cases.ok()) {
      m["error"] = cases.status().message();
      m["cases"] = nlohmann::json::array();
      return Html(res, cases.status().code() == Code::kInvalidArgument ? 400 : 500, "cases", m, who);
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& c : *cases) {
      if (rows.size() >= kMaxCasesListed) break;
      rows.push_back(CaseRowModel(c));
    }
    m["cases"] = rows;
    m["count"] = cases->size();
    m["truncated"] = cases->size() > kMaxCasesListed;
    Html(res, 200, "cases", m, who);
  });

  http.Get(R"(/cases/(DN-[0-9A-F]{12}))", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    std::string id = req.matches[1];
    nlohmann::json m;
    {
      std::lock_guard<std::mutex> l(mu);
      auto c = deps.service->GetCase(id);
      if (!c.ok()) {
        return ErrorPage(res, c.status().code() == Code::kNotFound ? 404 : 500, c.status().message(), who);
      }
      auto items = deps.service->ledger()->Items(reporters::ItemQuery{"", id, 1000});
      if (!items.ok()) return ErrorPage(res, 500, items.status().message(), who);
      m = CaseDetailModel(*c, *items);
      if (deps.campaigns) {
        auto member = deps.campaigns->GetCase(id);
        if (member.ok() && !member->campaign_id.empty()) m["campaign"] = member->campaign_id;
      }
    }
    m["title"] = id;
    Html(res, 200, "case", m, who);
  });

  http.Get("/submit", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    Html(res, 200, "submit", {{"title", "Submit URLs"}, {"has_queue", static_cast<bool>(deps.submit)}}, who);
  });
  http.Post("/submit", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePost(req, res, who, 1)) return;
    std::string text = FormValue(req, "urls");
    if (req.has_file("list")) text += "\n" + req.get_file_value("list").content;
    SubmitOutcome out = SubmitUrls(who, text);
    nlohmann::json queued = nlohmann::json::array(), rejected = nlohmann::json::array();
    for (const auto& [u, id] : out.queued) queued.push_back({{"url", u}, {"job_id", id}});
    for (const auto& [u, why] : out.rejected) rejected.push_back({{"url", u}, {"error", why}});
    Html(res, out.queued.empty() && !out.rejected.empty() ? 400 : 200, "submit",
         {{"title", "Submit URLs"}, {"has_queue", static_cast<bool>(deps.submit)}, {"queued", queued},
          {"rejected", rejected}, {"submitted", true}, {"has_queued", !queued.empty()},
          {"has_rejected", !rejected.empty()}},
         who);
  });

  http.Get("/audit", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    if (RoleRank(who.role) < 2) return ErrorPage(res, 403, "Only admins see the audit log.", who);
    nlohmann::json rows = nlohmann::json::array();
    {
      std::lock_guard<std::mutex> l(mu);
      auto log = deps.users->AuditLog(UserStore::kMaxAuditList);
      if (!log.ok()) return ErrorPage(res, 500, log.status().message(), who);
      for (const auto& e : *log) {
        rows.push_back({{"time", FormatRfc3339(e.time_ms / 1000)}, {"user", e.user}, {"action", e.action},
                        {"target", e.target}, {"detail", e.detail}});
      }
    }
    Html(res, 200, "audit", {{"title", "Audit log"}, {"entries", rows}}, who);
  });

  http.Get(R"(/static/([a-z0-9_-]+\.(css|svg)))", [this](const Request& req, Response& res) {
    const std::string* body = templates.Static(req.matches[1]);
    if (!body) {
      res.status = 404;
      return;
    }
    res.set_header("Cache-Control", "public, max-age=3600");
    res.set_content(*body, std::string(req.matches[2]) == "css" ? "text/css; charset=utf-8" : "image/svg+xml");
  });
}

// -------------------------------------------------------------- campaigns ---

void WebServer::Impl::CampaignRoutes() {
  http.Get("/campaigns", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    nlohmann::json rows = nlohmann::json::array();
    size_t total = 0;
    if (deps.campaigns) {
      std::lock_guard<std::mutex> l(mu);
      auto list = deps.campaigns->List(kMaxCampaignsListed + 1);
      if (!list.ok()) return ErrorPage(res, 500, list.status().message(), who);
      total = list->size();
      for (const auto& cp : *list) {
        if (rows.size() >= kMaxCampaignsListed) break;
        rows.push_back(CampaignRowModel(cp));
      }
    }
    Html(res, 200, "campaigns",
         {{"title", "Campaigns"}, {"campaigns", rows}, {"count", rows.size()},
          {"truncated", total > kMaxCampaignsListed}, {"off", deps.campaigns == nullptr}},
         who);
  });
  http.Get(R"(/campaigns/(CP-[0-9A-F]{12}))", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    std::string id = req.matches[1];
    if (!deps.campaigns) return ErrorPage(res, 404, "Campaigns are off: no campaign index.", who);
    nlohmann::json m;
    {
      std::lock_guard<std::mutex> l(mu);
      auto cp = deps.campaigns->Get(id);
      if (!cp.ok()) {
        return ErrorPage(res, cp.status().code() == Code::kNotFound ? 404 : 500, cp.status().message(), who);
      }
      // An ID merged into another keeps answering: show the live campaign.
      if (cp->campaign_id != id) return res.set_redirect("/campaigns/" + cp->campaign_id);
      // The hosting network of each member, from its case (the index keeps
      // countries and registrars, the case its addresses' AS names).
      std::map<std::string, std::string> network;
      for (const auto& mv : cp->members) {
        auto c = deps.service->GetCase(mv.case_id);
        if (c.ok()) network[mv.case_id] = CaseNetwork(*c);
      }
      m = CampaignDetailModel(*cp, network);
    }
    m["title"] = id;
    Html(res, 200, "campaign", m, who);
  });
}

// ------------------------------------------------------------------ taxii ---

void WebServer::Impl::TaxiiRoutes() {
  // Read-only TAXII 2.1 (web/taxii.h): discovery, one API root, one
  // collection of the STIX export, its objects. Bearer tokens, any role.
  const std::string root = std::string("/taxii2/") + kTaxiiApiRoot + "/";
  const std::string collection_id = TaxiiCollectionId();
  auto collection = [collection_id] {
    return nlohmann::json{{"id", collection_id},
                          {"title", kTaxiiCollectionTitle},
                          {"description",
                           "Dragnet's fraud sites (malicious or suspicious cases) and their campaigns as STIX 2.1: "
                           "infrastructure, indicators, observables, observed-data, campaigns (dragnet export "
                           "--format stix)."},
                          {"can_read", true},
                          {"can_write", false},
                          {"media_types", {kStixMediaType}}};
  };
  http.Get(R"(/taxii2/?)", [this, root](const Request& req, Response& res) {
    if (!RequireTaxii(req, res)) return;
    Taxii(res, 200,
          {{"title", "Dragnet TAXII 2.1"},
           {"description", "Fraud sites found by Dragnet, their indicators and campaigns, read-only."},
           {"default", root},
           {"api_roots", {root}}});
  });
  http.Get(R"(/taxii2/([^/]+)/?)", [this](const Request& req, Response& res) {
    if (!RequireTaxii(req, res)) return;
    if (std::string(req.matches[1]) != kTaxiiApiRoot) return TaxiiFail(res, 404, "Not Found", "no such API root");
    Taxii(res, 200,
          {{"title", "Dragnet"},
           {"description", "Dragnet's indicators of fraud sites."},
           {"versions", {kTaxiiMediaType}},
           {"max_content_length", opt.max_body_bytes}});
  });
  http.Get(R"(/taxii2/([^/]+)/collections/?)", [this, collection](const Request& req, Response& res) {
    if (!RequireTaxii(req, res)) return;
    if (std::string(req.matches[1]) != kTaxiiApiRoot) return TaxiiFail(res, 404, "Not Found", "no such API root");
    Taxii(res, 200, {{"collections", {collection()}}});
  });
  http.Get(R"(/taxii2/([^/]+)/collections/([^/]+)/?)", [this, collection, collection_id](const Request& req,
                                                                                          Response& res) {
    if (!RequireTaxii(req, res)) return;
    if (std::string(req.matches[1]) != kTaxiiApiRoot || req.matches[2] != collection_id) {
      return TaxiiFail(res, 404, "Not Found", "no such collection");
    }
    Taxii(res, 200, collection());
  });
  http.Get(R"(/taxii2/([^/]+)/collections/([^/]+)/objects/?)", [this, collection_id](const Request& req,
                                                                                     Response& res) {
    if (!RequireTaxii(req, res)) return;
    if (std::string(req.matches[1]) != kTaxiiApiRoot || req.matches[2] != collection_id) {
      return TaxiiFail(res, 404, "Not Found", "no such collection");
    }
    auto q = ParseTaxiiQuery(FormValue(req, "added_after"), FormValue(req, "limit"), FormValue(req, "next"),
                             FormValue(req, "match[type]"), FormValue(req, "match[id]"));
    if (!q.ok()) return TaxiiFail(res, 400, "Bad Request", q.status().message());
    q->added_until_ms = clock->NowUnixMs() - opt.taxii_settle_ms;
    std::vector<TaxiiObject> all;
    if (deps.campaigns) {
      std::lock_guard<std::mutex> l(mu);
      auto set = intel::CollectExport(*deps.campaigns, intel::ExportQuery{});
      if (!set.ok()) return TaxiiFail(res, 500, "Internal Error", set.status().message());
      set->producer = deps.producer;
      set->now_ms = clock->NowUnixMs();
      all = TaxiiObjects(intel::StixBundle(*set));
    }
    auto page = SelectTaxiiPage(all, *q);
    if (!page.ok()) return TaxiiFail(res, 400, "Bad Request", page.status().message());
    if (!page->objects.empty()) {
      res.set_header("X-TAXII-Date-Added-First", FormatRfc3339Ms(page->objects.front()->added_ms));
      res.set_header("X-TAXII-Date-Added-Last", FormatRfc3339Ms(page->objects.back()->added_ms));
    }
    Taxii(res, 200, TaxiiEnvelope(*page));
  });
}

// --------------------------------------------------------------- evidence ---

void WebServer::Impl::EvidenceRoutes() {
  // Screenshots (PNG) and captured text (page bodies, rendered DOMs) of a
  // case, by SHA-256: only blobs the case's scan names, re-hashed on read.
  // Text is always a text/plain attachment: captured HTML is never rendered.
  http.Get(R"(/cases/(DN-[0-9A-F]{12})/(screenshot|evidence)/([0-9a-f]{64}))", [this](const Request& req,
                                                                                        Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    std::string id = req.matches[1], what = req.matches[2], sha = req.matches[3];
    std::string path;
    BlobKind kind = BlobKind::kNone;
    {
      std::lock_guard<std::mutex> l(mu);
      auto c = deps.service->GetCase(id);
      if (!c.ok()) return ErrorPage(res, 404, c.status().message(), who);
      kind = CaseBlobKind(*c, sha);
      path = CaseBlobPath(*c, sha);
    }
    bool shot = what == "screenshot";
    if (path.empty() || kind == BlobKind::kNone || (kind == BlobKind::kScreenshot) != shot) {
      return ErrorPage(res, 404, "Case " + id + " has no such " + what + ".", who);
    }
    auto bytes = ReadFile(path, shot ? kMaxScreenshotServeBytes : kMaxEvidenceServeBytes);
    if (!bytes.ok()) return ErrorPage(res, 404, "Evidence blob unreadable: " + bytes.status().message(), who);
    if (Sha256Hex(*bytes) != sha) {
      return ErrorPage(res, 500, "Evidence blob " + sha + " no longer matches its SHA-256: run dragnet evidence verify.",
                       who);
    }
    res.set_header("Cache-Control", "private, max-age=86400");
    if (shot) {
      if (bytes->rfind("\x89PNG\r\n\x1a\n", 0) != 0) return ErrorPage(res, 500, "Screenshot is not a PNG.", who);
      res.set_content(std::move(bytes).value(), "image/png");
      return;
    }
    res.set_header("Content-Disposition", "attachment; filename=\"" + id + "-" + sha.substr(0, 16) + ".txt\"");
    res.set_content(std::move(bytes).value(), "text/plain; charset=utf-8");
  });
  http.Get(R"(/cases/(DN-[0-9A-F]{12})/manifest)", [this](const Request& req, Response& res) {
    Who who;
    if (!RequirePage(req, res, who)) return;
    std::string id = req.matches[1], path;
    {
      std::lock_guard<std::mutex> l(mu);
      auto c = deps.service->GetCase(id);
      if (!c.ok()) return ErrorPage(res, 404, c.status().message(), who);
      if (c->result.is_object()) path = c->result.value("evidence_manifest", "");
    }
    if (path.empty()) return ErrorPage(res, 404, "Case " + id + " has no evidence manifest.", who);
    auto bytes = ReadFile(path, kMaxEvidenceServeBytes);
    if (!bytes.ok()) return ErrorPage(res, 404, bytes.status().message(), who);
    res.set_header("Content-Disposition", "attachment; filename=\"" + id + "-manifest.json.txt\"");
    res.set_content(std::move(bytes).value(), "text/plain; charset=utf-8");
  });
}

// -------------------------------------------------------------------- api ---

void WebServer::Impl::ApiRoutes() {
  auto list = [this](const Request& req, Response& res, const std::string& forced_status) {
    Who who;
    if (!RequireApi(req, res, who, 0)) return;
    auto cases = FindCases(FormValue(req, "label"), forced_status.empty() ? FormValue(req, "status") : forced_status,
                           FormValue(req, "since"), CutText(FormValue(req, "q"), 500),
                           CutText(FormValue(req, "campaign"), 100));
    if (!cases.ok()) {
      return ApiError(res, cases.status().code() == Code::kInvalidArgument ? 400 : 500, cases.status().message());
    }
    if (!forced_status.empty()) {
      std::sort(cases->begin(), cases->end(),
                [](const auto& a, const auto& b) { return a.updated_ms < b.updated_ms; });
    }
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : *cases) arr.push_back(reporters::CaseJson(c, false));
    Json(res, 200, {{"cases", arr}, {"count", arr.size()}});
  };
  http.Get("/api/v1/cases", [list](const Request& req, Response& res) { list(req, res, ""); });
  http.Get("/api/v1/search", [this, list](const Request& req, Response& res) {
    list(req, res, "");
    if (res.status != 200 || !deps.campaigns) return;
    // Plus the documents of `dragnet search --json`: which case carries the
    // value, of what type, in which campaign.
    std::string q = CutText(FormValue(req, "q"), 500);
    nlohmann::json hits = nlohmann::json::array();
    if (!q.empty()) {
      std::lock_guard<std::mutex> l(mu);
      auto found = deps.campaigns->Search(q, FormValue(req, "type"));
      if (!found.ok()) return ApiError(res, found.status().code() == Code::kInvalidArgument ? 400 : 500,
                                       found.status().message());
      for (const auto& h : *found) hits.push_back(intel::SearchHitJson(h));
    }
    auto j = nlohmann::json::parse(res.body);
    j["hits"] = hits;
    Json(res, 200, j);
  });
  // The documents of `dragnet campaigns list --json` / `show --json`.
  http.Get("/api/v1/campaigns", [this](const Request& req, Response& res) {
    Who who;
    if (!RequireApi(req, res, who, 0)) return;
    nlohmann::json arr = nlohmann::json::array();
    if (deps.campaigns) {
      std::lock_guard<std::mutex> l(mu);
      auto list = deps.campaigns->List();
      if (!list.ok()) return ApiError(res, 500, list.status().message());
      for (const auto& cp : *list) arr.push_back(intel::CampaignJson(cp, false));
    }
    Json(res, 200, {{"campaigns", arr}, {"count", arr.size()}});
  });
  http.Get(R"(/api/v1/campaigns/([^/]+))", [this](const Request& req, Response& res) {
    Who who;
    if (!RequireApi(req, res, who, 0)) return;
    std::string id = req.matches[1];
    if (!ValidCampaignId(id) || !deps.campaigns) return ApiError(res, 404, "no campaign " + ToPrintable(id));
    std::lock_guard<std::mutex> l(mu);
    auto cp = deps.campaigns->Get(id);
    if (!cp.ok()) return ApiError(res, cp.status().code() == Code::kNotFound ? 404 : 500, cp.status().message());
    Json(res, 200, intel::CampaignJson(*cp, true));
  });
  http.Get("/api/v1/review", [list](const Request& req, Response& res) { list(req, res, reporters::kCaseReview); });
  http.Get(R"(/api/v1/cases/([^/]+))", [this](const Request& req, Response& res) {
    Who who;
    if (!RequireApi(req, res, who, 0)) return;
    std::string id = req.matches[1];
    if (!ValidCaseId(id)) return ApiError(res, 404, "no case " + ToPrintable(id));
    std::lock_guard<std::mutex> l(mu);
    auto c = deps.service->GetCase(id);
    if (!c.ok()) return ApiError(res, c.status().code() == Code::kNotFound ? 404 : 500, c.status().message());
    Json(res, 200, reporters::CaseJson(*c, true));
  });
  auto decide = [this](bool approve) {
    return [this, approve](const Request& req, Response& res) {
      Who who;
      if (!RequireApi(req, res, who, 1)) return;
      std::string id = req.matches[1], reason;
      if (!approve) {
        auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("reason") || !body["reason"].is_string()) {
          return ApiError(res, 400, "body must be a JSON object with a \"reason\" string");
        }
        reason = body["reason"].get<std::string>();
      }
      std::vector<ReportSummary> reports;
      Status st = Decide(who, id, approve, reason, &reports);
      if (!st.ok()) {
        return ApiError(res, st.code() == Code::kNotFound ? 404 : st.code() == Code::kInvalidArgument ? 400 : 500,
                        st.message());
      }
      std::lock_guard<std::mutex> l(mu);
      auto c = deps.service->GetCase(id);
      if (!c.ok()) return ApiError(res, 500, c.status().message());
      nlohmann::json j = reporters::CaseJson(*c, false);
      if (approve) {
        nlohmann::json rs = nlohmann::json::array();
        for (const auto& r : reports) rs.push_back({{"recipient", r.recipient}, {"status", r.status}, {"reason", r.reason}});
        j["reports"] = rs;
      }
      Json(res, 200, j);
    };
  };
  http.Post(R"(/api/v1/review/([^/]+)/approve)", decide(true));
  http.Post(R"(/api/v1/review/([^/]+)/reject)", decide(false));
  http.Post("/api/v1/submit", [this](const Request& req, Response& res) {
    Who who;
    if (!RequireApi(req, res, who, 1)) return;
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("urls") || !body["urls"].is_array()) {
      return ApiError(res, 400, "body must be a JSON object with a \"urls\" array of strings");
    }
    std::string text;
    for (const auto& u : body["urls"]) {
      if (!u.is_string()) return ApiError(res, 400, "\"urls\" must hold strings only");
      std::string s = u.get<std::string>();
      if (s.find_first_of("\r\n") != std::string::npos) return ApiError(res, 400, "a URL holds a line break");
      text += s + "\n";
    }
    SubmitOutcome out = SubmitUrls(who, text);
    // The documents of `dragnet submit --json`: {url, job_id} or {url, error}.
    nlohmann::json results = nlohmann::json::array();
    for (const auto& [u, id] : out.queued) results.push_back({{"url", u}, {"job_id", id}});
    for (const auto& [u, why] : out.rejected) results.push_back({{"url", u}, {"error", why}});
    Json(res, out.queued.empty() && !out.rejected.empty() ? 400 : 200, {{"results", results}});
  });
}

void WebServer::Impl::Routes() {
  http.set_payload_max_length(static_cast<size_t>(opt.max_body_bytes));
  int threads = opt.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_default_headers({{"Content-Security-Policy", kCsp},
                            {"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "no-referrer"},
                            {"Cache-Control", "no-store"}});
  http.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("internal error\n", "text/plain; charset=utf-8");
  });
  http.set_error_handler([this](const Request& req, Response& res) {
    if (!res.body.empty()) return;
    if (req.path.rfind("/api/", 0) == 0) return ApiError(res, res.status, "no such endpoint or method");
    if (req.path.rfind("/taxii2", 0) == 0) {
      return TaxiiFail(res, res.status, res.status == 404 ? "Not Found" : "Error", "no such TAXII resource or method");
    }
    if (res.status == 404) ErrorPage(res, 404, "No such page.", SessionOf(req));
  });
  LoginRoutes();
  PageRoutes();
  CampaignRoutes();
  EvidenceRoutes();
  ApiRoutes();
  TaxiiRoutes();
}

// ---------------------------------------------------------------- server ---

WebServer::WebServer(WebOptions options, WebDeps deps, const Clock* clock)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(deps), clock)) {}

WebServer::~WebServer() { Stop(); }

Status WebServer::Start() {
  if (!impl_->deps.service || !impl_->deps.users) return InvalidArgument("web server needs a service and a user store");
  DRAGNET_RETURN_IF_ERROR(InitCrypto());
  DRAGNET_RETURN_IF_ERROR(impl_->templates.Load(AssetsDir(impl_->opt)));
  auto listen = ParseListen(impl_->opt.listen);
  if (!listen.ok()) return InvalidArgument("web.listen: " + listen.status().message());
  impl_->Routes();
  if (listen->second == 0) {
    port_ = impl_->http.bind_to_any_port(listen->first);
    if (port_ <= 0) return Unavailable("cannot listen on " + listen->first + " (any port)");
  } else {
    if (!impl_->http.bind_to_port(listen->first, listen->second)) {
      return Unavailable("cannot listen on " + impl_->opt.listen + " (in use, or not an address of this machine)");
    }
    port_ = listen->second;
  }
  thread_ = std::thread([this] { impl_->http.listen_after_bind(); });
  return Status::Ok();
}

void WebServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

void WebServer::Stop() {
  if (impl_) impl_->http.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace dragnet::web
