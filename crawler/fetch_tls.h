#pragma once
// TLS facts of one connection, read from OpenSSL after the handshake: the
// leaf certificate (subject, issuer, SANs, validity, SHA-256 fingerprint of
// the DER) and whether the chain and the name verify.
//
// The fetcher connects with curl's own verification off (scam sites often
// have bad certificates and we fetch them anyway), but OpenSSL still runs
// chain verification against the trust store in SSL_VERIFY_NONE mode and
// keeps the result (SSL_get_verify_result). curl checks the host name
// itself, outside OpenSSL, so the name is checked here (X509_check_host /
// X509_check_ip_asc). `verified` is true only when both pass.
//
// Pure functions over OpenSSL objects the caller owns; thread-safe.

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "core/model.h"

namespace dragnet::crawler {

// At most this many SubjectAltNames are recorded: shared CDN certificates
// carry a few hundred; thousands would only bloat every capture.
inline constexpr size_t kMaxSans = 1000;
// Subject/issuer/SAN strings longer than this are cut (a certificate is
// attacker-controlled text).
inline constexpr size_t kMaxCertString = 1024;

// Leaf facts and the verification result of an established connection.
// `host` is the name (or IP literal) the URL asked for.
TlsInfo TlsInfoFromSsl(SSL* ssl, std::string_view host);

// The certificate fields alone (present/verified untouched).
void FillLeafFacts(X509* leaf, TlsInfo* out);

// Lowercase hex SHA-256 of the DER encoding.
std::string CertSha256(X509* cert);

}  // namespace dragnet::crawler
