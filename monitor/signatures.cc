#include "monitor/signatures.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/fs.h"
#include "core/strings.h"

namespace dragnet::monitor {
namespace {

Status CheckKeys(const toml::table& t, const std::set<std::string>& allowed, const std::string& where) {
  for (const auto& [k, v] : t) {
    if (!allowed.count(std::string(k.str()))) {
      return InvalidArgument(where + ": unknown key '" + std::string(k.str()) + "'");
    }
  }
  return Status::Ok();
}

Status GetString(const toml::table& t, const char* key, std::string& out, const std::string& where, bool required) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) return InvalidArgument(where + ": '" + key + "' is required");
    return Status::Ok();
  }
  if (!n->is_string()) return InvalidArgument(where + ": '" + key + "' must be a string");
  out = *n->value<std::string>();
  return Status::Ok();
}

Status GetStrings(const toml::table& t, const char* key, std::vector<std::string>& out, const std::string& where) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  const toml::array* a = n->as_array();
  if (!a) return InvalidArgument(where + ": '" + key + "' must be an array of strings");
  if (a->size() > kMaxSignatureStrings) {
    return LimitExceeded(where + ": '" + key + "' has more than kMaxSignatureStrings (" +
                         std::to_string(kMaxSignatureStrings) + ") entries");
  }
  for (const auto& e : *a) {
    if (!e.is_string()) return InvalidArgument(where + ": '" + key + "' must be an array of strings");
    std::string v = AsciiLower(*e.value<std::string>());
    if (v.empty() || v.size() > kMaxSignatureStringBytes) {
      return InvalidArgument(where + ": '" + key + "' entries must be 1 to " + std::to_string(kMaxSignatureStringBytes) +
                             " bytes");
    }
    out.push_back(std::move(v));
  }
  return Status::Ok();
}

bool OneOf(const std::string& v, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
}

// Case-insensitive (ASCII) substring search; `needle` is lowercase.
bool ContainsLower(const std::string& hay_lower, const std::string& needle) {
  return hay_lower.find(needle) != std::string::npos;
}

}  // namespace

Result<Signatures> Signatures::Load(const std::string& path) {
  auto text = ReadFile(path, kMaxSignatureFileBytes);
  if (!text.ok()) return Status(text.status().code(), "takedown signatures " + path + ": " + text.status().message());
  return Parse(*text, path);
}

