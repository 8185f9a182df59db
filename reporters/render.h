#pragma once
// Render: turns one outbox message (a recipient and the report items it
// carries, possibly several URLs of one campaign) into what leaves the
// machine: the X-ARF documents (one per URL), the plain-text email built
// from config/templates/<language>/{subject,body}.txt with the X-ARF JSON,
// the evidence manifest and the compressed captured HTML attached, and the
// webhook JSON body. Every header value that came from a scanned site is
// sanitised (reporters/mime.h). Pure given its inputs; thread-safe.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "reporters/followup.h"
#include "reporters/options.h"
#include "reporters/store.h"
#include "reporters/template.h"

namespace dragnet::reporters {

// Attachments of one message, all together (base64 adds a third on top):
// far below the 25-35 MB most receiving servers take.
inline constexpr size_t kMaxAttachmentBytes = 10u << 20;
// Captured HTML carried inside each X-ARF document's evidence array.
inline constexpr size_t kMaxXarfEvidenceBytes = 2u << 20;

// The templates of every language folder under config/templates/.
class TemplateSet {
 public:
  // Loads <dir>/<lang>/subject.txt and body.txt for each language folder;
  // "en" must be present. Errors name the file.
  static Result<TemplateSet> Load(const std::string& dir);
  // Templates for `lang`, else for `fallback`, else English.
  std::pair<const Template*, const Template*> For(const std::string& lang, const std::string& fallback) const;
  std::vector<std::string> languages() const;
  // The language actually used for `lang`.
  std::string Resolve(const std::string& lang, const std::string& fallback) const;

 private:
  std::map<std::string, std::pair<Template, Template>> by_lang_;
};

struct RenderItem {
  ReportItem item;
  SeedResult result;            // the case's last scan
  std::vector<std::string> accounts;  // provider recipients: the scammer accounts
  FollowUpContext followup;     // follow-ups: the message followed (reporters/followup.h)
};

struct RenderedMessage {
  std::string subject;          // rendered, before header encoding
  std::string body;             // plain text
  std::string language;
  std::string eml;              // complete RFC 5322 message (email route)
  std::string webhook_body;     // JSON (webhook route)
  nlohmann::json xarf = nlohmann::json::array();  // one document per item
  nlohmann::json meta;          // the outbox .json beside the message
  std::vector<std::string> attachments;            // file names
  std::vector<std::string> notes;                  // evidence problems, limits hit
};

// `now_ms` stamps Date; items' verified_at is used when set, else the scan's finish time.
RenderedMessage RenderMessage(const OutboxMessage& m, const std::vector<RenderItem>& items,
                              const ReporterOptions& o, const TemplateSet& templates, int64_t now_ms);

// "Sun, 29 Nov 2026 13:38:09 +0000".
std::string Rfc5322Date(int64_t unix_ms);

}  // namespace dragnet::reporters
