#pragma once
// Helpers for the evidence tests: a store in a temporary state folder laid
// out as the application lays it out (<state>/evidence, <state>/keys), and
// manifests with real blobs.
#include <string>

#include "core/hash.h"
#include "crawler/evidence.h"

namespace dragnet::crawler::test {

// Writes one manifest for `seed` with `entries` captures (distinct bodies);
// returns its path ("" on failure, with a gtest failure recorded by caller).
inline Result<std::string> WriteManifest(EvidenceStore& store, const std::string& seed, int entries,
                                         const std::string& salt = "") {
  ManifestWriter w(&store, seed, "test");
  for (int i = 0; i < entries; ++i) {
    Capture c;
    c.url = seed + "p" + std::to_string(i);
    c.final_url = c.url;
    c.via = i == 0 ? "seed" : "link";
    c.time = "2026-11-29T12:00:0" + std::to_string(i % 10) + ".000Z";
    c.status = 200;
    c.remote_ip = "203.0.113.7";
    c.headers = "HTTP/1.1 200 OK\r\nServer: nginx\r\n";
    c.headers_sha256 = Sha256Hex(c.headers);
    auto body = store.PutBlob("<html>" + seed + " page " + std::to_string(i) + salt + "</html>");
    if (!body.ok()) return body.status();
    c.body_sha256 = c.raw_sha256 = *body;
    w.Add(c);
  }
  w.SetAnnex("dns", {{"A", {"203.0.113.7"}}});
  return w.Write();
}

}  // namespace dragnet::crawler::test