Result<Signatures> Signatures::Parse(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
    return ParseError(msg.str());
  }
  DRAGNET_RETURN_IF_ERROR(CheckKeys(root, {"pages", "nameservers"}, origin));
  Signatures s;
  size_t n = 0;
  if (const toml::node* p = root.get("pages")) {
    const toml::array* a = p->as_array();
    if (!a) return InvalidArgument(origin + ": [[pages]] must be an array of tables");
    for (size_t i = 0; i < a->size(); ++i) {
      std::string where = origin + ": pages[" + std::to_string(i) + "]";
      if (++n > kMaxSignatures) return LimitExceeded(where + ": more than kMaxSignatures entries");
      const toml::table* t = a->get(i)->as_table();
      if (!t) return InvalidArgument(where + " must be a table");
      DRAGNET_RETURN_IF_ERROR(CheckKeys(*t, {"name", "kind", "actor", "title", "text", "status", "source"}, where));
      PageSignature sig;
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "name", sig.name, where, true));
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "kind", sig.kind, where, true));
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "actor", sig.actor, where, true));
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "source", sig.source, where, true));
      DRAGNET_RETURN_IF_ERROR(GetStrings(*t, "title", sig.title, where));
      DRAGNET_RETURN_IF_ERROR(GetStrings(*t, "text", sig.text, where));
      if (!OneOf(sig.kind, {"suspended", "default", "parked", "cdn_block"})) {
        return InvalidArgument(where + ": kind must be suspended, default, parked or cdn_block");
      }
      if (!OneOf(sig.actor, {"host", "cdn", "registrar", "registry"})) {
        return InvalidArgument(where + ": actor must be host, cdn, registrar or registry");
      }
      if (sig.title.empty() && sig.text.empty()) return InvalidArgument(where + ": needs title or text strings");
      if (const toml::node* st = t->get("status")) {
        const toml::array* sa = st->as_array();
        if (!sa || sa->size() > kMaxSignatureStrings) {
          return InvalidArgument(where + ": 'status' must be an array of HTTP statuses");
        }
        for (const auto& e : *sa) {
          auto v = e.value<int64_t>();
          if (!v || *v < 100 || *v > 599) return InvalidArgument(where + ": 'status' entries must be 100..599");
          sig.status.push_back(static_cast<long>(*v));
        }
      }
      s.pages_.push_back(std::move(sig));
    }
  }
  if (const toml::node* p = root.get("nameservers")) {
    const toml::array* a = p->as_array();
    if (!a) return InvalidArgument(origin + ": [[nameservers]] must be an array of tables");
    for (size_t i = 0; i < a->size(); ++i) {
      std::string where = origin + ": nameservers[" + std::to_string(i) + "]";
      if (++n > kMaxSignatures) return LimitExceeded(where + ": more than kMaxSignatures entries");
      const toml::table* t = a->get(i)->as_table();
      if (!t) return InvalidArgument(where + " must be a table");
      DRAGNET_RETURN_IF_ERROR(CheckKeys(*t, {"name", "kind", "actor", "suffixes", "source"}, where));
      NameserverSignature sig;
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "name", sig.name, where, true));
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "kind", sig.kind, where, true));
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "actor", sig.actor, where, true));
      DRAGNET_RETURN_IF_ERROR(GetString(*t, "source", sig.source, where, true));
      DRAGNET_RETURN_IF_ERROR(GetStrings(*t, "suffixes", sig.suffixes, where));
      if (!OneOf(sig.kind, {"parked", "suspended"})) return InvalidArgument(where + ": kind must be parked or suspended");
      if (!OneOf(sig.actor, {"host", "cdn", "registrar", "registry"})) {
        return InvalidArgument(where + ": actor must be host, cdn, registrar or registry");
      }
      if (sig.suffixes.empty()) return InvalidArgument(where + ": needs suffixes");
      for (auto& sfx : sig.suffixes) {
        while (!sfx.empty() && sfx.back() == '.') sfx.pop_back();
      }
      s.nameservers_.push_back(std::move(sig));
    }
  }
  return s;
}

const PageSignature* Signatures::MatchPage(const std::string& title, const std::string& text, long status) const {
  const std::string t = AsciiLower(title);
  const std::string x = AsciiLower(text);
  for (const auto& sig : pages_) {
    if (!sig.status.empty() && std::find(sig.status.begin(), sig.status.end(), status) == sig.status.end()) continue;
    bool hit = std::any_of(sig.title.begin(), sig.title.end(), [&](const std::string& s) { return ContainsLower(t, s); }) ||
               std::any_of(sig.text.begin(), sig.text.end(), [&](const std::string& s) { return ContainsLower(x, s); });
    if (hit) return &sig;
  }
  return nullptr;
}

const NameserverSignature* Signatures::MatchNameservers(const std::vector<std::string>& nameservers,
                                                        std::string* matched) const {
  for (const auto& sig : nameservers_) {
    for (const auto& raw : nameservers) {
      std::string ns = AsciiLower(raw);
      while (!ns.empty() && ns.back() == '.') ns.pop_back();
      for (const auto& sfx : sig.suffixes) {
        bool under = ns == sfx || (ns.size() > sfx.size() && ns.compare(ns.size() - sfx.size(), sfx.size(), sfx) == 0 &&
                                   ns[ns.size() - sfx.size() - 1] == '.');
        if (under) {
          if (matched) *matched = ns;
          return &sig;
        }
      }
    }
  }
  return nullptr;
}

}  // namespace dragnet::monitor
