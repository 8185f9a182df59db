#include "monitor/mail.h"

#include <algorithm>
#include <cctype>

#include "core/strings.h"
#include "core/text.h"

namespace dragnet::monitor {
namespace {

// ---------------------------------------------------------------- lines ---

// Splits off one line (without its end) from `in` at `pos`; CRLF, LF and a
// bare CR all end a line. Returns false at the end.
bool NextLine(std::string_view in, size_t& pos, std::string_view& line) {
  if (pos >= in.size()) return false;
  size_t start = pos;
  size_t i = pos;
  while (i < in.size() && in[i] != '\n' && in[i] != '\r') ++i;
  line = in.substr(start, i - start);
  if (i < in.size() && in[i] == '\r') {
    ++i;
    if (i < in.size() && in[i] == '\n') ++i;
  } else if (i < in.size() && in[i] == '\n') {
    ++i;
  }
  pos = i;
  return true;
}

std::string Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return std::string(s.substr(a, b - a));
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool ValidFieldName(std::string_view n) {
  if (n.empty()) return false;
  for (unsigned char c : n) {
    if (c < 33 || c > 126 || c == ':') return false;
  }
  return true;
}

// Reads a header block from `in` at `pos` up to and including the blank
// line; leaves `pos` at the body. Values stay raw (not decoded) here.
void ReadHeaderBlock(std::string_view in, size_t& pos, std::vector<MailHeader>& out, std::vector<std::string>& notes) {
  size_t bytes = 0;
  std::string_view line;
  bool capped = false, garbage = false;
  while (NextLine(in, pos, line)) {
    if (line.empty()) return;  // end of the header block
    bytes += line.size() + 2;
    if (bytes > kMaxHeaderBytes || out.size() > kMaxHeaders) {
      if (!capped) notes.push_back("header block cut at kMaxHeaderBytes/kMaxHeaders");
      capped = true;
      continue;  // skip to the blank line
    }
    if ((line[0] == ' ' || line[0] == '\t')) {
      if (!out.empty()) out.back().value += " " + Trim(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !ValidFieldName(Trim(line.substr(0, colon)))) {
      // An mbox "From " line or garbage: not a header.
      if (out.empty() && line.rfind("From ", 0) == 0) continue;
      if (!garbage) notes.push_back("lines that are not header fields skipped");
      garbage = true;
      continue;
    }
    out.push_back({Trim(line.substr(0, colon)), Trim(line.substr(colon + 1))});
  }
}

const std::string* Find(const std::vector<MailHeader>& hs, std::string_view name) {
  for (const auto& h : hs) {
    if (IEquals(h.name, name)) return &h.value;
  }
  return nullptr;
}

// ------------------------------------------------------------ parameters ---

struct ContentType {
  std::string type = "text/plain";
  std::string boundary, charset, report_type;
};

// "multipart/report; report-type=delivery-status; boundary="x"".
ContentType ParseContentType(std::string_view v) {
  ContentType ct;
  size_t semi = v.find(';');
  std::string t = AsciiLower(Trim(v.substr(0, semi)));
  if (t.find('/') != std::string::npos && t.size() <= 128) ct.type = t;
  // Bounded: one pass over the value, which the header cap bounds.
  size_t pos = semi == std::string_view::npos ? v.size() : semi + 1;
  while (pos < v.size()) {
    size_t eq = v.find('=', pos);
    if (eq == std::string_view::npos) break;
    std::string key = AsciiLower(Trim(v.substr(pos, eq - pos)));
    size_t i = eq + 1;
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    std::string val;
    if (i < v.size() && v[i] == '"') {
      ++i;
      while (i < v.size() && v[i] != '"') {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        val.push_back(v[i]);
        ++i;
      }
      if (i < v.size()) ++i;  // closing quote
      while (i < v.size() && v[i] != ';') ++i;
    } else {
      size_t end = v.find(';', i);
      if (end == std::string_view::npos) end = v.size();
      val = Trim(v.substr(i, end - i));
      i = end;
    }
    if (key == "boundary") ct.boundary = val.substr(0, 200);
    else if (key == "charset") ct.charset = AsciiLower(val.substr(0, 64));
    else if (key == "report-type") ct.report_type = AsciiLower(val.substr(0, 64));
    pos = i < v.size() ? i + 1 : v.size();
  }
  return ct;
}

// -------------------------------------------------------------- decoding ---

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int B64Val(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Base64, skipping anything that is not in the alphabet; stops at `max`.
std::string DecodeBase64(std::string_view in, size_t max) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    if (c == '=') break;
    int v = B64Val(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
      if (out.size() >= max) break;
    }
  }
  return out;
}

// Quoted-printable (RFC 2045 6.7); `header` also maps '_' to a space (RFC 2047 Q).
std::string DecodeQp(std::string_view in, size_t max, bool header) {
  std::string out;
  size_t i = 0;
  while (i < in.size() && out.size() < max) {
    char c = in[i];
    if (c == '=') {
      if (i + 1 < in.size() && (in[i + 1] == '\r' || in[i + 1] == '\n')) {  // soft line break
        i += 2;
        if (in[i - 1] == '\r' && i < in.size() && in[i] == '\n') ++i;
        continue;
      }
      if (i + 2 < in.size()) {
        int h = HexVal(in[i + 1]), l = HexVal(in[i + 2]);
        if (h >= 0 && l >= 0) {
          out.push_back(static_cast<char>(h * 16 + l));
          i += 3;
          continue;
        }
      }
      out.push_back('=');
      ++i;
      continue;
    }
    out.push_back(header && c == '_' ? ' ' : c);
    ++i;
  }
  return out;
}

// ISO-8859-1 bytes to UTF-8.
std::string Latin1ToUtf8(std::string_view in) {
  std::string out;
  for (unsigned char c : in) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::string ToUtf8(std::string_view bytes, const std::string& charset) {
  if (charset == "iso-8859-1" || charset == "latin1" || charset == "windows-1252" || charset == "us-ascii") {
    return Latin1ToUtf8(bytes);
  }
  return ToText(bytes);
}

std::string Decode(std::string_view body, const std::vector<MailHeader>& headers) {
  const std::string* cte = Find(headers, "Content-Transfer-Encoding");
  std::string enc = cte ? AsciiLower(Trim(*cte)) : "";
  if (enc == "base64") return DecodeBase64(body, kMaxPartBytes);
  if (enc == "quoted-printable") return DecodeQp(body, kMaxPartBytes, false);
  return std::string(body.substr(0, kMaxPartBytes));
}

// Headers with encoded words decoded and made text.
void DecodeHeaders(std::vector<MailHeader>& hs) {
  for (auto& h : hs) {
    h.name = ToText(h.name);
    h.value = DecodeWords(h.value);
  }
}

// ------------------------------------------------------------------ MIME ---

void Walk(std::string_view entity, int depth, Mail& mail, bool top);

// The body of a multipart entity, split at its boundary lines.
void WalkMultipart(std::string_view body, const std::string& boundary, int depth, Mail& mail) {
  if (boundary.empty()) {
    mail.notes.push_back("multipart without a boundary: read as text");
    return;
  }
  const std::string delim = "--" + boundary;
  size_t pos = 0;
  std::string_view line;
  size_t part_start = std::string::npos;
  size_t line_start = 0;
  // One pass over the lines: the number of parts is bounded by kMaxMimeParts.
  while (true) {
    line_start = pos;
    if (!NextLine(body, pos, line)) break;
    if (line.size() >= delim.size() && line.compare(0, delim.size(), delim) == 0) {
      std::string_view rest = line.substr(delim.size());
      bool closing = rest.size() >= 2 && rest[0] == '-' && rest[1] == '-';
      // RFC 2046 5.1.1: only white space may follow ("--b1" is not "--b10").
      std::string_view after = closing ? rest.substr(2) : rest;
      if (!std::all_of(after.begin(), after.end(), [](char ch) { return ch == ' ' || ch == '\t'; })) continue;
      if (part_start != std::string::npos) {
        // The line break before a delimiter belongs to the delimiter.
        size_t end = line_start;
        if (end > part_start && body[end - 1] == '\n') --end;
        if (end > part_start && body[end - 1] == '\r') --end;
        if (mail.parts.size() >= kMaxMimeParts) {
          mail.notes.push_back("MIME parts cut at kMaxMimeParts");
          return;
        }
        Walk(body.substr(part_start, end - part_start), depth + 1, mail, false);
      }
      if (closing) return;
      part_start = pos;
    }
  }
  if (part_start != std::string::npos && part_start < body.size()) {
    mail.notes.push_back("multipart without its closing boundary");
    if (mail.parts.size() < kMaxMimeParts) Walk(body.substr(part_start), depth + 1, mail, false);
  }
}

void Walk(std::string_view entity, int depth, Mail& mail, bool top) {
  std::vector<MailHeader> headers;
  size_t pos = 0;
  if (top) {
    // The top level's headers are already read.
    headers = mail.headers;
    pos = 0;
  } else {
    ReadHeaderBlock(entity, pos, headers, mail.notes);
  }
  std::string_view body = entity.substr(std::min(pos, entity.size()));
  const std::string* ctv = Find(headers, "Content-Type");
  ContentType ct = ctv ? ParseContentType(*ctv) : ContentType();
  if (top) {
    mail.content_type = ct.type;
    mail.report_type = ct.report_type;
  }
  if (ct.type.rfind("multipart/", 0) == 0) {
    if (depth >= kMaxMimeDepth) {
      mail.notes.push_back("MIME nesting cut at kMaxMimeDepth");
      return;
    }
    WalkMultipart(body, ct.boundary, depth, mail);
    return;
  }
  if (mail.parts.size() >= kMaxMimeParts) {
    mail.notes.push_back("MIME parts cut at kMaxMimeParts");
    return;
  }
  MailPart part;
  part.content_type = ct.type;
  part.charset = ct.charset;
  std::string decoded = Decode(body, headers);
  if (ct.type == "message/rfc822" || ct.type == "text/rfc822-headers" || ct.type == "message/rfc822-headers") {
    size_t p = 0;
    ReadHeaderBlock(decoded, p, part.enclosed, mail.notes);
    DecodeHeaders(part.enclosed);
    part.body = ToText(std::string_view(decoded).substr(std::min(p, decoded.size())));
  } else if (ct.type.rfind("text/", 0) == 0 || ct.type == "message/delivery-status" ||
             ct.type == "message/global-delivery-status") {
    part.body = ToUtf8(decoded, ct.charset);
  } else {
    part.body.clear();  // attachments: only their type matters here
  }
  DecodeHeaders(headers);
  part.headers = std::move(headers);
  mail.parts.push_back(std::move(part));
}

}  // namespace

// ------------------------------------------------------------ public API ---

std::string Mail::Header(std::string_view name) const {
  const std::string* v = Find(headers, name);
  return v ? *v : std::string();
}

std::vector<std::string> Mail::Headers(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& h : headers) {
    if (IEquals(h.name, name)) out.push_back(h.value);
  }
  return out;
}

std::string DecodeWords(std::string_view v) {
  std::string out;
  size_t pos = 0;
  bool last_was_word = false;
  // Each iteration consumes at least one byte: bounded by the value's size.
  while (pos < v.size()) {
    size_t start = v.find("=?", pos);
    if (start == std::string_view::npos) {
      out.append(v.substr(pos));
      break;
    }
    size_t q1 = v.find('?', start + 2);
    size_t q2 = q1 == std::string_view::npos ? q1 : v.find('?', q1 + 1);
    size_t end = q2 == std::string_view::npos ? q2 : v.find("?=", q2 + 1);
    if (end == std::string_view::npos || q2 != q1 + 2) {
      out.append(v.substr(pos, start + 2 - pos));
      pos = start + 2;
      last_was_word = false;
      continue;
    }
    std::string_view between = v.substr(pos, start - pos);
    // Whitespace between two encoded words is dropped (RFC 2047 6.2).
    bool blank = std::all_of(between.begin(), between.end(), [](char c) { return c == ' ' || c == '\t'; });
    if (!(last_was_word && blank)) out.append(between);
    std::string charset = AsciiLower(v.substr(start + 2, q1 - start - 2));
    auto star = charset.find('*');  // RFC 2231 language suffix
    if (star != std::string::npos) charset.resize(star);
    char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(v[q1 + 1])));
    std::string_view text = v.substr(q2 + 1, end - q2 - 1);
    std::string bytes = enc == 'B' ? DecodeBase64(text, kMaxHeaderBytes) : DecodeQp(text, kMaxHeaderBytes, true);
    out += ToUtf8(bytes, charset);
    pos = end + 2;
    last_was_word = true;
  }
  return ToText(Trim(out));
}

