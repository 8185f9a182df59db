// The console's HTTP routes through cpp-httplib's client against the real
// server on a free loopback port, with a real ReportService and user store:
// login (CSRF, rate limit, cookie flags), decisions recorded with the user,
// 403 without the CSRF token or the role, hostile markup escaped, evidence
// served only when the case names it and its hash still matches, and the
// Bearer-token API returning the CLI's documents.
#include <gtest/gtest.h>
#include <httplib.h>

#include "core/fs.h"
#include "core/hash.h"
#include "intel/format.h"
#include "intel/identifiers.h"
#include "intel/index.h"
#include "reporters/cli_support.h"
#include "tests/unit/reporters/reporter_test_util.h"
#include "web/server.h"

namespace dragnet::web {
namespace {

using reporters::test::FakeClock;

const char* kHostile = "<img src=x onerror=alert(1)>";
const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "not really an image, but signed like one";

std::string Between(const std::string& s, const std::string& a, const std::string& b) {
  size_t p = s.find(a);
  if (p == std::string::npos) return "";
  p += a.size();
  size_t e = s.find(b, p);
  return e == std::string::npos ? "" : s.substr(p, e - p);
}

class WebServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service_ = std::make_unique<reporters::ReportService>(reporters::test::TestOptions(), dir_.File("state"), &probe_,
                                                          nullptr, &clock_);
    ASSERT_TRUE(service_->Init().ok());
    // A case waiting for review, with hostile markup in its title and indicators.
    SeedResult r = reporters::test::Phishing("https://secure-login-examplebank.com/verify");
    r.verdict->score = 55;
    r.verdict->label = "suspicious";
    r.verdict->reasons.push_back({"title", 5, std::string("page title ") + kHostile});
    reporters::test::AddEvidence(r, dir_.File("evidence"), "<html><script>alert(1)</script></html>");
    std::string evidence = dir_.File("evidence");
    shot_sha_ = Sha256Hex(kPng);
    ASSERT_TRUE(MakeDirs(evidence + "/objects/" + shot_sha_.substr(0, 2)).ok());
    ASSERT_TRUE(WriteFileAtomic(evidence + "/objects/" + shot_sha_.substr(0, 2) + "/" + shot_sha_, kPng).ok());
    BrowserCapture cap;
    cap.profile = "desktop";
    cap.url = cap.final_url = r.final_url;
    cap.status = 200;
    cap.title = kHostile;
    cap.screenshot_sha256 = shot_sha_;
    r.captures.push_back(cap);
    Indicator ind;
    ind.type = "email";
    ind.value = "<script>alert(2)</script>@x.test";
    ind.source = "text";
    ind.count = 1;
    r.indicators.push_back(ind);
    Indicator btc;
    btc.type = "btc";
    btc.value = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    btc.source = "text";
    btc.count = 1;
    r.indicators.push_back(btc);
    body_sha_ = Sha256Hex("<html><script>alert(1)</script></html>");
    r.pages.push_back(PageSummary{r.final_url, 200, body_sha_, 40, kHostile, ""});
    service_->Process(r);
    case_id_ = r.case_id;
    ASSERT_EQ(service_->GetCase(case_id_)->status, reporters::kCaseReview);
    // A second review case, to reject.
    SeedResult r2 = reporters::test::Investment("https://quantum-yield-club.com/");
    r2.verdict->score = 50;
    r2.indicators.push_back(ind);  // the hostile e-mail too: a shared identifier of their campaign
    service_->Process(r2);
    case2_ = r2.case_id;
    // Both share the wallet: one campaign in the index.
    auto index = intel::CampaignIndex::Open(dir_.File("intel.db"), intel::IntelOptions{});
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(index).value();
    for (const SeedResult* x : {&r, &r2}) {
      auto added = index_->Add(intel::FactsOf(*x, nullptr, clock_.NowUnixMs()));
      ASSERT_TRUE(added.ok()) << added.status().ToString();
      campaign_ = added->campaign_id;
    }
    ASSERT_FALSE(campaign_.empty());

