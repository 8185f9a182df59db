#include "extractors/hosting/geo.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <cstring>

namespace dragnet::hosting {
namespace {

// Addresses looked up once at Open(): a search tree or data section that is
// broken usually fails on one of them, so the error surfaces at startup with
// the file name rather than in the middle of a scan.
const char* const kProbeAddresses[] = {"1.1.1.1", "81.2.69.160", "2.125.160.216", "8.8.8.8",
                                       "2001:218::1", "2a02:d300::1", "::1.2.3.4"};

std::string Str(const MMDB_entry_data_s& d) {
  if (!d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING) return "";
  return std::string(d.utf8_string, d.data_size);
}

// MMDB_get_value with a null-terminated path; returns the libmaxminddb status.
int GetValue(MMDB_entry_s* e, MMDB_entry_data_s* d, const char* const* path) {
  return MMDB_aget_value(e, d, path);
}

}  // namespace

GeoDb::~GeoDb() {
  if (db_) MMDB_close(db_.get());
}

Result<std::unique_ptr<GeoDb>> GeoDb::Open(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return NotFound("geo database " + path + " does not exist");
  }
  std::unique_ptr<GeoDb> g(new GeoDb());
  g->path_ = path;
  auto db = std::make_unique<MMDB_s>();
  int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, db.get());
  if (rc != MMDB_SUCCESS) {
    std::string why = MMDB_strerror(rc);
    if (rc == MMDB_IO_ERROR) why += std::string(" (") + std::strerror(errno) + ")";
    return Corrupt("geo database " + path + " is not a readable MaxMind DB: " + why);
  }
  g->db_ = std::move(db);
  const auto& md = g->db_->metadata;
  g->type_ = md.database_type ? md.database_type : "";
  if (g->type_.empty()) return Corrupt("geo database " + path + " has no database_type in its metadata");
  std::string dragnet_desc;
  for (size_t i = 0; i < md.description.count; ++i) {
    const auto* d = md.description.descriptions[i];
    if (d && d->language && d->description && std::strcmp(d->language, "dragnet") == 0) {
      dragnet_desc = d->description;
    }
  }
  if (g->type_.rfind("Dragnet-Embedded", 0) == 0) {
    g->source_ = "dragnet-embedded:" + (dragnet_desc.empty() ? g->type_ : dragnet_desc);
  } else if (g->type_.rfind("DBIP", 0) == 0 || g->type_.rfind("dbip", 0) == 0) {
    g->source_ = "dbip:" + g->type_;
  } else {
    g->source_ = "maxmind:" + g->type_;
  }
  for (const char* probe : kProbeAddresses) {
    auto ip = ParseIp(probe);
    if (!ip.ok()) continue;
    IpInfo scratch;
    Status s = g->Lookup(*ip, scratch);
    if (!s.ok()) return Corrupt(s.message());
  }
  return g;
}

Status GeoDb::Lookup(const IpAddr& ip, IpInfo& out, bool* found) const {
  if (found) *found = false;
  sockaddr_storage ss{};
  if (ip.family == 4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, ip.bytes.data(), 4);
  } else if (ip.family == 6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, ip.bytes.data(), 16);
  } else {
    return InvalidArgument("geo lookup of an invalid address");
  }
  int err = MMDB_SUCCESS;
  MMDB_lookup_result_s r = MMDB_lookup_sockaddr(db_.get(), reinterpret_cast<sockaddr*>(&ss), &err);
  if (err == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) return Status::Ok();  // IPv4-only db
  if (err != MMDB_SUCCESS) {
    return Corrupt("geo database " + path_ + ": lookup of " + FormatIp(ip) + " failed: " +
                   MMDB_strerror(err));
  }
  if (!r.found_entry) return Status::Ok();
  if (found) *found = true;

  MMDB_entry_data_s d;
  auto get = [&](std::initializer_list<const char*> p, MMDB_entry_data_s& data) -> Status {
    const char* path[8] = {nullptr};
    size_t i = 0;
    for (const char* part : p) path[i++] = part;
    int rc = GetValue(&r.entry, &data, path);
    if (rc == MMDB_SUCCESS || rc == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR ||
        rc == MMDB_INVALID_LOOKUP_PATH_ERROR) {
      if (rc != MMDB_SUCCESS) data.has_data = false;
      return Status::Ok();
    }
    return Corrupt("geo database " + path_ + ": bad record for " + FormatIp(ip) + ": " +
                   MMDB_strerror(rc));
  };

  // Country, then the registered country when the database has no
  // physical-location answer (anycast and satellite ranges).
  DRAGNET_RETURN_IF_ERROR(get({"country", "iso_code"}, d));
  std::string iso = Str(d);
  const char* country_key = "country";
  if (iso.empty()) {
    DRAGNET_RETURN_IF_ERROR(get({"registered_country", "iso_code"}, d));
    iso = Str(d);
    country_key = "registered_country";
  }
  if (!iso.empty()) {
    out.country = iso;
    DRAGNET_RETURN_IF_ERROR(get({country_key, "names", "en"}, d));
    out.country_name = Str(d);
  }
  DRAGNET_RETURN_IF_ERROR(get({"city", "names", "en"}, d));
  if (!Str(d).empty()) out.city = Str(d);
  DRAGNET_RETURN_IF_ERROR(get({"location", "latitude"}, d));
  if (d.has_data && d.type == MMDB_DATA_TYPE_DOUBLE) out.latitude = d.double_value;
  DRAGNET_RETURN_IF_ERROR(get({"location", "longitude"}, d));
  if (d.has_data && d.type == MMDB_DATA_TYPE_DOUBLE) out.longitude = d.double_value;

  // ASN: top level in ASN/ISP databases, under traits in Enterprise ones.
  for (const char* prefix : {"", "traits"}) {
    if (*prefix) {
      DRAGNET_RETURN_IF_ERROR(get({prefix, "autonomous_system_number"}, d));
    } else {
      DRAGNET_RETURN_IF_ERROR(get({"autonomous_system_number"}, d));
    }
    if (!d.has_data) continue;
    if (d.type == MMDB_DATA_TYPE_UINT32) out.asn = d.uint32;
    else if (d.type == MMDB_DATA_TYPE_UINT16) out.asn = d.uint16;
    if (*prefix) {
      DRAGNET_RETURN_IF_ERROR(get({prefix, "autonomous_system_organization"}, d));
    } else {
      DRAGNET_RETURN_IF_ERROR(get({"autonomous_system_organization"}, d));
    }
    if (!Str(d).empty()) out.as_org = Str(d);
    break;
  }

  // The network the answer came from. IPv4 addresses in an IPv6 tree are
  // found under ::/96, so their prefix length counts those 96 bits.
  int prefix = r.netmask;
  if (ip.family == 4 && db_->metadata.ip_version == 6) prefix -= 96;
  if (prefix >= 0 && prefix <= ip.bits()) {
    auto c = ParseCidr(FormatIp(ip) + "/" + std::to_string(prefix));
    if (c.ok()) out.network = c->ToString();
  }
  return Status::Ok();
}

}  // namespace dragnet::hosting