std::vector<std::string> MessageIds(std::string_view value) {
  std::vector<std::string> out;
  size_t pos = 0;
  // Bounded by the header cap; at most 100 ids kept.
  while (pos < value.size() && out.size() < 100) {
    size_t a = value.find('<', pos);
    if (a == std::string_view::npos) break;
    size_t b = value.find('>', a + 1);
    if (b == std::string_view::npos) break;
    std::string id = Trim(value.substr(a + 1, b - a - 1));
    if (!id.empty() && id.size() <= 998 && id.find('<') == std::string::npos) out.push_back(ToText(id));
    pos = b + 1;
  }
  return out;
}

std::string AddressOf(std::string_view value) {
  std::string v(value);
  size_t a = v.rfind('<');
  size_t b = a == std::string::npos ? std::string::npos : v.find('>', a);
  std::string addr = a != std::string::npos && b != std::string::npos ? v.substr(a + 1, b - a - 1) : v;
  // "rfc822; user@example.com" (DSN address-type prefix).
  size_t semi = addr.find(';');
  if (semi != std::string::npos) addr = addr.substr(semi + 1);
  addr = AsciiLower(Trim(addr));
  if (addr.size() > 254 || addr.find('@') == std::string::npos) return "";
  for (unsigned char c : addr) {
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',') return "";
  }
  return addr;
}

