#include "crawler/evidence_tsa.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "core/fs.h"
#include "core/hash.h"

namespace dragnet::crawler {

namespace {

template <typename T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const { F(p); }
};
using ReqPtr = std::unique_ptr<TS_REQ, Free<TS_REQ, TS_REQ_free>>;
using RespPtr = std::unique_ptr<TS_RESP, Free<TS_RESP, TS_RESP_free>>;
using ImprintPtr = std::unique_ptr<TS_MSG_IMPRINT, Free<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>>;
using AlgPtr = std::unique_ptr<X509_ALGOR, Free<X509_ALGOR, X509_ALGOR_free>>;
using IntPtr = std::unique_ptr<ASN1_INTEGER, Free<ASN1_INTEGER, ASN1_INTEGER_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Free<BIGNUM, BN_free>>;
using VerifyCtxPtr = std::unique_ptr<TS_VERIFY_CTX, Free<TS_VERIFY_CTX, TS_VERIFY_CTX_free>>;

IntPtr NonceInteger(std::string_view nonce) {
  BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(nonce.data()), static_cast<int>(nonce.size()), nullptr));
  if (!bn) return nullptr;
  return IntPtr(BN_to_ASN1_INTEGER(bn.get(), nullptr));
}

// The last complete line of a file, read from its tail (checkpoints.jsonl
// grows by one line per manifest; never read it whole for this).
Result<std::string> LastLine(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("no file '" + path + "'");
    return IoError("cannot open '" + path + "': " + std::strerror(errno));
  }
  off_t end = ::lseek(fd, 0, SEEK_END);
  off_t start = std::max<off_t>(0, end - static_cast<off_t>(2 * kMaxLogLineBytes));
  std::string buf(static_cast<size_t>(end - start), '\0');
  ssize_t n = ::pread(fd, buf.data(), buf.size(), start);
  ::close(fd);
  if (n < 0) return IoError("cannot read '" + path + "': " + std::strerror(errno));
  buf.resize(static_cast<size_t>(n));
  size_t last_nl = buf.rfind('\n');
  if (last_nl == std::string::npos) return NotFound("'" + path + "' holds no complete line");
  size_t prev_nl = last_nl == 0 ? std::string::npos : buf.rfind('\n', last_nl - 1);
  size_t begin = prev_nl == std::string::npos ? 0 : prev_nl + 1;
  if (prev_nl == std::string::npos && start > 0) return Corrupt("'" + path + "': last line longer than kMaxLogLineBytes");
  return buf.substr(begin, last_nl - begin);
}

}  // namespace

Result<std::string> MakeTimestampRequest(std::string_view digest, std::string_view nonce) {
  if (digest.size() != 32) return InvalidArgument("timestamp imprint must be a SHA-256 digest");
  ReqPtr req(TS_REQ_new());
  ImprintPtr mi(TS_MSG_IMPRINT_new());
  AlgPtr alg(X509_ALGOR_new());
  if (!req || !mi || !alg) return Internal("out of memory building a TimeStampReq");
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  IntPtr n = NonceInteger(nonce);
  if (!TS_REQ_set_version(req.get(), 1) || !TS_MSG_IMPRINT_set_algo(mi.get(), alg.get()) ||
      !TS_MSG_IMPRINT_set_msg(mi.get(), reinterpret_cast<unsigned char*>(const_cast<char*>(digest.data())), 32) ||
      !TS_REQ_set_msg_imprint(req.get(), mi.get()) || !n || !TS_REQ_set_nonce(req.get(), n.get()) ||
      !TS_REQ_set_cert_req(req.get(), 1)) {
    return Internal("cannot build a TimeStampReq");
  }
  unsigned char* der = nullptr;
  int len = i2d_TS_REQ(req.get(), &der);
  if (len <= 0) return Internal("cannot encode a TimeStampReq");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

Status VerifyTimestampResponse(std::string_view tsr, std::string_view digest, const std::string& ca_file,
                               std::string_view nonce, std::string* gen_time) {
  if (tsr.size() > kMaxTsrBytes) return LimitExceeded("timestamp response larger than kMaxTsrBytes");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(tsr.data());
  RespPtr resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(tsr.size())));
  if (!resp || p != reinterpret_cast<const unsigned char*>(tsr.data()) + tsr.size()) {
    return ParseError("not a DER TimeStampResp");
  }
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get())));
  if (status != 0 && status != 1) return Refused("the TSA did not grant the timestamp (status " + std::to_string(status) + ")");
  TS_TST_INFO* tst = TS_RESP_get_tst_info(resp.get());
  if (!tst) return ParseError("timestamp response carries no token");
  TS_MSG_IMPRINT* mi = TS_TST_INFO_get_msg_imprint(tst);
  X509_ALGOR* alg = TS_MSG_IMPRINT_get_algo(mi);
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
  ASN1_OCTET_STRING* md = TS_MSG_IMPRINT_get_msg(mi);
  if (digest.size() != 32 || OBJ_obj2nid(oid) != NID_sha256 || !md || ASN1_STRING_length(md) != 32 ||
      std::memcmp(ASN1_STRING_get0_data(md), digest.data(), 32) != 0) {
    return Corrupt("timestamp does not stamp this tree head (message imprint differs)");
  }
  if (!nonce.empty()) {
    IntPtr want = NonceInteger(nonce);
    const ASN1_INTEGER* got = TS_TST_INFO_get_nonce(tst);
    if (!want || !got || ASN1_INTEGER_cmp(want.get(), got) != 0) return Corrupt("timestamp nonce differs from the request's");
  }
  if (gen_time) {
    const ASN1_GENERALIZEDTIME* t = TS_TST_INFO_get_time(tst);
    *gen_time = t ? std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(t)),
                                static_cast<size_t>(ASN1_STRING_length(t)))
                  : "";
  }
  if (ca_file.empty()) return Status::Ok();
  // The TSA's signature and certificate chain (the token carries the TSA
  // certificate: requests set certReq).
  VerifyCtxPtr ctx(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  if (!ctx || !store) {
    X509_STORE_free(store);
    return Internal("out of memory verifying a timestamp");
  }
  if (X509_STORE_load_file(store, ca_file.c_str()) != 1) {
    X509_STORE_free(store);
    return NotFound("cannot load the TSA CA certificate(s) from " + ca_file);
  }
  TS_VERIFY_CTX_set_store(ctx.get(), store);  // owned by ctx from here
  auto* buf = static_cast<unsigned char*>(OPENSSL_malloc(32));
  std::memcpy(buf, digest.data(), 32);
  TS_VERIFY_CTX_set_imprint(ctx.get(), buf, 32);  // owned by ctx
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
  if (TS_RESP_verify_response(ctx.get(), resp.get()) != 1) {
    return Corrupt("timestamp signature does not verify against the TSA certificate in " + ca_file);
  }
  return Status::Ok();
}

