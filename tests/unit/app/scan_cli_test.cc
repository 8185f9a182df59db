// `dragnet scan` end to end: the built binary, a config file written here,
// and nginx serving the demo's fixture sites as virtual hosts on 127.0.0.1
// (names pinned with a '*' resolve rule). Checks what an analyst relies on:
// the JSON per seed, verdicts, evidence that verifies, reports in the
// outbox, exit codes, and that the worker pool changes nothing found.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet::app {
namespace {

using nlohmann::json;
using testing::NginxServer;
using testing::RunResult;
using testing::TempDir;

const char* kSites = R"(
  server {
    listen 127.0.0.1:{{PORT}} default_server;
    server_name _;
    root {{FIXTURES}}/sites/demo/$host;
  }
)";

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

// Documents of a scan by seed: scan prints each seed as soon as it is done,
// so the order of the lines is the order of completion.
std::map<std::string, json> BySeed(const std::vector<json>& docs) {
  std::map<std::string, json> out;
  for (const json& d : docs) out[d["seed"].get<std::string>()] = d;
  return out;
}

std::vector<std::string> OutboxFiles(const std::string& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() == ".eml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class ScanCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { nginx_ = new NginxServer(kSites); }
  static void TearDownTestSuite() {
    delete nginx_;
    nginx_ = nullptr;
  }

  std::string Url(const std::string& host) {
    return "http://" + host + ":" + std::to_string(nginx_->port()) + "/";
  }

  // A config for one state folder, with extra [crawl] and [delivery] lines.
  // Hosting is not located here (no DNS or RDAP server), so the recipients
  // are the providers of the scammers' contacts: a test table naming the
  // demo phishing kit's mail domain and WhatsApp (addresses are .invalid).
  std::string Config(const std::string& state, const std::string& crawl_extra = "",
                     const std::string& delivery_extra = "") {
    std::string contacts = state + "-contacts.toml";
    testing::WriteAll(contacts,
                      "[[providers]]\nemail_domains = [\"secure-mail-help.com\"]\nname = \"Test Mail\"\n"
                      "email = \"abuse@mail.invalid\"\nsource = \"https://mail.invalid/abuse\"\n"
                      "[[providers]]\nindicator_types = [\"whatsapp\"]\nname = \"Test Messenger\"\n"
                      "email = \"abuse@messenger.invalid\"\nsource = \"https://messenger.invalid/abuse\"\n");
    std::string path = state + ".toml";
    testing::WriteAll(path, "[general]\nstate_dir = \"" + state +
                                "\"\n"
                                "[crawl]\nallow_private = true\nresolve = [\"*:" +
                                std::to_string(nginx_->port()) + ":127.0.0.1\"]\n" + crawl_extra +
                                "\n[reporter]\norg = \"Test CERT\"\ncontact_email = \"cert@dragnet.invalid\"\n"
                                "domain = \"dragnet.invalid\"\n"
                                "[contacts]\nfile = \"" + contacts + "\"\n"
                                "[delivery]\nenabled = false\n" +
                                delivery_extra +
                                // The browser stage has its own end-to-end test
                                // (scan_browser_test.cc); these stay static-only.
                                "\n[browser]\nenabled = false\n");
    return path;
  }

  RunResult Scan(const std::string& config, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {testing::DragnetBinary(), "--config", config, "--log-level", "warn",
                                     "scan", "--json", "--no-locate"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, "", 120000);
  }

  static NginxServer* nginx_;
  TempDir dir_;
};

NginxServer* ScanCli::nginx_ = nullptr;

