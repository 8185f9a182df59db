#pragma once
// Inbox: the CERT's abuse mailbox as a Maildir ([inbox] maildir), read for
// what recipients answered to our reports.
//
// Each message is classified (ClassifyMail, a pure function):
//   bounce    a delivery status notification (RFC 3464) or an MTA's
//             X-Failed-Recipients report: the failed addresses are marked
//             bad and the report goes out by the next route
//   delayed   a DSN that only says "still trying": noted
//   auto_ack  an automatic answer (RFC 3834 Auto-Submitted, X-Autoreply,
//             Precedence auto_reply, or an acknowledgement subject) — the
//             ticket number it gives is kept and quoted in follow-ups
//   reply     a human answer: noted in the timeline
//   unrelated a message that is not about one of our cases
//   own       a copy of one of our own reports (Message-ID <uuid@domain>)
// and threaded to a case: by the Message-IDs we set (In-Reply-To,
// References, the returned message's Message-ID in a bounce, or any
// <uuid@reporter.domain> the text quotes), else by the [DN-…] case ID in
// the subject or text.
//
// The Maildir is read, never changed (the analysts' mail client owns it);
// what was read is remembered in the ledger by each file's unique name, so a
// file a client moves from new/ to cur/ is not read twice.
//
// Thread-safe: pure functions, and ListMaildir only reads the folder.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "monitor/mail.h"

namespace re2 {
class RE2;
}

namespace dragnet::monitor {

// Bytes of text searched for ticket numbers and references (the top of
// each text part; acknowledgements say it early).
inline constexpr size_t kMaxScanTextBytes = 64u << 10;

struct MaildirEntry {
  std::string key;     // the unique name (before ":2,"), stable across new/ -> cur/
  std::string path;
};

// Files of <dir>/new and <dir>/cur, oldest name first, at most `max`.
// kNotFound when `dir` has neither.
Result<std::vector<MaildirEntry>> ListMaildir(const std::string& dir, size_t max);

// Ticket-number patterns: the built-in ones plus [inbox] ticket_patterns
// (each with one capture group). Compiled once; immutable; thread-safe.
class TicketPatterns {
 public:
  static Result<TicketPatterns> Compile(const std::vector<std::string>& extra);
  // The first ticket number in `text` that is not one of our case IDs ("DN-…").
  std::string Find(const std::string& text) const;

 private:
  std::vector<std::shared_ptr<re2::RE2>> res_;
};

struct Classified {
  std::string kind;                 // bounce, delayed, delivered, auto_ack, reply, unrelated, own
  std::vector<std::string> refs;    // our outbox message ids it refers to (uuid part)
  std::string case_id;              // from [DN-…], when found
  std::string from;                 // the sender's address
  std::string subject;              // decoded, one line
  std::string ticket;               // auto_ack (and replies that give one)
  std::string excerpt;              // replies: the first lines of text, cut
  std::vector<DsnRecipient> failed; // bounce: the addresses that failed
  std::string reporting_mta;
};

// `domain` is [reporter] domain: our Message-IDs are <uuid@domain>.
Classified ClassifyMail(const Mail& m, const std::string& domain, const TicketPatterns& tickets);

}  // namespace dragnet::monitor