    auto users = UserStore::Open(dir_.File("web.db"), &clock_);
    ASSERT_TRUE(users.ok());
    users_ = std::move(users).value();
    for (auto [name, role] : {std::pair{"alice", "analyst"}, {"vera", "viewer"}, {"adam", "admin"}}) {
      auto h = HashPassword(std::string(name) + " password!");
      ASSERT_TRUE(h.ok());
      ASSERT_TRUE(users_->Add(name, role, *h).ok());
    }
    WebOptions o;
    o.listen = "127.0.0.1:0";
    o.login_attempts = 3;
    o.threads = 2;
    submitted_.clear();
    WebDeps deps{service_.get(), users_.get(),
                  [this](const std::string& url, const std::string& user) -> Result<std::string> {
                    submitted_.push_back(url + " by " + user);
                    return "job-" + std::to_string(submitted_.size());
                  }};
    deps.campaigns = index_.get();
    server_ = std::make_unique<WebServer>(o, deps, &clock_);
    Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }

  // Logs in through the form; returns the session cookie header value and fills csrf.
  std::string Login(const std::string& user, const std::string& password, std::string* csrf,
                    int* status = nullptr) {
    auto c = Client();
    auto page = c.Get("/login");
    EXPECT_TRUE(page);
    std::string login_cookie = Between(page->get_header_value("Set-Cookie"), "dn_login=", ";");
    std::string token = Between(page->body, "name=\"csrf\" value=\"", "\"");
    httplib::Params form{{"csrf", token}, {"username", user}, {"password", password}};
    auto res = c.Post("/login", {{"Cookie", "dn_login=" + login_cookie}}, form);
    EXPECT_TRUE(res);
    if (status) *status = res->status;
    std::string session = Between(res->get_header_value("Set-Cookie") + ";", "dn_session=", ";");
    if (session.empty()) return "";
    std::string cookie = "dn_session=" + session;
    auto review = c.Get("/review", {{"Cookie", cookie}});
    if (csrf) *csrf = Between(review->body, "name=\"csrf\" value=\"", "\"");
    return cookie;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  reporters::test::ScriptedProbe probe_{&clock_};
  std::unique_ptr<reporters::ReportService> service_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<intel::CampaignIndex> index_;
  std::unique_ptr<WebServer> server_;
  std::vector<std::string> submitted_;
  std::string case_id_, case2_, shot_sha_, body_sha_, campaign_;
};

TEST_F(WebServerTest, PagesNeedALoginAndTheLoginFormNeedsItsCsrfToken) {
  auto c = Client();
  auto res = c.Get("/review");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->get_header_value("Location"), "/login");
  auto no_csrf = c.Post("/login", httplib::Params{{"username", "alice"}, {"password", "alice password!"}});
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_EQ(no_csrf->get_header_value("Set-Cookie").find("dn_session"), std::string::npos);
}

TEST_F(WebServerTest, SessionCookieIsHttpOnlySameSiteStrictAndLogoutEndsIt) {
  auto c = Client();
  auto page = c.Get("/login");
  std::string login_cookie = Between(page->get_header_value("Set-Cookie"), "dn_login=", ";");
  std::string token = Between(page->body, "name=\"csrf\" value=\"", "\"");
  auto res = c.Post("/login", {{"Cookie", "dn_login=" + login_cookie}},
                    httplib::Params{{"csrf", token}, {"username", "alice"}, {"password", "alice password!"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 302);
  std::string set = res->get_header_value("Set-Cookie");
  EXPECT_NE(set.find("HttpOnly"), std::string::npos) << set;
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos) << set;
  EXPECT_NE(set.find("Max-Age=28800"), std::string::npos) << set;
  std::string csrf;
  std::string cookie = Login("alice", "alice password!", &csrf);
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(c.Get("/", {{"Cookie", cookie}})->status, 200);
  // Logout without the token is refused; with it the session ends.
  EXPECT_EQ(c.Post("/logout", {{"Cookie", cookie}}, httplib::Params{})->status, 403);
  EXPECT_EQ(c.Post("/logout", {{"Cookie", cookie}}, httplib::Params{{"csrf", csrf}})->status, 302);
  EXPECT_EQ(c.Get("/", {{"Cookie", cookie}})->status, 302);
}

TEST_F(WebServerTest, SessionsExpire) {
  std::string csrf;
  std::string cookie = Login("alice", "alice password!", &csrf);
  auto c = Client();
  EXPECT_EQ(c.Get("/review", {{"Cookie", cookie}})->status, 200);
  clock_.Advance(WebOptions{}.session_ttl_ms);
  EXPECT_EQ(c.Get("/review", {{"Cookie", cookie}})->status, 302);
}

TEST_F(WebServerTest, LoginRateLimitedAfterFailures) {
  int status = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(Login("alice", "wrong password", nullptr, &status).empty());
    EXPECT_EQ(status, 401);
  }
  // Even the right password is refused now, until the window passes.
  EXPECT_TRUE(Login("alice", "alice password!", nullptr, &status).empty());
  EXPECT_EQ(status, 429);
  clock_.Advance(WebOptions{}.login_window_ms);
  EXPECT_FALSE(Login("alice", "alice password!", nullptr, &status).empty());
}

