#pragma once
// Shared builders for the reporter tests: realistic SeedResults (verdict,
// hosting from RDAP-shaped data, indicators), an evidence store with a real
// manifest and blobs, a fake clock and a scripted liveness probe.

#include <map>
#include <string>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/model.h"
#include "core/url.h"
#include "reporters/liveness.h"
#include "reporters/options.h"
#include "tests/harness/harness.h"

namespace dragnet::reporters::test {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ms = 1796000000000) : now_(now_ms) {}
  int64_t NowUnixMs() const override { return now_; }
  int64_t MonotonicMs() const override { return now_; }
  void Advance(int64_t ms) { now_ += ms; }

 private:
  int64_t now_;
};

// Answers per URL from a script; unknown URLs are live.
class ScriptedProbe final : public LivenessProbe {
 public:
  explicit ScriptedProbe(const Clock* clock) : clock_(clock) {}
  std::map<std::string, bool> live;
  int calls = 0;
  Liveness Check(const std::string& url) override {
    ++calls;
    auto it = live.find(url);
    bool up = it == live.end() || it->second;
    return {up, up ? 200L : 404L, FormatRfc3339Ms(clock_->NowUnixMs()), up ? "HTTP 200" : "HTTP 404"};
  }

 private:
  const Clock* clock_;
};

inline std::string RegistrableDomainOfUrl(const std::string& url) {
  auto u = ParseUrl(url);
  return u.ok() ? u->RegistrableDomain() : std::string();
}

inline IpInfo Ip(const std::string& ip, uint32_t asn, const std::string& org, const std::string& cc,
                 const std::string& abuse) {
  IpInfo i;
  i.ip = ip;
  i.asn = asn;
  i.as_org = org;
  i.country = cc;
  i.rdap_range = ip.substr(0, ip.rfind('.')) + ".0/24";
  i.abuse.email = abuse;
  i.abuse.source = "rdap-ip";
  i.abuse.scope = "network";
  return i;
}

inline Hosting MakeHosting(const std::string& domain, long age_days, const std::string& registrar,
                           const std::string& iana, const std::string& registrar_abuse, std::vector<IpInfo> ips) {
  Hosting h;
  h.domain.name = domain;
  h.domain.created = "2026-11-01T10:00:00Z";
  h.domain.age_days = age_days;
  h.domain.nameservers = {"ns1.dns-host.test", "ns2.dns-host.test"};
  h.registrar.name = registrar;
  h.registrar.iana_id = iana;
  h.registrar.abuse.email = registrar_abuse;
  h.registrar.abuse.source = "rdap-registrar";
  h.registrar.abuse.scope = "domain";
  h.ips = std::move(ips);
  h.geo_source = "test";
  return h;
}

// A phishing page impersonating a bank, on a month-old .com domain.
inline SeedResult Phishing(const std::string& url = "https://secure-login-examplebank.com/verify") {
  SeedResult r;
  r.seed = url;
  r.final_url = url;
  r.started_at = "2026-11-29T12:00:00.000Z";
  r.finished_at = "2026-11-29T12:00:03.250Z";
  Verdict v;
  v.score = 92;
  v.label = "malicious";
  v.scam_type = "phishing";
  v.language = "en";
  v.brand_impersonated = "ExampleBank";
  v.reasons = {{"password_form_offsite", 40, "form posts a password to https://collect.test/p.php"},
               {"brand_impersonation", 35, "title and logo of ExampleBank on a domain it does not own"},
               {"new_domain", 17, "registered 28 days ago"}};
  r.verdict = v;
  r.hosting = MakeHosting(RegistrableDomainOfUrl(url), 28, "Example Registrar, Inc.", "1234",
                          "abuse@registrar.test", {Ip("203.0.113.10", 64500, "Example Hosting AB", "SE", "abuse@hosting.test")});
  return r;
}

// A fake investment site on an old domain with no brand in it.
inline SeedResult Investment(const std::string& url = "https://quantum-yield-club.com/") {
  SeedResult r = Phishing(url);
  r.verdict->score = 85;
  r.verdict->scam_type = "investment";
  r.verdict->brand_impersonated = "";
  r.verdict->reasons = {{"guaranteed_returns", 50, "\"guaranteed 300% monthly returns\""},
                        {"crypto_wallet", 35, "BTC deposit address on the page"}};
  r.hosting->domain.age_days = 900;
  r.hosting->domain.created = "2024-05-12T08:00:00Z";
  Indicator btc;
  btc.type = "btc";
  btc.value = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
  btc.source = "text";
  btc.count = 1;
  r.indicators.push_back(btc);
  return r;
}

// Writes a real evidence store (manifest + content-addressed blob) and
// points r.evidence_manifest at it.
inline void AddEvidence(SeedResult& r, const std::string& evidence_dir, const std::string& html) {
  std::string sha = Sha256Hex(html);
  (void)MakeDirs(evidence_dir + "/objects/" + sha.substr(0, 2));
  (void)MakeDirs(evidence_dir + "/manifests");
  (void)WriteFileAtomic(evidence_dir + "/objects/" + sha.substr(0, 2) + "/" + sha, html);
  nlohmann::json entry = {{"url", r.seed},         {"final_url", r.final_url}, {"via", "seed"},
                          {"time", r.started_at},  {"status", 200},            {"body_sha256", sha},
                          {"body_size", html.size()}, {"content_type", "text/html; charset=utf-8"}};
  nlohmann::json m = {{"format", "dragnet-evidence-manifest/1"}, {"seed", r.seed}, {"entries", {entry}},
                      {"entry_count", 1}, {"head", Sha256Hex("head:" + sha)}};
  std::string path = evidence_dir + "/manifests/" + sha.substr(0, 16) + ".json";
  (void)WriteFileAtomic(path, m.dump(1));
  r.evidence_manifest = path;
}

inline ReporterOptions TestOptions() {
  ReporterOptions o;
  o.org = "Dragnet Test CERT";
  o.contact_email = "reports@dragnet-test.test";
  o.domain = "dragnet-test.test";
  o.contacts_file = dragnet::testing::Fixture("reporters/contacts-test.toml");
  o.templates_dir = dragnet::testing::SourceDir() + "/config/templates";
  o.retry_base_ms = 1000;
  o.retry_max_ms = 60000;
  return o;
}

}  // namespace dragnet::reporters::test
