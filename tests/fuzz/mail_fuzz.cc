// mail_fuzz: arbitrary bytes as a message in the abuse mailbox ->
// ParseMail, ParseDsn, ClassifyMail (monitor/mail.h, monitor/inbox.h).
// Anyone can mail the abuse desk: the reader must end in bounded time and
// memory on any input, and everything it hands on must be valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/text.h"
#include "monitor/inbox.h"
#include "monitor/mail.h"

namespace {

const dragnet::monitor::TicketPatterns& Tickets() {
  static const dragnet::monitor::TicketPatterns t = [] {
    auto r = dragnet::monitor::TicketPatterns::Compile({});
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return t;
}

void Check(const std::string& s) {
  if (!dragnet::IsValidUtf8(s)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto m = dragnet::monitor::ParseMail(bytes);
  if (!m.ok()) return 0;
  for (const auto& h : m->headers) Check(h.value);
  for (const auto& p : m->parts) {
    if (p.content_type.rfind("text/", 0) == 0) Check(p.body);
    for (const auto& h : p.enclosed) Check(h.value);
  }
  if (m->parts.size() > dragnet::monitor::kMaxMimeParts) std::abort();
  auto dsn = dragnet::monitor::ParseDsn(*m);
  if (dsn) {
    if (dsn->recipients.size() > dragnet::monitor::kMaxDsnRecipients) std::abort();
    for (const auto& r : dsn->recipients) Check(r.diagnostic);
  }
  auto c = dragnet::monitor::ClassifyMail(*m, "dragnet-test.test", Tickets());
  Check(c.subject);
  Check(c.excerpt);
  Check(c.ticket);
  return 0;
}
