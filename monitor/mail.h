#pragma once
// Mail parsing for the abuse mailbox: a bounded reader of RFC 5322
// messages, their MIME structure (RFC 2045/2046, base64 and
// quoted-printable, RFC 2047 encoded words in Subject/From) and delivery
// status notifications (RFC 3464 message/delivery-status, plus the
// X-Failed-Recipients header older MTAs send).
//
// Every byte here comes from outside (anyone can mail the abuse desk), so:
// every loop has a named cap (header bytes and count, MIME depth and parts,
// decoded bytes), malformed input yields what could be read plus a note,
// nothing throws, and every string handed out is valid UTF-8 (core/text.h).
// CRLF, LF and bare CR line ends are all accepted (real bounces use all
// three). tests/fuzz/mail_fuzz.cc runs this on arbitrary bytes.
//
// Pure functions; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dragnet::monitor {

// The header block of one message or part.
inline constexpr size_t kMaxHeaderBytes = 256u << 10;
inline constexpr size_t kMaxHeaders = 500;
// Nested multiparts (a bounce of a bounce of a report is depth 4 or so).
inline constexpr int kMaxMimeDepth = 8;
// Leaf parts kept from one message.
inline constexpr size_t kMaxMimeParts = 100;
// Decoded bytes kept per part (the text we look at is near the top).
inline constexpr size_t kMaxPartBytes = 1u << 20;
// Per-recipient groups read from one delivery status report.
inline constexpr size_t kMaxDsnRecipients = 100;

struct MailHeader {
  std::string name;     // as written (ASCII)
  std::string value;    // unfolded, encoded words decoded, valid UTF-8, trimmed
};

struct MailPart {
  std::string content_type;          // "text/plain", lowercase type/subtype
  std::string charset;               // lowercase, "" when none
  std::vector<MailHeader> headers;   // the part's own headers
  std::string body;                  // transfer-decoded, at most kMaxPartBytes, valid UTF-8 for text/*
  // message/rfc822 and text/rfc822-headers: the enclosed message's headers.
  std::vector<MailHeader> enclosed;
};

struct Mail {
  std::vector<MailHeader> headers;
  std::string content_type;          // of the top level
  std::string report_type;           // multipart/report's report-type parameter, lowercase
  std::vector<MailPart> parts;       // leaf parts, depth first (a single-part message has one)
  std::vector<std::string> notes;    // caps hit, malformed pieces skipped

  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // Every header of that name.
  std::vector<std::string> Headers(std::string_view name) const;
};

// Parses a whole message. kParseError only when there is no header block at
// all (not a message); anything else yields a Mail, with notes.
Result<Mail> ParseMail(std::string_view bytes);

// The Message-IDs named in a header value ("<a@b> <c@d>"), without brackets.
std::vector<std::string> MessageIds(std::string_view value);
// The address in "Name <addr@x>" or "addr@x", lowercase; "" when none.
std::string AddressOf(std::string_view value);
// RFC 2047 encoded words decoded (UTF-8, ISO-8859-1 and US-ASCII charsets;
// others are left as they are), then made valid UTF-8.
std::string DecodeWords(std::string_view value);

struct DsnRecipient {
  std::string final_recipient;   // address, lowercase
  std::string action;            // failed, delayed, delivered, relayed, expanded
  std::string status;            // "5.1.1"
  std::string diagnostic;        // Diagnostic-Code, cut to 300 bytes
};

struct Dsn {
  std::string reporting_mta;
  std::vector<DsnRecipient> recipients;
  // The returned message's headers, when the report carries them.
  std::string original_message_id;
  std::vector<std::string> original_references;
  std::string original_subject;
};

// The delivery status report of a bounce: a multipart/report with
// report-type=delivery-status or any message/delivery-status part; else,
// for MTAs that send none, the X-Failed-Recipients header (action failed).
// nullopt when the message is not a bounce by those signs.
std::optional<Dsn> ParseDsn(const Mail& m);

}  // namespace dragnet::monitor
