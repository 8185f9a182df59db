#include "monitor/inbox.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/strings.h"
#include "core/text.h"

namespace dragnet::monitor {
namespace {

// Ticket numbers as abuse desks' ticket systems write them: "Ticket#2024112910000123"
// (OTRS/Znuny), "[example.com #12345]" (Request Tracker), "Ticket ID: ABC-1234",
// "case number is 00123456", "Reference: INC0012345".
const char* const kBuiltinTicketPatterns[] = {
    R"((?i)\bticket\s*(?:number|no\.?|id)?\s*(?:is)?\s*[#:]?\s*#?\s*([A-Za-z0-9][A-Za-z0-9._-]{2,40}))",
    R"((?i)\[[^\]\s]{1,100}\s+#([0-9]{2,20})\])",
    R"((?i)\b(?:case|incident|request|reference|ref)\s*(?:number|no\.?|id)?\s*(?:is)?\s*[#:]\s*#?\s*([A-Za-z0-9][A-Za-z0-9._-]{2,40}))",
    R"((?i)\b(?:case|incident|request)\s+(?:number|no\.?|id)\s+(?:is\s+)?#?([A-Za-z0-9][A-Za-z0-9._-]{2,40}))",
};

bool IsUuidChar(char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '-'; }

// Our message ids quoted anywhere in `text`: "<uuid>@<domain>" (with or
// without brackets), uuid part returned.
void FindOurIds(const std::string& text, const std::string& domain, std::set<std::string>& out) {
  if (domain.empty()) return;
  const std::string lower = AsciiLower(text.substr(0, kMaxScanTextBytes));
  const std::string needle = "@" + AsciiLower(domain);
  size_t pos = 0;
  // Each find moves past the previous hit: bounded by the text's size.
  while ((pos = lower.find(needle, pos)) != std::string::npos) {
    size_t start = pos;
    while (start > 0 && pos - start < 36 && IsUuidChar(lower[start - 1])) --start;
    if (pos - start == 36) out.insert(lower.substr(start, 36));
    pos += needle.size();
    if (out.size() >= 100) return;
  }
}

std::string FindCaseId(const std::string& text) {
  // "DN-" + 12 upper-case hex digits (reporters/store.h MakeCaseId).
  size_t pos = 0;
  const size_t n = std::min(text.size(), kMaxScanTextBytes);
  while ((pos = text.find("DN-", pos)) != std::string::npos && pos + 15 <= n) {
    bool ok = true;
    for (size_t i = pos + 3; i < pos + 15 && ok; ++i) {
      char c = text[i];
      ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
    bool bounded = pos + 15 == text.size() || !std::isalnum(static_cast<unsigned char>(text[pos + 15]));
    if (ok && bounded) return text.substr(pos, 15);
    pos += 3;
  }
  return "";
}

bool StartsWithI(const std::string& s, const char* prefix) {
  std::string l = AsciiLower(s);
  return l.rfind(prefix, 0) == 0;
}

bool ContainsI(const std::string& s, const char* what) { return AsciiLower(s).find(what) != std::string::npos; }

std::string Fold(const std::string& s, size_t max) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= max) break;
  }
  return CutText(out, max);
}

}  // namespace

Result<std::vector<MaildirEntry>> ListMaildir(const std::string& dir, size_t max) {
  std::vector<MaildirEntry> out;
  bool any = false;
  for (const char* sub : {"/new", "/cur"}) {
    std::error_code ec;
    std::filesystem::directory_iterator it(dir + sub, ec);
    if (ec) continue;
    any = true;
    // Bounded: at most `max` entries kept per folder.
    for (const auto& e : it) {
      std::error_code fe;
      if (!e.is_regular_file(fe)) continue;
      std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      MaildirEntry m;
      m.key = name.substr(0, name.find(':'));
      m.path = e.path().string();
      out.push_back(std::move(m));
      if (out.size() >= 2 * max) break;
    }
  }
  if (!any) return NotFound("inbox maildir " + dir + ": no new/ or cur/ folder");
  std::sort(out.begin(), out.end(), [](const MaildirEntry& a, const MaildirEntry& b) { return a.key < b.key; });
  out.erase(std::unique(out.begin(), out.end(), [](const MaildirEntry& a, const MaildirEntry& b) { return a.key == b.key; }),
            out.end());
  if (out.size() > max) out.resize(max);
  return out;
}

Result<TicketPatterns> TicketPatterns::Compile(const std::vector<std::string>& extra) {
  TicketPatterns t;
  std::vector<std::string> all(std::begin(kBuiltinTicketPatterns), std::end(kBuiltinTicketPatterns));
  // Operator patterns first: they know their recipients' formats best.
  all.insert(all.begin(), extra.begin(), extra.end());
  for (const auto& p : all) {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(8 << 20);
    auto re = std::make_shared<RE2>(p, o);
    if (!re->ok()) return InvalidArgument("ticket pattern '" + p + "': " + re->error());
    if (re->NumberOfCapturingGroups() < 1) return InvalidArgument("ticket pattern '" + p + "' has no capture group");
    t.res_.push_back(std::move(re));
  }
  return t;
}