Result<TreeHead> LatestCheckpoint(const std::string& evidence_dir) {
  auto line = LastLine(evidence_dir + "/log/checkpoints.jsonl");
  if (!line.ok()) return line.status();
  return ParseTreeHead(*line);
}

Result<TimestampResult> TimestampLatest(const std::string& evidence_dir, const TsaOptions& tsa,
                                        const CrawlOptions& crawl, const FetcherTestOptions& test) {
  if (tsa.url.empty()) return InvalidArgument("no [evidence] tsa_url configured");
  auto head = LatestCheckpoint(evidence_dir);
  if (!head.ok()) return Status(head.status().code(), "evidence log: " + head.status().message());
  TimestampResult out;
  out.head = *head;
  out.path = evidence_dir + "/log/tsr/" + std::to_string(head->size) + ".tsr";
  if (FileExists(out.path)) return out;  // this checkpoint is stamped already
  unsigned char nonce_bytes[8];
  if (RAND_bytes(nonce_bytes, sizeof nonce_bytes) != 1) return Internal("no randomness for a nonce");
  std::string nonce(reinterpret_cast<char*>(nonce_bytes), sizeof nonce_bytes);
  nonce[0] = static_cast<char>(nonce[0] & 0x7f);  // positive; BN drops leading zeros either way
  std::string digest = head->Digest();
  auto req = MakeTimestampRequest(digest, nonce);
  if (!req.ok()) return req.status();

  // Through Dragnet's own fetcher: SSRF guard, pins and limits apply.
  FetchRequest fr;
  fr.url = tsa.url;
  fr.via = "tsa";
  fr.method = "POST";
  fr.body = *req;
  fr.headers = {"Content-Type: application/timestamp-query", "Accept: application/timestamp-reply"};
  fr.follow_redirects = false;
  fr.total_timeout_ms = tsa.timeout_ms;
  FetchResult res;
  {
    Fetcher fetcher(crawl, test);
    fetcher.Add(std::move(fr), [&res](FetchResult r) { res = std::move(r); });
    fetcher.Run();
  }
  if (!res.ok()) return Unavailable("TSA " + tsa.url + ": " + res.error);
  if (res.status != 200) return Unavailable("TSA " + tsa.url + " answered HTTP " + std::to_string(res.status));
  if (res.truncated || res.body.size() > kMaxTsrBytes) return LimitExceeded("TSA answer larger than kMaxTsrBytes");
  Status st = VerifyTimestampResponse(res.body, digest, tsa.ca_file, nonce, &out.gen_time);
  if (!st.ok()) return Status(st.code(), "TSA " + tsa.url + ": " + st.message());
  DRAGNET_RETURN_IF_ERROR(MakeDirs(evidence_dir + "/log/tsr"));
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(out.path, res.body));
  return out;
}

}  // namespace dragnet::crawler
