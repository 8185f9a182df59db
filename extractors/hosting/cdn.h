#pragma once
// CdnTable: CDN and reverse-proxy providers (Cloudflare, Akamai, Fastly,
// CloudFront, ...) by AS number and published address ranges, each with its
// documented abuse route, read from config/cdn.toml. When a site's address
// belongs to one, the origin is hidden and the provider's abuse process is
// the hosting contact. Immutable after Load(); thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "extractors/hosting/ip.h"

namespace dragnet::hosting {

// Providers and ranges a table may hold (the shipped one has ~15 and ~300).
inline constexpr size_t kMaxCdnProviders = 1000;
inline constexpr size_t kMaxCdnRanges = 100'000;

struct CdnProvider {
  std::string name;
  std::vector<uint32_t> asns;
  std::vector<Cidr> ranges;
  AbuseContact abuse;   // source "cdn", scope "cdn"
  std::string source;   // where the ASNs, ranges and abuse route are documented
};

class CdnTable {
 public:
  // [[provider]] tables with name, asns, ranges, abuse_email, abuse_url,
  // abuse_phone, source. Unknown keys and bad ranges are errors naming the
  // file and provider.
  Status Load(const std::string& path);
  // First provider whose range holds `ip`, else whose ASN is `asn`.
  std::optional<Cdn> Match(const IpAddr& ip, uint32_t asn) const;
  const std::vector<CdnProvider>& providers() const { return providers_; }

 private:
  std::vector<CdnProvider> providers_;
};

}  // namespace dragnet::hosting
