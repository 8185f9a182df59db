// `dragnet scan` against sites that fight back (tests/harness/hostile_server.py
// and a TLS nginx with a certificate of raw bytes), end to end: the built
// binary, a config written here, the JSON it prints, the evidence it keeps
// and the reports it writes. Each test is a finding of the hardening issue
// (#12) that failed before its fix:
//   - a byte of invalid UTF-8 in a header, a Location, a certificate name or
//     a page, or an exception inside one seed, never ends the scan, and
//     every output stays valid UTF-8 JSON and printable text;
//   - nothing hides silently: undecodable and cut bodies are recorded and
//     make the site suspicious; an indicator after 1.2 MB of filler is found;
//   - tarpits cannot stall a scan: seeds are not held back by memory they
//     have not used, a site has a deadline, each seed is printed when it is
//     done, SIGTERM ends the scan with what is done and the rest marked;
//   - a full disk is exit 1 naming the path; config sizes are range-checked.
// Nothing leaves 127.0.0.0/8: every host name is pinned to 127.0.0.1.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/mount.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "tests/harness/harness.h"
#include "tests/harness/hostile.h"
#include "tests/harness/nginx.h"

namespace dragnet::app {
namespace {

using nlohmann::json;
using testing::HostileServer;
using testing::RunResult;
using testing::TempDir;

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    // A strict parse: nlohmann rejects invalid UTF-8 in strings.
    json j = json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON (or not UTF-8): " << ToPrintable(line.substr(0, 300));
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

std::map<std::string, json> BySeed(const std::vector<json>& docs) {
  std::map<std::string, json> out;
  for (const json& d : docs) out[d["seed"].get<std::string>()] = d;
  return out;
}

bool Has(const json& arr, const std::string& s) {
  for (const json& e : arr) {
    if (e.is_string() && e.get<std::string>().find(s) != std::string::npos) return true;
  }
  return false;
}

bool HasReason(const json& doc, const std::string& rule) {
  if (!doc.contains("verdict")) return false;
  for (const json& r : doc["verdict"]["reasons"]) {
    if (r["rule"] == rule) return true;
  }
  return false;
}

class HostileScan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new HostileServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(server_->port()) + path;
  }

  // A config for one state folder: every name pinned to the hostile server,
  // small limits, reports to a test provider table (addresses .invalid).
  std::string Config(const std::string& crawl_extra = "", const std::string& more = "") {
    std::string state = dir_.File("state");
    std::string contacts = dir_.File("contacts.toml");
    testing::WriteAll(contacts,
                      "[[providers]]\nemail_domains = [\"bytes-mail.com\"]\nname = \"Test Mail\"\n"
                      "email = \"abuse@mail.invalid\"\nsource = \"https://mail.invalid/abuse\"\n");
    std::string path = dir_.File("dragnet.toml");
    testing::WriteAll(path, "[general]\nstate_dir = \"" + state + "\"\n[crawl]\nallow_private = true\n"
                            "resolve = [\"*:" + std::to_string(server_->port()) + ":127.0.0.1\"]\n"
                            "depth = 1\ntotal_timeout = \"20s\"\n" +
                                crawl_extra +
                                "\n[reporter]\norg = \"Test CERT\"\ncontact_email = \"cert@dragnet.invalid\"\n"
                                "domain = \"dragnet.invalid\"\n[contacts]\nfile = \"" + contacts + "\"\n"
                                "[browser]\nenabled = \"false\"\n" + more);
    return path;
  }

  RunResult Scan(const std::string& config, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {}, bool json_out = true) {
    std::vector<std::string> argv = {testing::DragnetBinary(), "--config", config, "--log-level", "error",
                                     "scan", "--no-locate"};
    if (json_out) argv.push_back("--json");
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, "", 240000, env);
  }

  json Stats() { return json::parse(server_->Get("/stats"), nullptr, false); }

  static HostileServer* server_;
  TempDir dir_;
};

HostileServer* HostileScan::server_ = nullptr;

const std::vector<std::string> kByteEndpoints = {"/bytes/ctype", "/bytes/location", "/bytes/header",
                                                 "/bytes/header-nul", "/bytes/reason", "/bytes/page",
                                                 "/bytes/refresh"};

// ------------------------------------------------------------ bytes ---

