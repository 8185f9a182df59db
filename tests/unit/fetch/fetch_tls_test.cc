// Leaf-certificate facts from an X509 built here with OpenSSL: subject,
// issuer, SANs (with their caps), validity in RFC 3339, the SHA-256 of the
// DER. A certificate is attacker-controlled text, so the caps are tested.
#include "crawler/fetch_tls.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "core/hash.h"

namespace dragnet::crawler {
namespace {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// Self-signed EC certificate valid from `not_before` for `days`, with the
// given DNS SANs and one IP SAN.
X509Ptr MakeCert(const std::vector<std::string>& dns, time_t not_before, int days) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509Ptr x(X509_new());
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 42);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), not_before);
  ASN1_TIME_set(X509_getm_notAfter(x.get()), not_before + days * 86400L);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("SE"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Bänk, \"Secure\" Login"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("login.example"), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  GENERAL_NAMES* sans = sk_GENERAL_NAME_new_null();
  for (const std::string& d : dns) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    ASN1_IA5STRING* s = ASN1_IA5STRING_new();
    ASN1_STRING_set(s, d.data(), static_cast<int>(d.size()));
    GENERAL_NAME_set0_value(gn, GEN_DNS, s);
    sk_GENERAL_NAME_push(sans, gn);
  }
  GENERAL_NAME* ip = GENERAL_NAME_new();
  ASN1_OCTET_STRING* o = ASN1_OCTET_STRING_new();
  const unsigned char addr[4] = {203, 0, 113, 7};
  ASN1_OCTET_STRING_set(o, addr, 4);
  GENERAL_NAME_set0_value(ip, GEN_IPADD, o);
  sk_GENERAL_NAME_push(sans, ip);
  X509_add1_ext_i2d(x.get(), NID_subject_alt_name, sans, 0, X509V3_ADD_DEFAULT);
  GENERAL_NAMES_free(sans);
  X509_set_pubkey(x.get(), key);
  X509_sign(x.get(), key, EVP_sha256());
  EVP_PKEY_free(key);
  return x;
}

TEST(FetchTls, LeafFactsAreRecorded) {
  // 2026-01-01T00:00:00Z, valid 90 days.
  X509Ptr x = MakeCert({"login.example", "*.login.example"}, 1767225600, 90);
  TlsInfo info;
  FillLeafFacts(x.get(), &info);
  EXPECT_EQ(info.subject, "CN=login.example,O=Bänk\\, \\\"Secure\\\" Login,C=SE");
  EXPECT_EQ(info.issuer, info.subject);
  EXPECT_EQ(info.not_before, "2026-01-01T00:00:00Z");
  EXPECT_EQ(info.not_after, "2026-04-01T00:00:00Z");
  std::vector<std::string> want = {"login.example", "*.login.example", "203.0.113.7"};
  EXPECT_EQ(info.sans, want);
  unsigned char* der = nullptr;
  int len = i2d_X509(x.get(), &der);
  ASSERT_GT(len, 0);
  EXPECT_EQ(info.sha256, Sha256Hex(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(len))));
  OPENSSL_free(der);
  EXPECT_EQ(CertSha256(x.get()), info.sha256);
  EXPECT_FALSE(info.present) << "FillLeafFacts leaves present/verified to the caller";
}

TEST(FetchTls, SanCountAndLengthAreCapped) {
  std::vector<std::string> dns;
  dns.push_back(std::string(5000, 'a') + ".example");
  for (size_t i = 0; i < kMaxSans + 500; ++i) dns.push_back("n" + std::to_string(i) + ".example");
  X509Ptr x = MakeCert(dns, 1767225600, 1);
  TlsInfo info;
  FillLeafFacts(x.get(), &info);
  EXPECT_EQ(info.sans.size(), kMaxSans);
  EXPECT_EQ(info.sans[0].size(), kMaxCertString);
  EXPECT_EQ(info.sans[1], "n0.example");
}

TEST(FetchTls, NoSslMeansNoTls) {
  TlsInfo info = TlsInfoFromSsl(nullptr, "example.com");
  EXPECT_FALSE(info.present);
  EXPECT_FALSE(info.verified);
}

}  // namespace
}  // namespace dragnet::crawler