TEST_F(WebServerTest, ApproveNeedsCsrfAndRoleAndRecordsTheUser) {
  std::string csrf;
  std::string cookie = Login("alice", "alice password!", &csrf);
  ASSERT_EQ(csrf.size(), 64u);
  auto c = Client();
  std::string path = "/review/" + case_id_ + "/approve";
  EXPECT_EQ(c.Post(path, {{"Cookie", cookie}}, httplib::Params{})->status, 403);
  EXPECT_EQ(c.Post(path, {{"Cookie", cookie}}, httplib::Params{{"csrf", std::string(64, 'a')}})->status, 403);
  EXPECT_EQ(service_->GetCase(case_id_)->status, reporters::kCaseReview);
  // A viewer, with a valid token, may not decide.
  std::string vcsrf;
  std::string viewer = Login("vera", "vera password!", &vcsrf);
  ASSERT_FALSE(viewer.empty());
  auto denied = c.Post(path, {{"Cookie", viewer}}, httplib::Params{{"csrf", vcsrf}});
  EXPECT_EQ(denied->status, 403);
  EXPECT_NE(denied->body.find("viewer"), std::string::npos);
  EXPECT_EQ(c.Get("/review", {{"Cookie", viewer}})->body.find("/approve\""), std::string::npos)
      << "a viewer is not shown the decision forms";
  // The analyst, with the token.
  auto ok = c.Post(path, {{"Cookie", cookie}}, httplib::Params{{"csrf", csrf}});
  EXPECT_EQ(ok->status, 302);
  auto rec = service_->GetCase(case_id_);
  EXPECT_EQ(rec->status, reporters::kCaseReported);
  EXPECT_EQ(rec->decided_by, "alice");
  EXPECT_EQ(reporters::CaseJson(*rec, false)["decided_by"], "alice");
  // Reject needs a reason, and records it and the user.
  std::string rpath = "/review/" + case2_ + "/reject";
  EXPECT_EQ(c.Post(rpath, {{"Cookie", cookie}}, httplib::Params{{"csrf", csrf}, {"reason", "  "}})->status, 400);
  EXPECT_EQ(c.Post(rpath, {{"Cookie", cookie}}, httplib::Params{{"csrf", csrf}, {"reason", "legit\r\nshop"}})->status,
            302);
  auto rej = service_->GetCase(case2_);
  EXPECT_EQ(rej->status, reporters::kCaseRejected);
  EXPECT_EQ(rej->decided_by, "alice");
  EXPECT_EQ(rej->reason, "legit  shop") << "one line";
  // The audit log (admin only) has both.
  std::string acsrf;
  std::string admin = Login("adam", "adam password!", &acsrf);
  auto audit = c.Get("/audit", {{"Cookie", admin}});
  EXPECT_EQ(audit->status, 200);
  EXPECT_NE(audit->body.find("approve"), std::string::npos);
  EXPECT_NE(audit->body.find(case2_), std::string::npos);
  EXPECT_EQ(c.Get("/audit", {{"Cookie", cookie}})->status, 403);
}

