#pragma once
// Geolocation and ASN from MaxMind DB files (libmaxminddb): GeoLite2 /
// GeoIP2 City or Country, GeoLite2 ASN, DB-IP lite, and Dragnet's embedded
// country database built by scripts/build-geoip-mmdb. Fields are read by
// their documented paths (country.iso_code, city.names.en, location.latitude,
// autonomous_system_number, ...), so any compatible database works.
//
// A GeoDb owns one memory-mapped database; it is immutable after Open() and
// its lookups may run on any number of threads at once.

#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "extractors/hosting/ip.h"

struct MMDB_s;

namespace dragnet::hosting {

class GeoDb {
 public:
  // Opens and probes the file. A missing file is Code::kNotFound; anything
  // libmaxminddb refuses, or a search tree that fails on the probe
  // addresses, is Code::kCorrupt. Both messages name the file.
  static Result<std::unique_ptr<GeoDb>> Open(const std::string& path);
  ~GeoDb();
  GeoDb(const GeoDb&) = delete;
  GeoDb& operator=(const GeoDb&) = delete;

  // Fills the fields this database has (country, city, coordinates, ASN,
  // network) into `out`. Not found is ok (nothing filled, returns false in
  // `found`); a decoding error is an error naming the file.
  Status Lookup(const IpAddr& ip, IpInfo& out, bool* found = nullptr) const;

  const std::string& path() const { return path_; }
  const std::string& database_type() const { return type_; }
  // "maxmind:GeoLite2-City", "dbip:DBIP-City-Lite",
  // "dragnet-embedded:tor-geoipdb 2026-06-25".
  const std::string& source() const { return source_; }

 private:
  GeoDb() = default;
  std::unique_ptr<MMDB_s> db_;
  std::string path_, type_, source_;
};

}  // namespace dragnet::hosting
