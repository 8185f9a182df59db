#include "core/feed_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace dragnet {
namespace {

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view DropBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// Length of the line end at `i` (LF, CRLF or lone CR), 0 when none.
size_t LineEnd(std::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  if (t[i] == '\n') return 1;
  if (t[i] == '\r') return i + 1 < t.size() && t[i + 1] == '\n' ? 2 : 1;
  return 0;
}

void AddEntry(std::vector<FeedEntry>& out, FeedEntry e) {
  if (out.size() == kMaxFeedEntries) {
    FeedEntry over;
    over.line = e.line;
    over.label = e.label;
    over.error = "the feed holds more than " + std::to_string(kMaxFeedEntries) + " entries; the rest is not read";
    out.push_back(std::move(over));
    return;
  }
  if (out.size() > kMaxFeedEntries) return;
  if (e.error.empty() && e.text.find('\0') != std::string::npos) {
    e.error = e.label.empty() ? "the line holds a NUL byte" : "the entry holds a NUL byte";
  }
  out.push_back(std::move(e));
}

void ReadLines(std::string_view t, std::vector<FeedEntry>& out) {
  size_t line = 0;
  while (!t.empty() && out.size() <= kMaxFeedEntries) {
    size_t end = t.find_first_of("\r\n");
    std::string_view text = t.substr(0, end);
    ++line;
    t = end == std::string_view::npos ? std::string_view() : t.substr(end + LineEnd(t, end));
    text = Trim(text);
    if (text.empty() || text[0] == '#') continue;
    FeedEntry e;
    e.text = std::string(text);
    e.line = line;
    AddEntry(out, std::move(e));
  }
}

struct CsvRecord {
  std::vector<std::string> fields;
  size_t line = 0;      // where it starts
  bool comment = false; // a line starting with '#' (urlhaus_csv), kept whole in fields[0]
};

// RFC 4180, leniently: quoted fields with "" escapes may span lines; text
// after a closing quote is kept; an unterminated quote runs to the end.
class CsvReader {
 public:
  CsvReader(std::string_view t, bool comments) : t_(t), comments_(comments) {}

  bool Next(CsvRecord& r) {
    r.fields.clear();
    r.comment = false;
    // Skip blank lines.
    while (i_ < t_.size() && LineEnd(t_, i_) > 0) {
      i_ += LineEnd(t_, i_);
      ++line_;
    }
    if (i_ >= t_.size()) return false;
    r.line = line_;
    if (comments_ && t_[i_] == '#') {
      size_t end = t_.find_first_of("\r\n", i_);
      if (end == std::string_view::npos) end = t_.size();
      r.fields.emplace_back(t_.substr(i_, end - i_));
      r.comment = true;
      i_ = end + LineEnd(t_, end);
      ++line_;
      return true;
    }
    std::string field;
    bool quoted = false, was_quoted = false;
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (quoted) {
        if (c == '"') {
          if (i_ + 1 < t_.size() && t_[i_ + 1] == '"') {
            field += '"';
            i_ += 2;
            continue;
          }
          quoted = false;
          ++i_;
          continue;
        }
        if (size_t n = LineEnd(t_, i_); n > 0) {
          field.append(t_.substr(i_, n));
          i_ += n;
          ++line_;
          continue;
        }
        field += c;
        ++i_;
        continue;
      }
      if (c == '"' && !was_quoted && Trim(field).empty()) {
        field.clear();
        quoted = was_quoted = true;
        ++i_;
        continue;
      }
      if (c == ',') {
        r.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
        ++i_;
        continue;
      }
      if (size_t n = LineEnd(t_, i_); n > 0) {
        i_ += n;
        ++line_;
        break;
      }
      field += c;
      ++i_;
    }
    r.fields.push_back(std::move(field));
    return true;
  }

 private:
  std::string_view t_;
  bool comments_;
  size_t i_ = 0;
  size_t line_ = 1;
};

// Index of `name` among comma-separated `columns` (case-insensitive), or -1.
int ColumnOf(const std::vector<std::string>& columns, const std::string& name) {
  for (size_t k = 0; k < columns.size(); ++k) {
    if (Lower(Trim(columns[k])) == name) return static_cast<int>(k);
  }
  return -1;
}

std::vector<std::string> SplitComma(std::string_view s) {
  std::vector<std::string> out;
  while (true) {
    size_t c = s.find(',');
    out.emplace_back(Trim(s.substr(0, c)));
    if (c == std::string_view::npos) break;
    s.remove_prefix(c + 1);
  }
  return out;
}

void AddField(const CsvRecord& r, int column, const char* column_name, std::vector<FeedEntry>& out) {
  FeedEntry e;
  e.line = r.line;
  if (column < 0 || static_cast<size_t>(column) >= r.fields.size()) {
    e.error = "the record has " + std::to_string(r.fields.size()) + " field(s); the " + column_name +
              " column is number " + std::to_string(column + 1);
  } else {
    e.text = std::string(Trim(r.fields[column]));
    if (e.text.empty()) e.error = std::string("the ") + column_name + " column is empty";
  }
  AddEntry(out, std::move(e));
}