TEST_F(WebServerTest, HostileMarkupIsEscapedEverywhereAndCspIsStrict) {
  std::string csrf;
  std::string cookie = Login("alice", "alice password!", &csrf);
  auto c = Client();
  for (const std::string& path : std::vector<std::string>{"/review", "/cases", "/cases/" + case_id_, "/", "/campaigns",
                                                          "/campaigns/" + campaign_}) {
    auto res = c.Get(path, {{"Cookie", cookie}});
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->body.find("<img src=x"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("<script"), std::string::npos) << path;
    std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("script-src"), std::string::npos) << "no script at all: " << csp;
  }
  auto page = c.Get("/cases/" + case_id_, {{"Cookie", cookie}});
  EXPECT_NE(page->body.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos) << "shown as text";
  EXPECT_NE(page->body.find("&lt;script&gt;alert(2)&lt;/script&gt;@x.test"), std::string::npos);
  EXPECT_NE(page->body.find("/cases/" + case_id_ + "/screenshot/" + shot_sha_), std::string::npos);
  // Search by a wallet finds the case; by something else does not.
  auto hit = c.Get("/cases?q=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", {{"Cookie", cookie}});
  EXPECT_NE(hit->body.find(case_id_), std::string::npos);
  auto miss = c.Get("/cases?q=no-such-indicator", {{"Cookie", cookie}});
  EXPECT_EQ(miss->body.find("row-" + case_id_), std::string::npos);
  EXPECT_EQ(c.Get("/cases?label=%3Cx%3E", {{"Cookie", cookie}})->status, 400);
  // The campaign page lists the shared hostile e-mail as text.
  auto cp = c.Get("/campaigns/" + campaign_, {{"Cookie", cookie}});
  EXPECT_NE(cp->body.find("&lt;script&gt;alert(2)&lt;/script&gt;@x.test"), std::string::npos) << cp->body;
}