TEST_F(HostileScan, InvalidBytesAndAThrowingSeedNeverStopTheScan) {
  std::vector<std::string> seeds;
  for (const auto& p : kByteEndpoints) seeds.push_back(Url(p));
  seeds.push_back(Url("/ok?throw-me"));
  seeds.push_back(Url("/ok"));
  // Every case is reported, so the bytes reach the X-ARF, the email and the
  // outbox records too.
  std::string cfg = Config("", "[policy]\nreview_threshold = 0\nauto_report_threshold = 0\n");
  RunResult r = Scan(cfg, seeds, {{"DRAGNET_TEST_THROW_IN_ANALYSE", "throw-me"}});
  EXPECT_EQ(r.exit_code, 4) << "one seed failed inside Dragnet: partial\n" << r.err;
  auto docs = BySeed(JsonLines(r.out));
  ASSERT_EQ(docs.size(), seeds.size()) << r.out.substr(0, 2000) << r.err;
  for (const auto& s : seeds) ASSERT_TRUE(docs.count(s)) << s;

  const json& thrower = docs[Url("/ok?throw-me")];
  EXPECT_TRUE(Has(thrower["errors"], "internal: analyse failed")) << thrower["errors"];
  EXPECT_FALSE(thrower.contains("verdict"));
  EXPECT_TRUE(docs[Url("/ok")].contains("verdict")) << "its neighbour is scored";
  for (const auto& p : kByteEndpoints) {
    EXPECT_TRUE(docs[Url(p)].contains("verdict")) << p << ": " << docs[Url(p)].dump();
  }
  // The Location with raw bytes is recorded as text, not dropped.
  const json& loc = docs[Url("/bytes/location")];
  ASSERT_GE(loc["redirects"].size(), 2u) << loc.dump();
  EXPECT_NE(loc["redirects"][1]["url"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
  // The refused meta refresh is said, not silently dropped.
  EXPECT_TRUE(Has(docs[Url("/bytes/refresh")]["errors"], "meta redirect to 'file:///etc/passwd' not followed"))
      << docs[Url("/bytes/refresh")]["errors"];
  // The page with bytes everywhere still gives its indicators.
  bool email = false;
  for (const json& i : docs[Url("/bytes/page")]["indicators"]) email |= i["value"] == "help@bytes-mail.com";
  EXPECT_TRUE(email) << docs[Url("/bytes/page")]["indicators"];

  std::string state = dir_.File("state");
  RunResult v = testing::Run({testing::DragnetBinary(), "evidence", "verify", state + "/evidence"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  for (const auto& e : std::filesystem::recursive_directory_iterator(state + "/evidence/manifests")) {
    std::string text = testing::ReadAll(e.path().string());
    EXPECT_TRUE(IsValidUtf8(text)) << e.path();
  }
  int emails = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(state + "/outbox")) {
    std::string text = testing::ReadAll(e.path().string());
    if (e.path().extension() == ".json") {
      EXPECT_FALSE(json::parse(text, nullptr, false).is_discarded()) << e.path();
    }
    if (e.path().extension() == ".eml") ++emails;
  }
  EXPECT_GE(emails, 1) << "the bytes page's provider got its report";
}

TEST_F(HostileScan, HumanOutputNeverCarriesControlOrInvalidBytes) {
  std::vector<std::string> seeds;
  for (const auto& p : kByteEndpoints) seeds.push_back(Url(p));
  RunResult r = Scan(Config(), seeds, {}, /*json_out=*/false);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("== " + Url("/bytes/page")), std::string::npos) << r.out;
  EXPECT_TRUE(IsValidUtf8(r.out));
  EXPECT_TRUE(IsValidUtf8(r.err));
  for (char c : r.out) {
    EXPECT_FALSE(c == '\x1b' || c == '\r' || c == '\0' || c == '\x7f') << "control byte in human output";
    if (c == '\x1b' || c == '\r' || c == '\0' || c == '\x7f') break;
  }
}

// A certificate is the sender's bytes too: a dNSName of raw 8-bit bytes
// used to abort the evidence writer.
TEST_F(HostileScan, ACertificateWithRawBytesInItsNamesIsRecordedAsText) {
  std::string cert = dir_.File("bad.pem"), key = dir_.File("bad.key");
  {
    EVP_PKEY* k = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("bad-cert.test"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    GENERAL_NAMES* sans = sk_GENERAL_NAME_new_null();
    for (std::string d : {std::string("\xff\xfe\x80.bad-cert.test"), std::string("bad-cert.test")}) {
      GENERAL_NAME* gn = GENERAL_NAME_new();
      ASN1_IA5STRING* s = ASN1_IA5STRING_new();
      ASN1_STRING_set(s, d.data(), static_cast<int>(d.size()));
      GENERAL_NAME_set0_value(gn, GEN_DNS, s);
      sk_GENERAL_NAME_push(sans, gn);
    }
    X509_add1_ext_i2d(x, NID_subject_alt_name, sans, 0, X509V3_ADD_DEFAULT);
    GENERAL_NAMES_free(sans);
    X509_set_pubkey(x, k);
    X509_sign(x, k, EVP_sha256());
    FILE* f = std::fopen(cert.c_str(), "w");
    ASSERT_NE(f, nullptr);
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key.c_str(), "w");
    ASSERT_NE(f, nullptr);
    PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(k);
  }
  testing::NginxServer nginx("server {\n listen 127.0.0.1:{{PORT}};\n listen 127.0.0.1:{{TLS_PORT}} ssl;\n ssl_certificate " + cert +
                             ";\n ssl_certificate_key " + key + ";\n root {{FIXTURES}}/fetch/site;\n}\n");
  std::string url = "https://bad-cert.test:" + std::to_string(nginx.tls_port()) + "/";
  RunResult r = Scan(Config(), {"--resolve", "bad-cert.test:" + std::to_string(nginx.tls_port()) + ":127.0.0.1", url});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 1u) << r.out << r.err;
  ASSERT_FALSE(docs[0]["evidence_manifest"].get<std::string>().empty()) << docs[0].dump();
  json m = json::parse(testing::ReadAll(docs[0]["evidence_manifest"].get<std::string>()), nullptr, false);
  ASSERT_FALSE(m.is_discarded());
  std::string sans = m.dump();
  EXPECT_NE(sans.find("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.bad-cert.test"), std::string::npos)
      << "the raw bytes are kept as U+FFFD, not dropped: " << sans.substr(0, 3000);
}

// ------------------------------------------------ nothing hides silently ---

TEST_F(HostileScan, UndecodableAndCutBodiesAreRecordedAndSuspicious) {
  std::vector<std::string> seeds = {Url("/enc/zstd"), Url("/enc/gzip-corrupt"), Url("/enc/xz"),
                                    Url("/filler?kb=1200"), Url("/big?kb=7000")};
  RunResult r = Scan(Config("max_body_bytes = \"5MiB\"\nmax_decoded_bytes = \"5MiB\"\n"), seeds);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto docs = BySeed(JsonLines(r.out));
  ASSERT_EQ(docs.size(), seeds.size()) << r.out;

  // zstd decodes like any other coding: the page's indicators are there.
  const json& zstd = docs[Url("/enc/zstd")];
  EXPECT_FALSE(HasReason(zstd, "concealed_content")) << zstd["verdict"];
  EXPECT_FALSE(zstd["indicators"].empty()) << zstd.dump();
  EXPECT_NE(zstd["pages"][0]["title"].get<std::string>(), "") << zstd.dump();

  for (const char* p : {"/enc/gzip-corrupt", "/enc/xz"}) {
    const json& d = docs[Url(p)];
    EXPECT_TRUE(Has(d["errors"], "content decoding failed")) << p << d["errors"];
    EXPECT_TRUE(HasReason(d, "concealed_content")) << p << d["verdict"];
    EXPECT_NE(d["verdict"]["label"], "benign") << p << ": a page that hides its content is a signal";
  }
  // Past 1.2 MB of filler: still read, nothing cut.
  const json& filler = docs[Url("/filler?kb=1200")];
  std::set<std::string> values;
  for (const json& i : filler["indicators"]) values.insert(i["value"].get<std::string>());
  EXPECT_TRUE(values.count("refunds@late-payload.com")) << filler["indicators"];
  EXPECT_TRUE(values.count("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")) << filler["indicators"];
  EXPECT_TRUE(filler["limits_hit"].empty()) << filler["limits_hit"];
  // Larger than max_body_bytes: the limit is named and the site suspicious.
  const json& big = docs[Url("/big?kb=7000")];
  EXPECT_TRUE(Has(big["limits_hit"], "max_body_bytes")) << big["limits_hit"];
  EXPECT_TRUE(HasReason(big, "concealed_content")) << big["verdict"];
}

// ------------------------------------------------------------ tarpits ---

// 150 sites that accept and never answer: before, each seed was charged
// 50 pages x 16 KiB up front against max_held_bytes (48 MiB), so about 60
// ran at once and the rest queued behind them. Now all run at once.
TEST_F(HostileScan, SeedsOnATarpitAllRunAtOnce) {
  server_->Get("/reset");
  std::vector<std::string> seeds;
  for (int i = 0; i < 150; ++i) seeds.push_back(Url("/hold?ms=30000", "t" + std::to_string(i) + ".tarpit.test"));
  RunResult r = Scan(Config("low_speed_time = \"2s\"\nmax_pages = 50\n"), [&] {
    auto a = seeds;
    a.push_back("--no-report");
    return a;
  }());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), seeds.size());
  for (const json& d : docs) EXPECT_TRUE(Has(d["limits_hit"], "low_speed")) << d.dump();
  json st = Stats();
  ASSERT_FALSE(st.is_discarded());
  EXPECT_EQ(st["max_total"].get<int>(), 150) << "every tarpit seed was in flight at once: " << st.dump();
}

