// Auth primitives and the user store: Argon2id hashes verify only the right
// password; tokens and sessions are stored hashed, end when the user is
// disabled, and sessions expire; the login limiter blocks after N failures
// and lets go when the window passes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/harness/harness.h"
#include "web/auth.h"
#include "web/options.h"
#include "web/users.h"

namespace dragnet::web {
namespace {

class FakeClock final : public Clock {
 public:
  int64_t NowUnixMs() const override { return now; }
  int64_t MonotonicMs() const override { return now; }
  int64_t now = 1796000000000;
};

TEST(Password, Argon2idHashVerifiesOnlyTheRightPassword) {
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterx", *h));
  EXPECT_FALSE(VerifyPassword("", *h));
  EXPECT_FALSE(VerifyPassword("correct horse battery", ""));
  auto h2 = HashPassword("correct horse battery");
  ASSERT_TRUE(h2.ok());
  EXPECT_NE(*h, *h2) << "each hash has its own salt";
}

TEST(Password, OverlongPasswordRefusedNotHashed) {
  std::string big(kMaxPasswordBytes + 1, 'x');
  EXPECT_EQ(HashPassword(big).status().code(), Code::kInvalidArgument);
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(VerifyPassword(big, *h));
}

TEST(Secrets, RandomDistinctAndComparedInConstantTime) {
  std::string a = RandomSecret(), b = RandomSecret();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(SecretEquals(a, a));
  EXPECT_FALSE(SecretEquals(a, b));
  EXPECT_FALSE(SecretEquals(a, a.substr(0, 63)));
  EXPECT_FALSE(SecretEquals("", a));
  EXPECT_EQ(NewApiToken().rfind("dn_", 0), 0u);
  EXPECT_NE(SecretDigest(a), a);
}

TEST(LoginLimiter, BlocksAfterMaxFailuresUntilTheWindowPasses) {
  FakeClock clock;
  LoginLimiter l(3, 60'000, &clock);
  for (int i = 0; i < 2; ++i) l.Failure("user:bob");
  EXPECT_FALSE(l.Blocked("user:bob"));
  l.Failure("user:bob");
  EXPECT_TRUE(l.Blocked("user:bob"));
  EXPECT_FALSE(l.Blocked("user:alice")) << "per key";
  EXPECT_GT(l.RetryAfterMs("user:bob"), 0);
  clock.now += 60'000;
  EXPECT_FALSE(l.Blocked("user:bob"));
  l.Failure("user:bob");
  EXPECT_FALSE(l.Blocked("user:bob")) << "a new window starts from one";
  l.Reset("user:bob");
  EXPECT_EQ(l.RetryAfterMs("user:bob"), 0);
}

TEST(LoginLimiter, KeyTableIsBounded) {
  FakeClock clock;
  LoginLimiter l(1, 60'000, &clock);
  for (size_t i = 0; i < LoginLimiter::kMaxKeys + 10; ++i) l.Failure("addr:" + std::to_string(i));
  // The newest key is tracked; memory stayed within kMaxKeys (oldest dropped).
  EXPECT_TRUE(l.Blocked("addr:" + std::to_string(LoginLimiter::kMaxKeys + 9)));
}

TEST(UserStore, TokensAndSessionsAreStoredHashedAndEndWithTheUser) {
  testing::TempDir dir;
  FakeClock clock;
  auto s = UserStore::Open(dir.File("web.db"), &clock);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  UserStore& u = **s;
  struct stat st;
  ASSERT_EQ(::stat(dir.File("web.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "password hashes: owner-only";
  ASSERT_TRUE(u.Add("alice", "analyst", "$argon2id$fake").ok());
  EXPECT_FALSE(u.Add("alice", "viewer", "x").ok()) << "names are unique";
  EXPECT_FALSE(u.Add("Alice<script>", "viewer", "x").ok());
  EXPECT_FALSE(u.Add("bob", "root", "x").ok());
  auto token = u.IssueToken("alice");
  ASSERT_TRUE(token.ok());
  auto who = u.UserForToken(*token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->name, "alice");
  EXPECT_EQ(who->role, "analyst");
  EXPECT_FALSE(u.UserForToken(*token + "x").ok());
  Session sess;
  auto sid = u.CreateSession("alice", 1000, &sess);
  ASSERT_TRUE(sid.ok());
  EXPECT_EQ(sess.csrf.size(), 64u);
  ASSERT_TRUE(u.GetSession(*sid).ok());
  EXPECT_EQ(u.GetSession(*sid)->csrf, sess.csrf);
  // Neither the token nor the session ID is in the file in clear.
  std::string db = testing::ReadAll(dir.File("web.db")) + testing::ReadAll(dir.File("web.db-wal"));
  EXPECT_EQ(db.find(*token), std::string::npos);
  EXPECT_EQ(db.find(*sid), std::string::npos);
  // Expiry.
  clock.now += 1000;
  EXPECT_EQ(u.GetSession(*sid).status().code(), Code::kNotFound);
  // Disabling ends sessions and tokens.
  auto sid2 = u.CreateSession("alice", 60'000, nullptr);
  ASSERT_TRUE(sid2.ok());
  ASSERT_TRUE(u.Disable("alice").ok());
  EXPECT_FALSE(u.GetSession(*sid2).ok());
  EXPECT_FALSE(u.UserForToken(*token).ok());
  EXPECT_FALSE(u.IssueToken("alice").ok());
  auto list = u.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].disabled);
}

TEST(WebOptions, ListenParsedAndCheckedByName) {
  auto l = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->first, "127.0.0.1");
  EXPECT_EQ(l->second, 8080);
  auto v6 = ParseListen("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_FALSE(ParseListen("8080").ok());
  EXPECT_FALSE(ParseListen("host:99999").ok());
  EXPECT_FALSE(ParseListen("host:-1").ok());
  WebOptions o;
  o.login_attempts = 0;
  Status st = ValidateWebOptions(o);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("web.login_attempts"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace dragnet::web