TEST_F(WebServerTest, CampaignPagesListMembersSharedIdentifiersAndSpread) {
  std::string csrf;
  std::string cookie = Login("vera", "vera password!", &csrf);
  auto c = Client();
  auto list = c.Get("/campaigns", {{"Cookie", cookie}});
  ASSERT_EQ(list->status, 200);
  EXPECT_NE(list->body.find("href=\"/campaigns/" + campaign_ + "\""), std::string::npos) << list->body;
  auto page = c.Get("/campaigns/" + campaign_, {{"Cookie", cookie}});
  ASSERT_EQ(page->status, 200) << campaign_ << "\n" << page->body;
  for (const std::string& want : {"member-" + case_id_, "member-" + case2_, std::string("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
                                  std::string("Sites by registrar"), std::string("Sites by hosting network"),
                                  std::string("Example Registrar, Inc."), std::string("AS64500 Example Hosting AB"),
                                  std::string("Sites by hosting country"), std::string(">SE<")}) {
    EXPECT_NE(page->body.find(want), std::string::npos) << want;
  }
  EXPECT_EQ(c.Get("/campaigns/CP-000000000000", {{"Cookie", cookie}})->status, 404);
  EXPECT_EQ(c.Get("/campaigns/" + campaign_)->status, 302) << "pages need a login";
  // The case page links its campaign; /cases filters by it.
  auto one = c.Get("/cases/" + case_id_, {{"Cookie", cookie}});
  EXPECT_NE(one->body.find("href=\"/campaigns/" + campaign_ + "\""), std::string::npos);
  auto filtered = c.Get("/cases?campaign=" + campaign_, {{"Cookie", cookie}});
  ASSERT_EQ(filtered->status, 200);
  EXPECT_NE(filtered->body.find("row-" + case_id_), std::string::npos);
  EXPECT_NE(filtered->body.find("row-" + case2_), std::string::npos);
  EXPECT_EQ(c.Get("/cases?campaign=CP-000000000000", {{"Cookie", cookie}})->status, 400);
  EXPECT_EQ(c.Get("/cases?campaign=%3Cx%3E", {{"Cookie", cookie}})->status, 400);
  // The API takes the same filter.
  auto token = users_->IssueToken("vera");
  ASSERT_TRUE(token.ok());
  auto api = c.Get("/api/v1/cases?campaign=" + campaign_, {{"Authorization", "Bearer " + *token}});
  ASSERT_EQ(api->status, 200);
  EXPECT_EQ(nlohmann::json::parse(api->body)["count"], 2);
  // Campaigns and search hits: the CLI's documents.
  httplib::Headers auth{{"Authorization", "Bearer " + *token}};
  auto cps = c.Get("/api/v1/campaigns", auth);
  ASSERT_EQ(cps->status, 200);
  auto cj = nlohmann::json::parse(cps->body);
  ASSERT_EQ(cj["count"], 1);
  EXPECT_EQ(cj["campaigns"][0], intel::CampaignJson(*index_->Get(campaign_), false));
  auto one_cp = c.Get("/api/v1/campaigns/" + campaign_, auth);
  ASSERT_EQ(one_cp->status, 200);
  EXPECT_EQ(nlohmann::json::parse(one_cp->body), intel::CampaignJson(*index_->Get(campaign_), true));
  EXPECT_EQ(c.Get("/api/v1/campaigns/CP-000000000000", auth)->status, 404);
  EXPECT_EQ(c.Get("/api/v1/campaigns/" + campaign_)->status, 401);
  auto hits = c.Get("/api/v1/search?q=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", auth);
  ASSERT_EQ(hits->status, 200);
  auto hj = nlohmann::json::parse(hits->body);
  ASSERT_EQ(hj["hits"].size(), 2u) << hj;
  EXPECT_EQ(hj["hits"][0]["type"], "btc");
  EXPECT_EQ(hj["hits"][0]["campaign_id"], campaign_);
}

TEST_F(WebServerTest, EvidenceServedOnlyWhenNamedByTheCaseAndIntact) {
  std::string csrf;
  std::string cookie = Login("vera", "vera password!", &csrf);
  auto c = Client();
  auto shot = c.Get("/cases/" + case_id_ + "/screenshot/" + shot_sha_, {{"Cookie", cookie}});
  EXPECT_EQ(shot->status, 200);
  EXPECT_EQ(shot->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(shot->body, kPng);
  // Captured HTML: a text/plain attachment, never rendered.
  auto body = c.Get("/cases/" + case_id_ + "/evidence/" + body_sha_, {{"Cookie", cookie}});
  EXPECT_EQ(body->status, 200);
  EXPECT_EQ(body->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(body->get_header_value("Content-Disposition").rfind("attachment;", 0), 0u);
  EXPECT_EQ(body->get_header_value("X-Content-Type-Options"), "nosniff");
  // A screenshot hash asked for as text, another case's blob, or no login: refused.
  EXPECT_EQ(c.Get("/cases/" + case_id_ + "/evidence/" + shot_sha_, {{"Cookie", cookie}})->status, 404);
  EXPECT_EQ(c.Get("/cases/" + case2_ + "/screenshot/" + shot_sha_, {{"Cookie", cookie}})->status, 404);
  EXPECT_EQ(c.Get("/cases/" + case_id_ + "/screenshot/" + shot_sha_)->status, 302);
  // A blob edited after capture is refused, not served.
  std::string path = dir_.File("evidence") + "/objects/" + shot_sha_.substr(0, 2) + "/" + shot_sha_;
  ASSERT_TRUE(WriteFileAtomic(path, kPng + "tampered").ok());
  auto bad = c.Get("/cases/" + case_id_ + "/screenshot/" + shot_sha_, {{"Cookie", cookie}});
  EXPECT_EQ(bad->status, 500);
  EXPECT_NE(bad->body.find("evidence verify"), std::string::npos);
}

TEST_F(WebServerTest, SubmitQueuesValidUrlsAsTheUserAndRefusesTheRest) {
  std::string csrf;
  std::string cookie = Login("alice", "alice password!", &csrf);
  auto c = Client();
  auto res = c.Post("/submit", {{"Cookie", cookie}},
                    httplib::Params{{"csrf", csrf}, {"urls", "https://scam.test/a\nnot a url\n# comment\n"}});
  EXPECT_EQ(res->status, 200);
  ASSERT_EQ(submitted_.size(), 1u);
  EXPECT_EQ(submitted_[0], "https://scam.test/a by alice");
  EXPECT_NE(res->body.find("job-1"), std::string::npos);
  EXPECT_NE(res->body.find("not a url"), std::string::npos);
}

TEST_F(WebServerTest, ApiNeedsABearerTokenAndServesTheCliDocuments) {
  auto c = Client();
  auto anon = c.Get("/api/v1/cases");
  EXPECT_EQ(anon->status, 401);
  EXPECT_NE(anon->get_header_value("WWW-Authenticate").find("Bearer"), std::string::npos);
  // A session cookie is not an API credential (so the API needs no CSRF token).
  std::string csrf;
  std::string cookie = Login("alice", "alice password!", &csrf);
  EXPECT_EQ(c.Get("/api/v1/cases", {{"Cookie", cookie}})->status, 401);

  auto token = users_->IssueToken("alice");
  auto vtoken = users_->IssueToken("vera");
  ASSERT_TRUE(token.ok() && vtoken.ok());
  httplib::Headers auth{{"Authorization", "Bearer " + *token}}, vauth{{"Authorization", "Bearer " + *vtoken}};
  auto list = c.Get("/api/v1/review", auth);
  ASSERT_EQ(list->status, 200);
  auto j = nlohmann::json::parse(list->body);
  ASSERT_EQ(j["count"], 2);
  EXPECT_EQ(j["cases"][0], reporters::CaseJson(*service_->GetCase(j["cases"][0]["case"]), false));
  auto one = c.Get("/api/v1/cases/" + case_id_, vauth);
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(nlohmann::json::parse(one->body), reporters::CaseJson(*service_->GetCase(case_id_), true));
  EXPECT_EQ(c.Get("/api/v1/cases/DN-000000000000", auth)->status, 404);
  auto search = c.Get("/api/v1/search?q=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", auth);
  EXPECT_EQ(nlohmann::json::parse(search->body)["count"], 2) << "both test cases carry the wallet";
  // Decisions: a viewer may not; an analyst may; reject needs a reason.
  EXPECT_EQ(c.Post("/api/v1/review/" + case_id_ + "/approve", vauth, "", "application/json")->status, 403);
  auto ap = c.Post("/api/v1/review/" + case_id_ + "/approve", auth, "", "application/json");
  ASSERT_EQ(ap->status, 200) << ap->body;
  EXPECT_EQ(nlohmann::json::parse(ap->body)["decided_by"], "alice");
  EXPECT_EQ(c.Post("/api/v1/review/" + case_id_ + "/approve", auth, "", "application/json")->status, 400)
      << "no longer waiting for review";
  EXPECT_EQ(c.Post("/api/v1/review/" + case2_ + "/reject", auth, "{}", "application/json")->status, 400);
  auto rj = c.Post("/api/v1/review/" + case2_ + "/reject", auth, R"({"reason":"a real shop"})", "application/json");
  ASSERT_EQ(rj->status, 200);
  EXPECT_EQ(nlohmann::json::parse(rj->body)["status"], "rejected");
  auto sub = c.Post("/api/v1/submit", auth, R"({"urls":["https://scam.test/x","nope"]})", "application/json");
  ASSERT_EQ(sub->status, 200);
  auto sj = nlohmann::json::parse(sub->body)["results"];
  ASSERT_EQ(sj.size(), 2u);
  EXPECT_EQ(sj[0]["job_id"], "job-1");
  EXPECT_TRUE(sj[1].contains("error"));
  EXPECT_EQ(c.Get("/api/v1/nothing", auth)->status, 404);
}

}  // namespace
}  // namespace dragnet::web
