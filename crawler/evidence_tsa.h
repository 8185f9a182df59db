#pragma once
// RFC 3161 timestamps of the evidence log's signed tree head: proof from a
// third party (a time-stamping authority) that the log held at least this
// much at that time, which the installation's own key cannot give (whoever
// holds the key can sign any time).
//
// The message imprint is SHA-256 of the tree head's signed bytes
// (TreeHead::Digest()). The request (TimeStampReq, OpenSSL's TS API, with a
// nonce and certReq) is POSTed as application/timestamp-query through
// Dragnet's own fetcher, so the SSRF guard, resolve pins and limits apply;
// the response (TimeStampResp, DER) is stored as log/tsr/<size>.tsr beside
// the checkpoint it stamps. One timestamp covers every manifest already in
// the log (the tree head commits to all of them), so Dragnet asks once per
// `dragnet scan` run and on `dragnet evidence timestamp`, not per manifest.
//
// Threads: TimestampLatest runs its own Fetcher on the calling thread; the
// verify functions are pure. Any thread.

#include <string>
#include <string_view>

#include "core/status.h"
#include "crawler/evidence_log.h"
#include "crawler/fetcher.h"
#include "crawler/options.h"

namespace dragnet::crawler {

// A TimeStampResp larger than this is not a timestamp (a few KiB with the
// TSA's certificate chain).
inline constexpr size_t kMaxTsrBytes = 64u << 10;

struct TsaOptions {
  std::string url;                 // [evidence] tsa_url; empty: no timestamps
  int64_t timeout_ms = 30'000;     // [evidence] tsa_timeout
  std::string ca_file;             // [evidence] tsa_ca_file: PEM CA of the TSA, to verify responses
};

// DER TimeStampReq for a 32-byte SHA-256 digest, with `nonce` (8 bytes).
Result<std::string> MakeTimestampRequest(std::string_view digest, std::string_view nonce);

// Checks a DER TimeStampResp: granted, imprint = `digest`, and, when
// `ca_file` is given, the TSA's signature and certificate chain (and the
// nonce, when not empty). Fills `gen_time` (RFC 3339-ish GeneralizedTime).
Status VerifyTimestampResponse(std::string_view tsr, std::string_view digest, const std::string& ca_file,
                               std::string_view nonce, std::string* gen_time);

struct TimestampResult {
  TreeHead head;
  std::string path;                // log/tsr/<size>.tsr
  std::string gen_time;
};

// Asks the TSA for a timestamp of the log's latest checkpoint and stores it.
// `crawl` supplies the fetcher's options (SSRF guard, pins, timeouts);
// `test` its test seams.
Result<TimestampResult> TimestampLatest(const std::string& evidence_dir, const TsaOptions& tsa,
                                        const CrawlOptions& crawl, const FetcherTestOptions& test = {});

// The last line of log/checkpoints.jsonl; kNotFound when the log is empty.
Result<TreeHead> LatestCheckpoint(const std::string& evidence_dir);

}  // namespace dragnet::crawler
