#include "crawler/fetch_tls.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "core/clock.h"
#include "core/hash.h"
#include "core/text.h"

namespace dragnet::crawler {
namespace {

// Certificate strings are the sender's bytes (a dNSName may hold anything):
// made text here, bounded.
std::string Cut(std::string_view s) { return CutText(s, kMaxCertString); }

std::string NameToString(const X509_NAME* name) {
  if (name == nullptr) return {};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio) return {};
  // RFC 2253 order and escaping, but keep UTF-8 as UTF-8.
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) return {};
  return Cut(std::string(data, static_cast<size_t>(len)));
}

std::string TimeToRfc3339(const ASN1_TIME* t) {
  if (t == nullptr) return {};
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return FormatRfc3339(static_cast<int64_t>(timegm(&tm)));
}

std::string IpFromOctets(const ASN1_OCTET_STRING* s) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (s->length == 4) {
    inet_ntop(AF_INET, s->data, buf, sizeof buf);
  } else if (s->length == 16) {
    inet_ntop(AF_INET6, s->data, buf, sizeof buf);
  }
  return buf;
}

bool IsIpLiteral(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

}  // namespace

std::string CertSha256(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (cert == nullptr || X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  return HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

void FillLeafFacts(X509* leaf, TlsInfo* out) {
  out->subject = NameToString(X509_get_subject_name(leaf));
  out->issuer = NameToString(X509_get_issuer_name(leaf));
  out->not_before = TimeToRfc3339(X509_get0_notBefore(leaf));
  out->not_after = TimeToRfc3339(X509_get0_notAfter(leaf));
  out->sha256 = CertSha256(leaf);
  out->sans.clear();
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return;
  int count = sk_GENERAL_NAME_num(names);
  for (int i = 0; i < count && out->sans.size() < kMaxSans; ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type == GEN_DNS) {
      const ASN1_IA5STRING* s = gn->d.dNSName;
      out->sans.push_back(Cut(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                          static_cast<size_t>(ASN1_STRING_length(s)))));
    } else if (gn->type == GEN_IPADD) {
      std::string ip = IpFromOctets(gn->d.iPAddress);
      if (!ip.empty()) out->sans.push_back(ip);
    }
  }
  GENERAL_NAMES_free(names);
}

TlsInfo TlsInfoFromSsl(SSL* ssl, std::string_view host_view) {
  TlsInfo info;
  if (ssl == nullptr) return info;
  info.present = true;
  X509* leaf = SSL_get1_peer_certificate(ssl);
  if (leaf == nullptr) {
    info.verify_error = "no peer certificate";
    return info;
  }
  FillLeafFacts(leaf, &info);
  long chain = SSL_get_verify_result(ssl);
  std::string host(host_view);
  int name_ok = IsIpLiteral(host) ? X509_check_ip_asc(leaf, host.c_str(), 0)
                                  : X509_check_host(leaf, host.data(), host.size(),
                                                    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr);
  X509_free(leaf);
  std::string why;
  if (chain != X509_V_OK) why = X509_verify_cert_error_string(chain);
  if (name_ok != 1) {
    if (!why.empty()) why += "; ";
    why += "certificate is not valid for host '" + Cut(host) + "'";
  }
  info.verified = why.empty();
  info.verify_error = why;
  return info;
}

}  // namespace dragnet::crawler
