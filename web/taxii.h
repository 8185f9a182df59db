#pragma once
// TAXII 2.1, read-only, over the STIX export of intel/export.h: the pure
// parts of /taxii2/ (web/server.cc routes them). One API root, "dragnet"
// (/taxii2/dragnet/), with one collection, "dragnet-indicators", holding
// the STIX 2.1 objects `dragnet export --format stix` gives for every
// malicious or suspicious case and their campaigns.
//
// date_added: the collection is derived from the campaign index, not
// stored, so an object's date_added is when its current version appeared:
// its `modified` for SDOs and SROs (a case's last sighting, a campaign's
// last change), and for SCOs (which have no timestamps) the latest
// `modified` of a relationship or observed-data naming it. A re-sighted
// case thus comes back, newer, to a client polling with added_after.
// Objects are ordered by (date_added, id); `next` is a cursor on that
// order, so paging stays exact when objects share a millisecond. Objects
// added within [web] taxii_settle of now are held back (see WebOptions).
//
// Pure functions; thread-safe.

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dragnet::web {

inline constexpr const char* kTaxiiMediaType = "application/taxii+json;version=2.1";
inline constexpr const char* kStixMediaType = "application/stix+json;version=2.1";
inline constexpr const char* kTaxiiApiRoot = "dragnet";
inline constexpr const char* kTaxiiCollectionTitle = "dragnet-indicators";
// Objects one page holds when the client asks for no `limit`, and at most.
inline constexpr size_t kTaxiiDefaultLimit = 100;
inline constexpr size_t kTaxiiMaxLimit = 1000;

// The collection's ID: a UUID (version 5) of its title, the same on every
// server, so a partner's saved collection URL keeps working.
std::string TaxiiCollectionId();

// True when an Accept header admits the TAXII 2.1 media type: absent,
// */*, application/*, application/taxii+json with no version or 2.1.
bool AcceptsTaxii(const std::string& accept);

struct TaxiiObject {
  int64_t added_ms = 0;
  nlohmann::json object;
};

// The objects of a STIX bundle with their date_added, sorted by
// (date_added, id).
std::vector<TaxiiObject> TaxiiObjects(const nlohmann::json& bundle);

struct TaxiiQuery {
  int64_t added_after_ms = -1;        // only objects added strictly after (-1: any)
  int64_t added_until_ms = std::numeric_limits<int64_t>::max(); // and at or before ([web] taxii_settle ago)
  size_t limit = kTaxiiDefaultLimit;  // 1..kTaxiiMaxLimit
  std::string next;                   // cursor from the previous page, or ""
  std::set<std::string> types, ids;   // match[type], match[id]; empty: any
};

// Parses the query parameters of a Get Objects request: added_after (an
// RFC 3339 time), limit, next, match[type] and match[id] (comma lists; ""
// when absent). kInvalidArgument names the bad one.
Result<TaxiiQuery> ParseTaxiiQuery(const std::string& added_after, const std::string& limit, const std::string& next,
                                   const std::string& types, const std::string& ids);

struct TaxiiPage {
  std::vector<const TaxiiObject*> objects;
  bool more = false;
  std::string next;  // set when more
};

// The page of `all` (sorted as TaxiiObjects returns) that `q` selects;
// kInvalidArgument for a `next` that is not a cursor of this server.
Result<TaxiiPage> SelectTaxiiPage(const std::vector<TaxiiObject>& all, const TaxiiQuery& q);

// The envelope of a page: {"more", "next"?, "objects"?}.
nlohmann::json TaxiiEnvelope(const TaxiiPage& page);

// A TAXII error message resource: {"title", "description", "http_status"}.
nlohmann::json TaxiiError(int status, const std::string& title, const std::string& description);

}  // namespace dragnet::web
