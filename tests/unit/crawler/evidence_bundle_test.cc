// Exported bundles, verified by Dragnet and by the stand-alone python3 +
// openssl verifier (scripts/verify-evidence-bundle, and the recipe in
// docs/EVIDENCE.md run literally), good and tampered; RFC 3161 timestamps
// from a real local TSA (`openssl ts -reply` behind tests/harness/tsa_server.py,
// its CA made at test time) requested through the fetcher.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "crawler/evidence.h"
#include "crawler/evidence_bundle.h"
#include "crawler/evidence_tsa.h"
#include "tests/harness/harness.h"
#include "tests/unit/crawler/evidence_test_util.h"

namespace dragnet::crawler {
namespace {

namespace fs = std::filesystem;
using dragnet::testing::ReadAll;
using dragnet::testing::RunResult;
using dragnet::testing::TempDir;
using dragnet::testing::WriteAll;

std::string All(const VerifyReport& r) {
  std::string s;
  for (const auto& p : r.problems) s += p + "\n";
  return s;
}

class BundleTest : public ::testing::Test {
 protected:
  BundleTest() : store_(state_.path() + "/evidence", {state_.path() + "/keys"}) {}
  void SetUp() override {
    ASSERT_TRUE(store_.Init().ok());
    for (int i = 0; i < 5; ++i) {
      auto p = test::WriteManifest(store_, "http://s" + std::to_string(i) + ".example/", 3);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      manifests_.push_back(*p);
    }
  }
  std::string Export(const std::vector<std::string>& ms, const std::string& tsa_ca = "") {
    std::string out = out_.path() + "/bundle" + std::to_string(n_++);
    ExportOptions o;
    o.key_dir = store_.key_dir();
    o.tsa_ca_file = tsa_ca;
    o.tool = "dragnet/test";
    auto r = ExportBundle(ms, out, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return out;
  }
  // Verified as a recipient would: no installation keys, the bundle's own.
  VerifyReport Verify(const std::string& bundle, std::vector<std::string> pins = {}) {
    VerifyOptions o;
    o.pinned_keys = std::move(pins);
    auto r = VerifyEvidence(bundle, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }
  static RunResult Python(const std::string& bundle, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"/usr/bin/python3", dragnet::testing::SourceDir() + "/scripts/verify-evidence-bundle",
                                     bundle};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return dragnet::testing::Run(argv);
  }
  std::string Fingerprint() { return store_.keyring().Current()->pub.fingerprint; }

  TempDir state_, out_;
  EvidenceStore store_;
  std::vector<std::string> manifests_;
  int n_ = 0;
};

TEST_F(BundleTest, AnExportedBundleVerifiesWithAndWithoutDragnet) {
  std::string b = Export({manifests_[1], manifests_[3]});
  auto index = nlohmann::json::parse(ReadAll(b + "/bundle.json"));
  EXPECT_EQ(index["format"], kBundleFormat);
  EXPECT_EQ(index["manifests"].size(), 2u);
  EXPECT_EQ(index["tree_head"]["size"], 5);
  EXPECT_EQ(index["manifests"][0]["leaf_index"], 1);
  EXPECT_EQ(index["manifests"][0]["logged_head"]["size"], 2);  // the checkpoint of its own append
  EXPECT_EQ(index["keys"][0], Fingerprint());
  EXPECT_TRUE(fs::exists(b + "/README.txt"));
  EXPECT_NE(ReadAll(b + "/README.txt").find(Fingerprint()), std::string::npos);
  // The verifier in the bundle is the one in scripts/, byte for byte.
  EXPECT_EQ(ReadAll(b + "/verify-evidence-bundle"),
            ReadAll(dragnet::testing::SourceDir() + "/scripts/verify-evidence-bundle"));
  for (const auto& e : fs::recursive_directory_iterator(b)) EXPECT_NE(e.path().extension(), ".key") << e.path();

  VerifyReport rep = Verify(b, {Fingerprint()});
  EXPECT_TRUE(rep.ok()) << All(rep);
  EXPECT_EQ(rep.manifests, 2);
  EXPECT_EQ(rep.sealed, 2);
  EXPECT_EQ(rep.blobs, 12);  // 3 entries x (raw + body) x 2; headers are inline

  RunResult py = Python(b, {"--key", Fingerprint()});
  EXPECT_EQ(py.exit_code, 0) << py.out << py.err;
  EXPECT_NE(py.out.find("OK: 2 manifests (2 sealed), tree head of 5 manifests checked"), std::string::npos) << py.out;
}

TEST_F(BundleTest, TamperedBundlesFailBothVerifiersNamingWhat) {
  struct Case {
    const char* what;
    std::function<void(const std::string&)> tamper;
    const char* dragnet_says;
    const char* python_says;
  };
  auto manifest_of = [](const std::string& b) {
    for (const auto& e : fs::directory_iterator(b + "/manifests")) return e.path().string();
    return std::string();
  };
  std::vector<Case> cases = {
      {"cut last entry, head and entry_count rewritten",
       [&](const std::string& b) {
         auto m = nlohmann::json::parse(ReadAll(manifest_of(b)));
         m["entries"].erase(2);
         m["entry_count"] = 2;
         m["head"] = m["entries"][1]["hash"];
         WriteAll(manifest_of(b), m.dump(1) + "\n");
       },
       "entries, entry_count, head edited after signing", "seal broken"},
      {"written_at edited",
       [&](const std::string& b) {
         auto m = nlohmann::json::parse(ReadAll(manifest_of(b)));
         m["written_at"] = "2020-01-01T00:00:00.000Z";
         WriteAll(manifest_of(b), m.dump(1) + "\n");
       },
       "written_at edited after signing", "seal broken"},
      {"one byte of a blob flipped",
       [&](const std::string& b) {
         for (const auto& e : fs::recursive_directory_iterator(b + "/objects")) {
           if (!e.is_regular_file()) continue;
           std::string bytes = ReadAll(e.path().string());
           bytes[2] ^= 1;
           WriteAll(e.path().string(), bytes);
           break;
         }
       },
       "altered (hash mismatch)", "missing or altered"},
      {"tree head root replaced",
       [&](const std::string& b) {
         auto j = nlohmann::json::parse(ReadAll(b + "/bundle.json"));
         j["tree_head"]["root"] = std::string(64, '0');
         WriteAll(b + "/bundle.json", j.dump(1));
       },
       "tree_head signature does not match", "tree_head signature does not verify"},
      {"a manifest added",
       [&](const std::string& b) { fs::copy_file(manifest_of(b), b + "/manifests/zz-extra.json"); },
       "zz-extra.json: not listed in bundle.json", "zz-extra.json: not listed in bundle.json"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    std::string b = Export({manifests_[2]});
    c.tamper(b);
    VerifyReport rep = Verify(b, {Fingerprint()});
    ASSERT_FALSE(rep.ok());
    EXPECT_NE(All(rep).find(c.dragnet_says), std::string::npos) << All(rep);
    RunResult py = Python(b, {"--key", Fingerprint()});
    EXPECT_EQ(py.exit_code, 3) << py.out << py.err;
    EXPECT_NE(py.out.find(c.python_says), std::string::npos) << py.out;
  }
}

// A bundle re-signed by someone else's key verifies only against that key:
// the recipient pins the fingerprint from the report, and then it fails.
TEST_F(BundleTest, ASwappedKeyFailsAgainstThePinnedFingerprint) {
  std::string b = Export({manifests_[0]});
  TempDir attacker;
  auto evil = Keyring(attacker.path()).Current();
  ASSERT_TRUE(evil.ok());
  std::string mpath;
  for (const auto& e : fs::directory_iterator(b + "/manifests")) mpath = e.path().string();
  auto m = nlohmann::json::parse(ReadAll(mpath));
  m["annex"] = {{"dns", "edited"}};
  m["seal"]["key_id"] = evil->pub.key_id;
  m["seal"]["signature"] = Base64Encode(evil->Sign(ManifestSignedBytes(m)));
  WriteAll(mpath, m.dump(1) + "\n");
  fs::remove_all(b + "/pubkeys");
  fs::create_directories(b + "/pubkeys");
  WriteAll(b + "/pubkeys/evidence-" + evil->pub.key_id + ".pub", evil->pub.ToJson());
  VerifyReport rep = Verify(b, {Fingerprint()});
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(All(rep).find("which is not a trusted key"), std::string::npos) << All(rep);
  RunResult py = Python(b, {"--key", Fingerprint()});
  EXPECT_EQ(py.exit_code, 3) << py.out;
}

// docs/EVIDENCE.md's manual recipe (between the recipe markers), run as
// written: it checks one manifest's seal and the tree head's signature with
// python3 and openssl alone.
TEST_F(BundleTest, TheDocumentedOpensslRecipeRunsAsWritten) {
  std::string doc = ReadAll(dragnet::testing::SourceDir() + "/docs/EVIDENCE.md");
  size_t a = doc.find("<!-- recipe:begin -->"), z = doc.find("<!-- recipe:end -->");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(z, std::string::npos);
  std::string block = doc.substr(a, z - a);
  size_t s = block.find("```sh\n"), e = block.rfind("```");
  ASSERT_NE(s, std::string::npos);
  std::string script = block.substr(s + 6, e - s - 6);
  std::string b = Export({manifests_[4]});
  std::string name = fs::path(manifests_[4]).filename().string();
  RunResult r = dragnet::testing::Run({"/bin/bash", "-euo", "pipefail", "-c", script}, "", 60000,
                                      {{"BUNDLE", b}, {"MANIFEST", b + "/manifests/" + name}});
  EXPECT_EQ(r.exit_code, 0) << script << "\n--\n" << r.out << r.err;
  // Two signatures checked: the manifest's seal and the tree head's.
  size_t n = 0;
  for (size_t p = r.out.find("Signature Verified Successfully"); p != std::string::npos;
       p = r.out.find("Signature Verified Successfully", p + 1)) {
    ++n;
  }
  EXPECT_EQ(n, 2u) << r.out;
  // And it fails on an edited manifest.
  auto m = nlohmann::json::parse(ReadAll(b + "/manifests/" + name));
  m["tool"] = "dragnet/forged";
  WriteAll(b + "/manifests/" + name, m.dump(1) + "\n");
  r = dragnet::testing::Run({"/bin/bash", "-euo", "pipefail", "-c", script}, "", 60000,
                            {{"BUNDLE", b}, {"MANIFEST", b + "/manifests/" + name}});
  EXPECT_NE(r.exit_code, 0) << r.out;
}

TEST_F(BundleTest, ExportRefusesEvidenceThatFailsItsLog) {
  auto m = nlohmann::json::parse(ReadAll(manifests_[0]));
  m["tool"] = "dragnet/forged";
  WriteAll(manifests_[0], m.dump(1) + "\n");
  ExportOptions o;
  auto r = ExportBundle({manifests_[0]}, out_.path() + "/x", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorrupt);
  EXPECT_FALSE(ExportBundle({state_.path() + "/nope.json"}, out_.path() + "/y", o).ok());
}

// ---------------------------------------------------------------- the TSA ---

class TsaTest : public BundleTest {
 protected:
  void SetUp() override {
    BundleTest::SetUp();
    port_ = dragnet::testing::FreePort();
    tsa_ = dragnet::testing::Process({"/usr/bin/python3", dragnet::testing::SourceDir() + "/tests/harness/tsa_server.py",
                                      "--port", std::to_string(port_), "--dir", tsa_dir_.path()},
                                     tsa_dir_.File("server.log"));
    ASSERT_TRUE(dragnet::testing::WaitForPort(port_, 30000)) << ReadAll(tsa_dir_.File("server.log"));
    tsa_opts_.url = "http://127.0.0.1:" + std::to_string(port_) + "/tsa";
    tsa_opts_.ca_file = tsa_dir_.File("ca.pem");
    crawl_.allow_private = true;  // the TSA is on loopback
  }
  TempDir tsa_dir_;
  int port_ = 0;
  dragnet::testing::Process tsa_;
  TsaOptions tsa_opts_;
  CrawlOptions crawl_;
};

TEST_F(TsaTest, TheTreeHeadIsTimestampedVerifiedAndExported) {
  auto ts = TimestampLatest(store_.dir(), tsa_opts_, crawl_);
  ASSERT_TRUE(ts.ok()) << ts.status().ToString() << ReadAll(tsa_dir_.File("server.log"));
  EXPECT_EQ(ts->head.size, 5u);
  EXPECT_TRUE(fs::exists(store_.dir() + "/log/tsr/5.tsr"));
  EXPECT_FALSE(ts->gen_time.empty());
  EXPECT_NE(ReadAll(tsa_dir_.File("requests.log")).find("application/timestamp-query"), std::string::npos);
  // openssl itself agrees: the stored response stamps this tree head.
  RunResult o = dragnet::testing::Run({"openssl", "ts", "-verify", "-digest", HexEncode(ts->head.Digest()), "-in",
                                       ts->path, "-CAfile", tsa_opts_.ca_file});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;

  VerifyOptions vo;
  vo.key_dir = store_.key_dir();
  vo.tsa_ca_file = tsa_opts_.ca_file;
  auto rep = VerifyEvidence(store_.dir(), vo);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << All(*rep);
  EXPECT_EQ(rep->timestamps, 1);

  std::string b = Export({manifests_[0]}, tsa_opts_.ca_file);
  auto index = nlohmann::json::parse(ReadAll(b + "/bundle.json"));
  EXPECT_EQ(index["timestamp"]["file"], "log/tsr/5.tsr");
  VerifyReport brep = Verify(b, {Fingerprint()});
  EXPECT_TRUE(brep.ok()) << All(brep);
  EXPECT_EQ(brep.timestamps, 1);
  RunResult py = Python(b, {"--key", Fingerprint()});
  EXPECT_EQ(py.exit_code, 0) << py.out << py.err;
  EXPECT_NE(py.out.find("tree head timestamped (openssl ts -verify: OK)"), std::string::npos) << py.out;

  // A stored response moved to another checkpoint, or altered, fails.
  std::string der = ReadAll(store_.dir() + "/log/tsr/5.tsr");
  WriteAll(store_.dir() + "/log/tsr/4.tsr", der);
  rep = VerifyEvidence(store_.dir(), vo);
  ASSERT_TRUE(rep.ok());
  EXPECT_NE(All(*rep).find("4.tsr: timestamp does not stamp this tree head"), std::string::npos) << All(*rep);
  fs::remove(store_.dir() + "/log/tsr/4.tsr");
  der[der.size() - 10] ^= 0x01;
  WriteAll(store_.dir() + "/log/tsr/5.tsr", der);
  rep = VerifyEvidence(store_.dir(), vo);
  ASSERT_TRUE(rep.ok());
  EXPECT_FALSE(rep->ok());
  EXPECT_NE(All(*rep).find("5.tsr"), std::string::npos) << All(*rep);
}

// The request goes through the fetcher: with private addresses refused (the
// default), the loopback TSA is not reached.
TEST_F(TsaTest, TheSsrfGuardAppliesToTheTsaRequest) {
  crawl_.allow_private = false;
  auto ts = TimestampLatest(store_.dir(), tsa_opts_, crawl_);
  ASSERT_FALSE(ts.ok());
  EXPECT_NE(ts.status().message().find("refused"), std::string::npos) << ts.status().message();
  EXPECT_FALSE(fs::exists(store_.dir() + "/log/tsr/5.tsr"));
}

}  // namespace
}  // namespace dragnet::crawler