TEST_F(ScanCli, VerdictsEvidenceAndReportsForEachSeed) {
  std::string state = dir_.File("state");
  std::string cfg = Config(state);
  std::string out_file = dir_.File("results.jsonl");
  RunResult r = Scan(cfg, {Url("swedbank-secure-login.com"), Url("swedbank.se"),
                           Url("nike-outlet-sale.shop"), Url("parcel-notice-review.com"), "--output", out_file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 4u) << r.out;
  EXPECT_EQ(testing::ReadAll(out_file), r.out) << "--output holds what --json printed";
  auto by_seed = BySeed(docs);
  ASSERT_EQ(by_seed.size(), 4u);

  const json& phish = by_seed[Url("swedbank-secure-login.com")];
  EXPECT_EQ(phish["seed"], Url("swedbank-secure-login.com"));
  EXPECT_EQ(phish["verdict"]["label"], "malicious");
  EXPECT_EQ(phish["verdict"]["scam_type"], "phishing");
  EXPECT_EQ(phish["verdict"]["brand_impersonated"], "Swedbank");
  EXPECT_FALSE(phish["indicators"].empty());
  EXPECT_FALSE(phish["case_id"].get<std::string>().empty());

  const json& bank = by_seed[Url("swedbank.se")];
  EXPECT_EQ(bank["seed"], Url("swedbank.se"));
  EXPECT_EQ(bank["verdict"]["label"], "benign") << bank["verdict"].dump();

  const json& shop = by_seed[Url("nike-outlet-sale.shop")];
  EXPECT_EQ(shop["verdict"]["label"], "malicious");
  EXPECT_EQ(shop["verdict"]["scam_type"], "shopping");

  // A parcel-fee card form with no brand on it: suspicious, its score between
  // the review and auto-report thresholds, so the report waits for an analyst
  // and nothing is written for it yet.
  const json& grey = by_seed[Url("parcel-notice-review.com")];
  EXPECT_EQ(grey["verdict"]["label"], "suspicious") << grey["verdict"].dump();
  ASSERT_FALSE(grey["reports"].empty());
  for (const json& rep : grey["reports"]) EXPECT_EQ(rep["status"], "review") << rep.dump();

  for (const json& d : docs) {
    ASSERT_FALSE(d["pages"].empty()) << d["seed"];
    EXPECT_EQ(d["pages"][0]["status"], 200) << d["pages"][0].dump();
    for (const json& p : d["pages"]) EXPECT_EQ(p["sha256"].get<std::string>().size(), 64u) << p.dump();
    EXPECT_TRUE(std::filesystem::exists(d["evidence_manifest"].get<std::string>())) << d["seed"];
  }

  RunResult v = testing::Run({testing::DragnetBinary(), "evidence", "verify", state + "/evidence"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  // Reports for the auto-reported phishing site and shop; the parcel notice
  // waits for review and the bank's own page gets none.
  auto emls = OutboxFiles(state + "/outbox");
  ASSERT_FALSE(emls.empty());
  std::string phish_case = phish["case_id"], shop_case = grey["case_id"];
  bool saw_phish = false, saw_shop = false;
  for (const auto& f : emls) {
    std::string text = testing::ReadAll(f);
    bool phish_mail = text.find(phish_case) != std::string::npos;
    bool shop_mail = text.find(shop_case) != std::string::npos;
    saw_phish |= phish_mail;
    saw_shop |= shop_mail;
    if (phish_mail) {
      EXPECT_NE(text.find("To: <abuse@mail.invalid>"), std::string::npos) << f;
    }
    EXPECT_EQ(text.find("swedbank.se:"), std::string::npos) << f;

  }
  EXPECT_TRUE(saw_phish);
  EXPECT_FALSE(saw_shop);
}

TEST_F(ScanCli, AnInvalidSeedIsNamedAndSkippedAndTheRestIsScanned) {
  std::string state = dir_.File("state");
  RunResult r = Scan(Config(state), {Url("swedbank.se"), "ftp://files.example/x"});
  EXPECT_EQ(r.exit_code, 4) << "partial: one input rejected";
  EXPECT_NE(r.err.find("argument 2: skipped:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'ftp'"), std::string::npos) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 1u) << r.out;
  EXPECT_EQ(docs[0]["seed"], Url("swedbank.se"));
}

TEST_F(ScanCli, OnlyInvalidSeedsIsAUsageErrorAndNothingIsFetched) {
  std::string state = dir_.File("state");
  RunResult r = Scan(Config(state), {"ftp://files.example/x", "not a url"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(std::filesystem::exists(state + "/evidence/manifests")) << "nothing fetched";
}

// A seed file as people and tools write it: a UTF-8 byte-order mark, CRLF
// and CR line ends, a NUL byte and raw 8-bit bytes. Good lines are scanned,
// bad ones named by file and line, nothing is silently cut.
TEST_F(ScanCli, SeedFilesWithABomCrlfAndNulBytesAreReadLineByLine) {
  std::string state = dir_.File("state");
  std::string file = dir_.File("seeds.txt");
  testing::WriteAll(file, "\xEF\xBB\xBF" + Url("swedbank.se") + "\r\n# comment\r\n" +
                              std::string("http://nul.example/\0x", 21) + "\r" + Url("nike-outlet-sale.shop") +
                              "\n\xff\xfe not a url\n");
  RunResult r = Scan(Config(state), {"-f", file, "--no-report"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find(file + ":3: skipped: the line holds a NUL byte"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file + ":5: skipped:"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\xff'), std::string::npos) << "raw bytes are never echoed to the terminal";
  auto by_seed = BySeed(JsonLines(r.out));
  EXPECT_EQ(by_seed.size(), 2u) << r.out;
  EXPECT_TRUE(by_seed.count(Url("swedbank.se"))) << "the BOM is not part of the first URL";
  EXPECT_TRUE(by_seed.count(Url("nike-outlet-sale.shop")));

  std::string utf16 = dir_.File("utf16.txt");
  testing::WriteAll(utf16, std::string("\xFF\xFEh\0t\0", 6));
  RunResult u = Scan(Config(state), {"-f", utf16});
  EXPECT_EQ(u.exit_code, 2);
  EXPECT_NE(u.err.find("UTF-16"), std::string::npos) << u.err;
}

// Seeds as feeds and tickets write them: defanged, or a bare domain. Each
// is scanned as the URL it stands for; a line that is still no URL after
// refanging is named and skipped.
TEST_F(ScanCli, DefangedAndBareSeedsAreScannedAsTheirUrls) {
  std::string state = dir_.File("state");
  std::string port = std::to_string(nginx_->port());
  std::string file = dir_.File("feed.txt");
  testing::WriteAll(file, "hxxp://swedbank[.]se:" + port + "/\n" + "nike-outlet-sale(.)shop:" + port +
                              "/\nhxxp://bad host[.]test/\n");
  RunResult r = Scan(Config(state), {"-f", file, "--no-report"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find(file + ":3: skipped:"), std::string::npos) << r.err;
  auto by_seed = BySeed(JsonLines(r.out));
  EXPECT_EQ(by_seed.size(), 2u) << r.out;
  EXPECT_TRUE(by_seed.count(Url("swedbank.se"))) << r.out;
  EXPECT_TRUE(by_seed.count(Url("nike-outlet-sale.shop"))) << r.out;
}

// Feeds as CERTs get them: a URLhaus CSV dump and a PhishTank data file.
// Each record's URL is scanned; a record without one is named by its line
// (or entry) and skipped, and the run exits 4.
TEST_F(ScanCli, FeedFormatsAreReadWithTheirRecordsNamed) {
  std::string state = dir_.File("state");
  std::string csv = dir_.File("urlhaus.csv");
  testing::WriteAll(csv, "# abuse.ch URLhaus Database Dump (CSV - recent URLs)\n"
                         "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
                         "\"1\",\"2026-12-01 10:00:00\",\"" + Url("swedbank.se") +
                         "\",\"online\",\"\",\"malware_download\",\"a,b\",\"https://urlhaus.abuse.ch/url/1/\",\"t\"\n"
                         "\"2\",\"2026-12-01 10:00:01\"\n");
  RunResult r = Scan(Config(state), {"-f", csv, "--format", "urlhaus_csv", "--no-report"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find(csv + ":4: skipped:"), std::string::npos) << r.err;
  auto by_seed = BySeed(JsonLines(r.out));
  EXPECT_EQ(by_seed.size(), 1u) << r.out;
  EXPECT_TRUE(by_seed.count(Url("swedbank.se"))) << r.out;

  std::string json_feed = dir_.File("phishtank.json");
  testing::WriteAll(json_feed, "[{\"phish_id\": 11, \"url\": \"" + Url("nike-outlet-sale.shop") +
                                   "\"}, {\"phish_id\": 12}]");
  r = Scan(Config(state), {"-f", json_feed, "--format", "phishtank_json", "--no-report"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find(json_feed + ": entry 2 (phish_id 12): skipped: it has no url string"), std::string::npos)
      << r.err;
  EXPECT_EQ(BySeed(JsonLines(r.out)).count(Url("nike-outlet-sale.shop")), 1u) << r.out;

  r = Scan(Config(state), {"-f", json_feed, "--format", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown feed format 'xml'"), std::string::npos) << r.err;
}

// On a terminal, scan shows its progress on stderr (seeds done/total,
// pages, rate) and erases it at the end; piped, it shows none. script(1)
// gives the scan a terminal.
TEST_F(ScanCli, ProgressIsShownOnATerminalOnly) {
  std::string state = dir_.File("state");
  std::string cmd = testing::DragnetBinary() + " --config " + Config(state) + " scan --no-locate --no-report " +
                    Url("swedbank.se") + " " + Url("nike-outlet-sale.shop") + " 2>&1 >/dev/null";
  RunResult tty = testing::Run({"script", "-qec", cmd, "/dev/null"}, "", 120000);
  EXPECT_EQ(tty.exit_code, 0) << tty.out << tty.err;
  EXPECT_NE(tty.out.find("dragnet scan: 1/2 seeds, "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("dragnet scan: 2/2 seeds, "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find(" seeds/s"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("\r\033[K"), std::string::npos) << "the line is erased";
  RunResult piped = Scan(Config(state), {Url("swedbank.se"), Url("nike-outlet-sale.shop"), "--no-report"});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err.find("seeds/s"), std::string::npos) << piped.err;
}

TEST_F(ScanCli, ABadConfigValueNamesTheKey) {
  std::string state = dir_.File("state");
  RunResult r = Scan(Config(state, "workers = 9999"), {Url("swedbank.se")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("crawl.workers"), std::string::npos) << r.err;
}

// With a batch window, reports wait to be grouped per recipient; a one-shot
// scan closes its batches before it exits, so nothing is left unsent.
TEST_F(ScanCli, OpenBatchesAreFlushedWhenTheScanEnds) {
  std::string state = dir_.File("state");
  RunResult r = Scan(Config(state, "", "batch_window = \"1h\"\n"),
                     {Url("swedbank-secure-login.com"), Url("nike-outlet-sale.shop")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto docs = BySeed(JsonLines(r.out));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[Url("swedbank-secure-login.com")]["verdict"]["label"], "malicious");
  EXPECT_FALSE(OutboxFiles(state + "/outbox").empty());
  RunResult list = testing::Run({testing::DragnetBinary(), "--config", Config(state, "", "batch_window = \"1h\"\n"),
                                 "reports", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::vector<json> rows = JsonLines(list.out);
  ASSERT_FALSE(rows.empty());
  for (const json& row : rows) EXPECT_NE(row["status"], "pending") << row.dump();
}

// The pool that parses and extracts off the fetching thread changes when the
// work is done, never what is found.
TEST_F(ScanCli, OneWorkerAndFourWorkersFindTheSame) {
  std::vector<std::string> seeds = {Url("swedbank-secure-login.com"), Url("btc-profit-club.com"),
                                    Url("nike-outlet-sale.shop"),     Url("postnord-tullavgift.com"),
                                    Url("microsoft-support-alert.com"), Url("swedbank.se")};
  auto run = [&](const std::string& name, const std::string& workers) {
    std::vector<std::string> args = seeds;
    args.push_back("--no-report");
    RunResult r = Scan(Config(dir_.File(name), "workers = " + workers), args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<json> docs = JsonLines(r.out);
    std::sort(docs.begin(), docs.end(),
              [](const json& a, const json& b) { return a["seed"].get<std::string>() < b["seed"].get<std::string>(); });
    for (json& d : docs) {
      for (const char* k : {"started_at", "finished_at", "evidence_manifest"}) d.erase(k);
      std::vector<std::string> pages;
      for (const json& p : d["pages"]) pages.push_back(p.dump());
      std::sort(pages.begin(), pages.end());
      d["pages"] = pages;
    }
    return docs;
  };
  auto one = run("one", "1");
  auto four = run("four", "4");
  ASSERT_EQ(one.size(), seeds.size());
  ASSERT_EQ(four.size(), seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) EXPECT_EQ(one[i], four[i]) << one[i]["seed"];
}

// The locate stage asks the scanned site for its /.well-known/security.txt
// (through the guarded client; allow_private is on here, the guard's own
// tests are in tests/unit/hosting/rdap_guard_test.cc) and lists its
// Contact: as a contact with source security.txt. DNS goes to a dead port
// and the shipped bootstrap knows no .test registry: nothing else is asked.
TEST_F(ScanCli, LocateReadsTheSitesSecurityTxt) {
  NginxServer site(R"(
  server {
    listen 127.0.0.1:{{PORT}};
    location = /.well-known/security.txt { default_type text/plain; return 200 "Contact: mailto:security@shop.test\n"; }
    location / { default_type text/html; return 200 "<html><head><title>Shop</title></head><body>hello</body></html>"; }
  }
)");
  std::string state = dir_.File("state");
  std::string cfg = Config(state);
  std::string extra = "[rdap]\nbootstrap_dir = \"" + testing::SourceDir() + "/config/rdap\"\n"
                      "[dns]\nservers = [\"127.0.0.1:" + std::to_string(testing::FreePort()) + "\"]\n"
                      "timeout = \"200ms\"\nabusix_zone = \"\"\n";
  testing::WriteAll(cfg, testing::ReadAll(cfg) + extra);
  std::string seed = "http://shop.test:" + std::to_string(site.port()) + "/";
  std::string pin = "shop.test:" + std::to_string(site.port()) + ":127.0.0.1";
  RunResult r = testing::Run({testing::DragnetBinary(), "--config", cfg, "--log-level", "warn", "scan", "--json",
                              "--no-report", seed, "--resolve", pin},
                             "", 120000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 1u) << r.out;
  bool found = false;
  for (const auto& c : docs[0]["hosting"]["contacts"]) {
    found |= c["source"] == "security.txt" && c["email"] == "security@shop.test";
  }
  EXPECT_TRUE(found) << docs[0]["hosting"].dump(1);
  // nginx logs a request after answering it: wait for the line (3 s at most).
  for (int i = 0; i < 150 && site.AccessLog().find("GET /.well-known/security.txt") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(site.AccessLog().find("GET /.well-known/security.txt"), std::string::npos) << site.AccessLog();
}

}  // namespace
}  // namespace dragnet::app