Result<Mail> ParseMail(std::string_view bytes) {
  Mail m;
  size_t pos = 0;
  ReadHeaderBlock(bytes, pos, m.headers, m.notes);
  if (m.headers.empty()) return ParseError("not a mail message: no header fields");
  std::string_view body = bytes.substr(std::min(pos, bytes.size()));
  // Walk reads the top-level headers from m.headers (still raw: encoded
  // words are decoded once the structure is known).
  Walk(body, 0, m, true);
  DecodeHeaders(m.headers);
  return m;
}

std::optional<Dsn> ParseDsn(const Mail& m) {
  const MailPart* status = nullptr;
  for (const auto& p : m.parts) {
    if (p.content_type == "message/delivery-status" || p.content_type == "message/global-delivery-status") {
      status = &p;
      break;
    }
  }
  Dsn d;
  // The returned message (or its headers), wherever it is.
  for (const auto& p : m.parts) {
    if (p.enclosed.empty()) continue;
    for (const auto& h : p.enclosed) {
      if (IEquals(h.name, "Message-ID") && d.original_message_id.empty()) {
        auto ids = MessageIds(h.value);
        if (!ids.empty()) d.original_message_id = ids.front();
      } else if (IEquals(h.name, "References") || IEquals(h.name, "In-Reply-To")) {
        for (auto& id : MessageIds(h.value)) d.original_references.push_back(std::move(id));
      } else if (IEquals(h.name, "Subject") && d.original_subject.empty()) {
        d.original_subject = h.value;
      }
    }
    break;
  }
  if (status) {
    std::vector<std::string> notes;
    size_t pos = 0;
    const std::string& body = status->body;
    bool first_group = true;
    // Groups separated by blank lines; bounded by the part's size and
    // kMaxDsnRecipients.
    while (pos < body.size() && d.recipients.size() < kMaxDsnRecipients) {
      size_t before = pos;
      std::vector<MailHeader> group;
      ReadHeaderBlock(body, pos, group, notes);
      if (pos == before) break;
      if (group.empty()) continue;
      DecodeHeaders(group);
      if (first_group) {
        first_group = false;
        if (const std::string* mta = Find(group, "Reporting-MTA")) {
          d.reporting_mta = CutText(*mta, 200);
          continue;
        }
      }
      DsnRecipient r;
      if (const std::string* v = Find(group, "Final-Recipient")) r.final_recipient = AddressOf(*v);
      if (r.final_recipient.empty()) {
        if (const std::string* v = Find(group, "Original-Recipient")) r.final_recipient = AddressOf(*v);
      }
      if (const std::string* v = Find(group, "Action")) r.action = AsciiLower(CutText(Trim(*v), 32));
      if (const std::string* v = Find(group, "Status")) r.status = CutText(Trim(*v), 32);
      if (const std::string* v = Find(group, "Diagnostic-Code")) r.diagnostic = CutText(*v, 300);
      if (!r.final_recipient.empty() || !r.action.empty()) d.recipients.push_back(std::move(r));
    }
    if (!d.recipients.empty()) return d;
  }
  // MTAs without DSNs (and DSNs with an empty status part): the
  // X-Failed-Recipients header (Exim, Gmail).
  std::vector<std::string> failed = m.Headers("X-Failed-Recipients");
  if (failed.empty()) {
    if (status || m.report_type == "delivery-status") return d;  // a report whose status part is empty or cut
    return std::nullopt;
  }
  for (const auto& v : failed) {
    size_t pos = 0;
    while (pos <= v.size() && d.recipients.size() < kMaxDsnRecipients) {
      size_t comma = v.find(',', pos);
      std::string one = AddressOf(v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
      if (!one.empty()) d.recipients.push_back({one, "failed", "5.0.0", "X-Failed-Recipients"});
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  return d;
}

}  // namespace dragnet::monitor
