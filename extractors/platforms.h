#pragma once
// Platforms: the curated list of well-known hosts in config/platforms.toml
// (messaging links, tag managers, fonts and captchas, namespaces, public CDNs
// and the libraries on them), and the two questions asked of it:
//   - SuppressedUrl: is a URL on such a host, so that it must not become a
//     bare `url`/`domain` indicator (its typed indicator, if any, carries it)?
//   - SkippedScript: is a script URL a well-known library on a public CDN or
//     a static platform host, so that the crawler need not fetch it?
//
// The file is compiled into the binary as the default (Default()); an
// operator's copy is loaded with Load() ([extract] platforms_file) and checked:
// unknown tables or keys are errors naming them.
//
// Immutable after construction; safe to share between threads.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace dragnet::extractors {

class Platforms {
 public:
  enum class Kind { kNone, kMessaging, kAnalytics, kStatic, kReference, kCdn };

  // The list compiled in from config/platforms.toml.
  static std::shared_ptr<const Platforms> Default();
  static Result<std::shared_ptr<const Platforms>> Load(const std::string& path);
  static Result<std::shared_ptr<const Platforms>> Parse(std::string_view toml, const std::string& origin);

  // The table whose entry matches (lowercase ASCII) `host` and `path` (the
  // URL's path, from its first '/'); kNone when no entry does.
  Kind Classify(std::string_view host, std::string_view path) const;

  // A URL that must not be a bare url/domain indicator: messaging,
  // analytics, static or reference hosts, and library files (or the root)
  // of public CDNs.
  bool SuppressedUrl(std::string_view host, std::string_view path) const;

  // A script the crawler does not fetch: analytics and static hosts,
  // reference hosts, and library files on public CDNs.
  bool SkippedScript(std::string_view host, std::string_view path) const;

  // True when `path` (on a CDN host) names one of the listed libraries.
  bool NamesLibrary(std::string_view path) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string host;  // lowercase
    std::string path;  // "" or "/tr", "/recaptcha" ...
    Kind kind;
  };
  std::vector<Entry> entries_;
  // entries_ indices by host, so a URL's host is looked up once per label
  // suffix instead of compared with every entry.
  std::unordered_map<std::string, std::vector<size_t>> by_host_;
  std::vector<std::string> libraries_;  // lowercase
};

}  // namespace dragnet::extractors
