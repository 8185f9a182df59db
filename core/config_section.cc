#include "core/config_section.h"

#include <charconv>
#include <sstream>

#include "core/clock.h"

namespace dragnet {

ConfigSection::ConfigSection(const toml::table* root, std::string path) : path_(std::move(path)) {
  if (root == nullptr) return;
  const toml::table* t = root;
  std::string rest = path_;
  while (t != nullptr && !rest.empty()) {
    auto dot = rest.find('.');
    std::string part = rest.substr(0, dot);
    rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
    t = t->get_as<toml::table>(part);
  }
  table_ = t;
}

const toml::node* ConfigSection::Node(const char* key) {
  known_.insert(key);
  if (!table_) return nullptr;
  return table_->get(key);
}

Status ConfigSection::TypeError(const char* key, const char* want) const {
  return InvalidArgument("config key '" + path_ + "." + key + "' must be " + want);
}

Status ConfigSection::Get(const char* key, bool& out) {
  const toml::node* n = Node(key);
  if (!n) return Status::Ok();
  auto v = n->value<bool>();
  if (!n->is_boolean() || !v) return TypeError(key, "true or false");
  out = *v;
  return Status::Ok();
}

Status ConfigSection::Get(const char* key, int64_t& out) {
  const toml::node* n = Node(key);
  if (!n) return Status::Ok();
  if (!n->is_integer()) return TypeError(key, "an integer");
  out = *n->value<int64_t>();
  return Status::Ok();
}

Status ConfigSection::Get(const char* key, int& out) {
  int64_t v = out;
  DRAGNET_RETURN_IF_ERROR(Get(key, v));
  if (v < INT32_MIN || v > INT32_MAX) return TypeError(key, "a 32-bit integer");
  out = static_cast<int>(v);
  return Status::Ok();
}

Status ConfigSection::Get(const char* key, double& out) {
  const toml::node* n = Node(key);
  if (!n) return Status::Ok();
  if (!n->is_number()) return TypeError(key, "a number");
  out = *n->value<double>();
  return Status::Ok();
}

Status ConfigSection::Get(const char* key, std::string& out) {
  const toml::node* n = Node(key);
  if (!n) return Status::Ok();
  if (!n->is_string()) return TypeError(key, "a string");
  out = *n->value<std::string>();
  return Status::Ok();
}

Status ConfigSection::Get(const char* key, std::vector<std::string>& out) {
  const toml::node* n = Node(key);
  if (!n) return Status::Ok();
  const toml::array* a = n->as_array();
  if (!a) return TypeError(key, "an array of strings");
  std::vector<std::string> v;
  for (const auto& e : *a) {
    if (!e.is_string()) return TypeError(key, "an array of strings");
    v.push_back(*e.value<std::string>());
  }
  out = std::move(v);
  return Status::Ok();
}

Status ConfigSection::GetDuration(const char* key, int64_t& out_ms) {
  const toml::node* n = Node(key);
  if (!n) return Status::Ok();
  if (!n->is_string()) return TypeError(key, "a duration string with a unit, e.g. \"30s\"");
  auto d = ParseDurationMs(*n->value<std::string>());
  if (!d.ok()) return InvalidArgument("config key '" + path_ + "." + key + "': " + d.status().message());
  out_ms = *d;
  return Status::Ok();
}

Status ConfigSection::GetBytes(const char* key, int64_t& out) {
  const toml::node* n = Node(key);
  if (!n) return Status::Ok();
  if (n->is_integer()) {
    out = *n->value<int64_t>();
    if (out < 0) return TypeError(key, "a non-negative size");
    return Status::Ok();
  }
  if (!n->is_string()) return TypeError(key, "a size, e.g. \"5MiB\"");
  auto b = ParseBytes(*n->value<std::string>());
  if (!b.ok()) return InvalidArgument("config key '" + path_ + "." + key + "': " + b.status().message());
  out = *b;
  return Status::Ok();
}

Status ConfigSection::Finish() const {
  if (!table_) return Status::Ok();
  for (const auto& [k, v] : *table_) {
    std::string key(k.str());
    if (!known_.count(key)) {
      return InvalidArgument("unknown config key '" + path_ + "." + key + "'");
    }
  }
  return Status::Ok();
}

Result<toml::table> LoadTomlFile(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << "config file '" << path << "' line " << e.source().begin.line << " column "
       << e.source().begin.column << ": " << e.description();
    if (std::string(e.description()).find("File could not be opened") != std::string::npos) {
      return NotFound("cannot open config file '" + path + "'");
    }
    return InvalidArgument(os.str());
  }
}

Status CheckSections(const toml::table& root, const std::vector<std::string>& sections) {
  for (const auto& [k, v] : root) {
    std::string key(k.str());
    bool ok = false;
    for (const auto& s : sections) ok = ok || s == key;
    if (!ok) return InvalidArgument("unknown config section or key '" + key + "'");
  }
  return Status::Ok();
}

Result<int64_t> ParseBytes(std::string_view s) {
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr == s.data() || n < 0) {
    return InvalidArgument("invalid size '" + std::string(s) + "' (write e.g. 5MiB)");
  }
  std::string_view unit(ptr, static_cast<size_t>(s.data() + s.size() - ptr));
  int64_t mult;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KiB") mult = 1024;
  else if (unit == "MiB") mult = 1024 * 1024;
  else if (unit == "GiB") mult = 1024LL * 1024 * 1024;
  else if (unit == "KB") mult = 1000;
  else if (unit == "MB") mult = 1000 * 1000;
  else if (unit == "GB") mult = 1000LL * 1000 * 1000;
  else return InvalidArgument("invalid size unit in '" + std::string(s) + "'");
  if (n > INT64_MAX / mult) return InvalidArgument("size '" + std::string(s) + "' is too large");
  return n * mult;
}

}  // namespace dragnet