void ReadUrlhaus(std::string_view t, std::vector<FeedEntry>& out) {
  CsvReader reader(t, /*comments=*/true);
  CsvRecord r;
  int url_col = 2;  // id,dateadded,url,...
  while (out.size() <= kMaxFeedEntries && reader.Next(r)) {
    if (r.comment) {
      // "# id,dateadded,url,url_status,..." names the columns.
      std::string_view c = Trim(std::string_view(r.fields[0]).substr(1));
      auto cols = SplitComma(c);
      if (cols.size() > 1) {
        int k = ColumnOf(cols, "url");
        if (k >= 0) url_col = k;
      }
      continue;
    }
    if (r.fields.size() == 1 && Trim(r.fields[0]).empty()) continue;
    AddField(r, url_col, "url", out);
  }
}

bool LooksLikeData(std::string_view field) {
  field = Trim(field);
  return field.find('.') != std::string_view::npos || field.find("://") != std::string_view::npos;
}

Status ReadCsv(std::string_view t, const std::string& column, std::vector<FeedEntry>& out) {
  CsvReader reader(t, /*comments=*/false);
  CsvRecord r;
  int col = -1;
  size_t number = 0;
  bool by_number = !column.empty() && std::all_of(column.begin(), column.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (by_number) {
    auto [p, ec] = std::from_chars(column.data(), column.data() + column.size(), number);
    if (ec != std::errc() || number == 0 || number > 10000) {
      return InvalidArgument("csv:" + column + ": a column number counts from 1");
    }
    col = static_cast<int>(number - 1);
  }
  bool first = true;
  while (out.size() <= kMaxFeedEntries && reader.Next(r)) {
    if (first) {
      first = false;
      if (!by_number) {
        col = ColumnOf(r.fields, Lower(column));
        if (col < 0) {
          std::string names;
          for (const auto& f : r.fields) names += (names.empty() ? "" : ", ") + std::string(Trim(f));
          if (names.size() > 300) names = names.substr(0, 300) + "...";
          return InvalidArgument("csv:" + column + ": the header row has no column '" + column + "' (it has: " +
                                 names + ")");
        }
        continue;
      }
      // csv:N: a first row whose field is no URL or domain is the header.
      if (static_cast<size_t>(col) < r.fields.size() && !LooksLikeData(r.fields[col])) continue;
    }
    if (r.fields.size() == 1 && Trim(r.fields[0]).empty()) continue;
    AddField(r, col, ("'" + column + "'").c_str(), out);
  }
  return Status::Ok();
}

Status ReadPhishtank(std::string_view t, std::vector<FeedEntry>& out) {
  nlohmann::json doc = nlohmann::json::parse(t.begin(), t.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidArgument("phishtank_json: the feed is not valid JSON");
  if (!doc.is_array()) return InvalidArgument("phishtank_json: the feed is not a JSON array of entries");
  size_t n = 0;
  for (const auto& item : doc) {
    if (out.size() > kMaxFeedEntries) break;
    FeedEntry e;
    e.label = "entry " + std::to_string(++n);
    if (item.is_object()) {
      auto id = item.find("phish_id");
      if (id != item.end() && (id->is_number_integer() || id->is_string())) {
        std::string v = id->is_string() ? id->get<std::string>() : std::to_string(id->get<int64_t>());
        if (v.size() <= 20) e.label += " (phish_id " + v + ")";
      }
      auto url = item.find("url");
      if (url != item.end() && url->is_string()) {
        e.text = std::string(Trim(url->get<std::string>()));
        if (e.text.empty()) e.error = "its url is empty";
      } else {
        e.error = "it has no url string";
      }
    } else {
      e.error = "it is not an object";
    }
    AddEntry(out, std::move(e));
  }
  return Status::Ok();
}

}  // namespace

Result<FeedFormat> ParseFeedFormat(std::string_view spec) {
  FeedFormat f;
  if (spec == "plain") f.kind = FeedFormat::Kind::kPlain;
  else if (spec == "openphish") f.kind = FeedFormat::Kind::kOpenPhish;
  else if (spec == "urlhaus_csv") f.kind = FeedFormat::Kind::kUrlhausCsv;
  else if (spec == "phishtank_json") f.kind = FeedFormat::Kind::kPhishtankJson;
  else if (spec.substr(0, 4) == "csv:" && !Trim(spec.substr(4)).empty()) {
    f.kind = FeedFormat::Kind::kCsv;
    f.column = std::string(Trim(spec.substr(4)));
  } else {
    return InvalidArgument("unknown feed format '" + std::string(spec) +
                           "': use plain, openphish, urlhaus_csv, phishtank_json or csv:COLUMN");
  }
  return f;
}

Status ReadFeed(std::string_view bytes, const FeedFormat& format, std::vector<FeedEntry>& out) {
  bytes = DropBom(bytes);
  switch (format.kind) {
    case FeedFormat::Kind::kPlain:
    case FeedFormat::Kind::kOpenPhish:
      ReadLines(bytes, out);
      return Status::Ok();
    case FeedFormat::Kind::kUrlhausCsv:
      ReadUrlhaus(bytes, out);
      return Status::Ok();
    case FeedFormat::Kind::kPhishtankJson:
      return ReadPhishtank(bytes, out);
    case FeedFormat::Kind::kCsv:
      return ReadCsv(bytes, format.column, out);
  }
  return Internal("unknown feed format kind");
}

}  // namespace dragnet
