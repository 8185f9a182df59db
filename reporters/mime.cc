#include "reporters/mime.h"

#include <zlib.h>

#include "core/hash.h"

namespace dragnet::reporters {
namespace {

// Length of the valid UTF-8 sequence at s[i] (its code point in *cp), or 0
// when invalid (overlong, surrogate, truncated, out of range).
size_t Utf8Decode(std::string_view s, size_t i, uint32_t* cp_out) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t cp;
  if (c < 0x80) {
    *cp_out = c;
    return 1;
  }
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  *cp_out = cp;
  return n;
}

size_t Utf8Len(std::string_view s, size_t i) {
  uint32_t cp;
  return Utf8Decode(s, i, &cp);
}

}  // namespace

bool IsPlainAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x7f || (c < 0x20 && c != '\t')) return false;
  }
  return true;
}

std::string SanitizeHeaderText(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool space = true;  // drops leading whitespace
  for (size_t i = 0; i < in.size();) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x20 || c == 0x7f || c == ' ') {
      if (!space) out.push_back(' ');
      space = true;
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t n = Utf8Decode(in, i, &cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for each invalid byte
      space = false;
      ++i;
      continue;
    }
    // C1 controls (NEL is a line break to some readers) and U+2028/U+2029.
    if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029) {
      if (!space) out.push_back(' ');
      space = true;
      i += n;
      continue;
    }
    out.append(in.substr(i, n));
    space = false;
    i += n;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMaxHeaderValueBytes) {
    size_t cut = kMaxHeaderValueBytes - 3;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

std::string EncodeWords(std::string_view s, size_t first_line_room) {
  // Each word: "=?UTF-8?B?" + base64 + "?=" (12 chars of overhead), at most
  // 75 characters (RFC 2047 2): base64 of at most 45 bytes = 60 characters.
  constexpr size_t kMaxChunk = 45;
  std::string out;
  size_t i = 0;
  bool first = true;
  while (i < s.size()) {
    size_t room = kMaxChunk;
    if (first && first_line_room < 75) {
      // Fit the first word on the header's first line when we can.
      size_t chars = first_line_room > 12 ? first_line_room - 12 : 0;
      room = std::min(kMaxChunk, chars / 4 * 3);
      if (room < 3) room = kMaxChunk;  // no room: start on a continuation line
    }
    size_t end = i;
    while (end < s.size()) {
      size_t n = Utf8Len(s, end);
      if (n == 0) n = 1;
      if (end + n - i > room) break;
      end += n;
    }
    if (end == i) end = i + 1;
    if (!first) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64Encode(s.substr(i, end - i)) + "?=";
    i = end;
    first = false;
  }
  return out;
}

std::string HeaderField(std::string_view name, std::string_view value) {
  std::string v = SanitizeHeaderText(value);
  std::string line(name);
  line += ":";
  bool encode = !IsPlainAscii(v);
  if (!encode) {
    // Words longer than a line cannot be folded: encode instead.
    size_t run = 0;
    for (char c : v) {
      run = c == ' ' ? 0 : run + 1;
      if (run > kMaxHeaderLine - 2) encode = true;
    }
    // Text that looks like an encoded-word must not be decoded by the reader
    // as one: encode it, so what the reader sees is what the site wrote.
    if (v.find("=?") != std::string::npos) encode = true;
  }
  if (encode) {
    size_t room = kMaxHeaderLine - line.size() - 1;
    return line + " " + EncodeWords(v, room) + "\r\n";
  }
  // Fold plain ASCII at spaces.
  size_t col = line.size();
  size_t pos = 0;
  while (pos < v.size()) {
    size_t sp = v.find(' ', pos);
    std::string_view word = std::string_view(v).substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    if (col + 1 + word.size() > kMaxHeaderLine && col > name.size() + 1) {
      line += "\r\n";
      col = 0;
    }
    line += ' ';
    line += word;
    col += 1 + word.size();
    if (sp == std::string::npos) break;
    pos = sp + 1;
  }
  return line + "\r\n";
}

std::string QuotedPrintable(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  size_t col = 0;
  auto put = [&](const std::string& tok) {
    if (col + tok.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += tok;
    col += tok.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF handled at '\n'
    if (c == '\n') {
      // Trailing whitespace before a break must be encoded (RFC 2045 rule 3).
      if (!out.empty() && (out.back() == ' ' || out.back() == '\t')) {
        char w = out.back();
        out.pop_back();
        out += (w == ' ') ? "=20" : "=09";
      }
      out += "\r\n";
      col = 0;
      continue;
    }
    bool literal = (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t';
    // A leading "." or "From " are mangled by some MTAs: encode the dot.
    if (c == '.' && col == 0) literal = false;
    if (literal) {
      put(std::string(1, static_cast<char>(c)));
    } else {
      put(std::string{'=', kHex[c >> 4], kHex[c & 15]});
    }
  }
  return out;
}

std::string Base64Lines(std::string_view bytes) {
  std::string b = Base64Encode(bytes);
  std::string out;
  out.reserve(b.size() + b.size() / 76 * 2 + 2);
  for (size_t i = 0; i < b.size(); i += 76) {
    out.append(b, i, 76);
    out += "\r\n";
  }
  return out;
}

Result<std::string> Gzip(std::string_view data) {
  if (data.size() > kMaxGzipInput) {
    return LimitExceeded("gzip input of " + std::to_string(data.size()) + " bytes exceeds kMaxGzipInput");
  }
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Internal("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t n = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Internal("gzip: deflate did not finish");
  out.resize(n);
  return out;
}

std::string BuildMime(const std::vector<std::string>& headers, const std::vector<MimePart>& parts,
                      const std::string& boundary) {
  std::string m;
  for (const auto& h : headers) m += h;
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "This is a multi-part message in MIME format.\r\n";
  for (size_t i = 0; i < parts.size(); ++i) {
    const MimePart& p = parts[i];
    m += "\r\n--" + boundary + "\r\n";
    m += "Content-Type: " + p.content_type;
    if (!p.filename.empty()) m += "; name=\"" + p.filename + "\"";
    m += "\r\n";
    if (i == 0 && p.filename.empty()) {
      m += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
      m += QuotedPrintable(p.data);
      if (m.size() < 2 || m.compare(m.size() - 2, 2, "\r\n") != 0) m += "\r\n";
    } else {
      m += "Content-Transfer-Encoding: base64\r\n";
      m += "Content-Disposition: attachment; filename=\"" + p.filename + "\"\r\n\r\n";
      m += Base64Lines(p.data);
    }
  }
  m += "\r\n--" + boundary + "--\r\n";
  return m;
}

}  // namespace dragnet::reporters