TEST_F(HostileScan, ASiteOfSlowPagesEndsAtItsDeadline) {
  RunResult r = Scan(Config("per_host_concurrency = 2\nmax_pages = 100\nsite_timeout = \"3s\"\n"),
                     {Url("/links?n=60&ms=1500"), "--no-report"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 1u);
  const json& d = docs[0];
  EXPECT_TRUE(Has(d["limits_hit"], "site_timeout")) << d["limits_hit"];
  EXPECT_TRUE(Has(d["errors"], "site_timeout")) << d["errors"];
  int ok = 0;
  for (const json& p : d["pages"]) ok += p["status"] == 200 ? 1 : 0;
  EXPECT_LT(ok, 61) << "the deadline stopped the crawl before all 60 slow links";
  EXPECT_GE(ok, 1);
}

// Each seed is printed as soon as it is done; SIGTERM ends the scan with
// what is done written and the rest marked interrupted (exit 143).
TEST_F(HostileScan, SeedsStreamAndSigtermEndsTheScanWithEverySeedAccountedFor) {
  server_->Get("/reset");
  std::vector<std::string> args = {testing::DragnetBinary(), "--config", Config(), "--log-level", "error",
                                   "scan", "--json", "--no-locate", "--no-report", Url("/ok")};
  const int kStuck = 40;
  for (int i = 0; i < kStuck; ++i) args.push_back(Url("/hold?ms=60000", "s" + std::to_string(i) + ".tarpit.test"));
  std::string out = dir_.File("out.jsonl"), err = dir_.File("err.txt");
  std::string cmd = "exec";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " >'" + out + "' 2>'" + err + "'";
  testing::Process p({"sh", "-c", cmd});
  auto first_line = [&] { return testing::ReadAll(out).find('\n') != std::string::npos; };
  for (int i = 0; i < 600 && !first_line(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(first_line()) << testing::ReadAll(err);
  EXPECT_TRUE(p.running()) << "the fast seed was printed while the others were still being crawled";
  auto docs = JsonLines(testing::ReadAll(out));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]["seed"], Url("/ok"));
  for (int i = 0; i < 300 && Stats().value("max_total", 0) < kStuck; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(60000), 143) << testing::ReadAll(err);
  auto all = BySeed(JsonLines(testing::ReadAll(out)));
  ASSERT_EQ(all.size(), static_cast<size_t>(kStuck + 1)) << testing::ReadAll(err);
  for (const auto& [seed, d] : all) {
    if (seed == Url("/ok")) continue;
    EXPECT_TRUE(Has(d["limits_hit"], "interrupted")) << d.dump();
    EXPECT_TRUE(Has(d["errors"], "interrupted")) << d.dump();
    EXPECT_FALSE(d.contains("verdict")) << "a half-crawled site is not scored";
  }
  EXPECT_NE(testing::ReadAll(err).find("stopped by signal 15"), std::string::npos) << testing::ReadAll(err);
  RunResult v = testing::Run({testing::DragnetBinary(), "evidence", "verify", dir_.File("state") + "/evidence"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

// ------------------------------------------------------------ the disk ---

// A full disk under the evidence folder is a failure of the run (exit 1)
// that names the path, not a quiet error line per site.
TEST_F(HostileScan, AFullDiskIsExitOneNamingThePath) {
  std::string ev = dir_.File("small-disk");
  std::filesystem::create_directories(ev);
  ASSERT_EQ(mount("tmpfs", ev.c_str(), "tmpfs", 0, "size=256k"), 0)
      << "this test needs root to mount a 256 KiB tmpfs: " << std::strerror(errno);
  RunResult r = Scan(Config(), {"--evidence", ev, "--no-report", Url("/big?kb=600")});
  umount2(ev.c_str(), MNT_DETACH);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find(ev), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_EQ(JsonLines(r.out).size(), 1u) << "the result is still printed";
}

}  // namespace
}  // namespace dragnet::app