std::string TicketPatterns::Find(const std::string& text) const {
  const std::string t = text.substr(0, kMaxScanTextBytes);
  for (const auto& re : res_) {
    re2::StringPiece input(t);
    std::string ticket;
    // Several candidates per pattern at most: the first not ours wins.
    for (int i = 0; i < 8 && RE2::FindAndConsume(&input, *re, &ticket); ++i) {
      // "Your ticket number is 777123." — the sentence's full stop is not
      // part of the number (the pattern allows inner dots: "INC.2024.17").
      while (!ticket.empty() && (ticket.back() == '.' || ticket.back() == '-' || ticket.back() == '_')) ticket.pop_back();
      if (ticket.rfind("DN-", 0) == 0 || ticket.rfind("dn-", 0) == 0) continue;
      bool has_digit = std::any_of(ticket.begin(), ticket.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!has_digit) continue;  // "Ticket received" is not a ticket number
      return ToText(ticket);
    }
  }
  return "";
}

Classified ClassifyMail(const Mail& m, const std::string& domain, const TicketPatterns& tickets) {
  Classified c;
  c.from = AddressOf(m.Header("From"));
  c.subject = Fold(m.Header("Subject"), 300);
  std::set<std::string> refs;
  const std::string needle_domain = AsciiLower(domain);
  auto add_ids = [&](const std::string& value) {
    for (const auto& id : MessageIds(value)) {
      std::string l = AsciiLower(id);
      auto at = l.rfind('@');
      if (at == std::string::npos || l.substr(at + 1) != needle_domain) continue;
      std::string local = l.substr(0, at);
      if (local.size() == 36 && std::all_of(local.begin(), local.end(), IsUuidChar)) refs.insert(local);
    }
  };
  // A copy of one of our own reports (the mailbox got it by BCC, or it is
  // also the relay's sink): not an answer.
  {
    std::set<std::string> own;
    for (const auto& id : MessageIds(m.Header("Message-ID"))) {
      std::string l = AsciiLower(id);
      auto at = l.rfind('@');
      if (at != std::string::npos && l.substr(at + 1) == needle_domain && at == 36) own.insert(l.substr(0, at));
    }
    if (!own.empty()) {
      c.kind = "own";
      c.refs.assign(own.begin(), own.end());
      return c;
    }
  }
  for (const auto& v : m.Headers("In-Reply-To")) add_ids(v);
  for (const auto& v : m.Headers("References")) add_ids(v);

  std::optional<Dsn> dsn = ParseDsn(m);
  std::string first_text;
  for (const auto& p : m.parts) {
    if (dsn) {
      for (const auto& h : p.enclosed) {
        if (AsciiLower(h.name) == "message-id" || AsciiLower(h.name) == "references" ||
            AsciiLower(h.name) == "in-reply-to") {
          add_ids(h.value);
        }
      }
    }
    if (p.content_type == "text/plain" && first_text.empty()) first_text = p.body.substr(0, kMaxScanTextBytes);
    if (p.content_type.rfind("text/", 0) == 0 || !p.enclosed.empty()) FindOurIds(p.body, domain, refs);
  }
  if (dsn) {
    add_ids("<" + dsn->original_message_id + ">");
    for (const auto& r : dsn->original_references) add_ids("<" + r + ">");
  }
  c.refs.assign(refs.begin(), refs.end());
  c.case_id = FindCaseId(m.Header("Subject"));
  if (c.case_id.empty()) c.case_id = FindCaseId(first_text);
  if (c.case_id.empty() && dsn) c.case_id = FindCaseId(dsn->original_subject);
  if (c.case_id.empty()) {
    for (const auto& p : m.parts) {
      for (const auto& h : p.enclosed) {
        if (AsciiLower(h.name) == "subject" && c.case_id.empty()) c.case_id = FindCaseId(h.value);
      }
    }
  }

  if (dsn) {
    c.reporting_mta = dsn->reporting_mta;
    bool delayed = false, delivered = false;
    for (const auto& r : dsn->recipients) {
      if (r.action == "failed" || (r.action.empty() && !r.status.empty() && r.status[0] == '5')) {
        c.failed.push_back(r);
      } else if (r.action == "delayed") {
        delayed = true;
      } else {
        delivered = true;
      }
    }
    c.kind = !c.failed.empty() ? "bounce" : delayed ? "delayed" : delivered ? "delivered" : "bounce";
  } else {
    std::string auto_sub = AsciiLower(m.Header("Auto-Submitted"));
    std::string prec = AsciiLower(m.Header("Precedence"));
    bool automatic = (!auto_sub.empty() && auto_sub.rfind("no", 0) != 0) || !m.Header("X-Autoreply").empty() ||
                     !m.Header("X-Autorespond").empty() || prec == "auto_reply" || prec == "bulk" || prec == "junk";
    const std::string& s = c.subject;
    bool ack_subject = StartsWithI(s, "auto:") || StartsWithI(s, "automatic reply") || StartsWithI(s, "autoreply") ||
                       StartsWithI(s, "auto-reply") || StartsWithI(s, "[auto") || ContainsI(s, "acknowledg") ||
                       ContainsI(s, "ticket") || ContainsI(s, "we have received") || ContainsI(s, "received your");
    c.ticket = tickets.Find(s + "\n" + first_text.substr(0, 8192));
    c.kind = automatic || (ack_subject && !c.ticket.empty()) ? "auto_ack" : "reply";
    c.excerpt = Fold(first_text, 400);
  }
  if (c.refs.empty() && c.case_id.empty()) c.kind = "unrelated";
  return c;
}

}  // namespace dragnet::monitor
