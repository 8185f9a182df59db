#pragma once
// DumpJson: the one way Dragnet turns JSON into bytes (output lines, files,
// Redis, SQLite, HTTP bodies). nlohmann::json::dump() throws on a string
// that is not valid UTF-8; strings from outside are made text at their
// boundary (core/text.h), and this is the backstop behind it: an invalid
// byte that slipped through becomes U+FFFD instead of an exception that
// would end a seed, a job or the process. scripts/lint bans a bare .dump(.
//
// Pure function, thread-safe.

#include <string>

#include <nlohmann/json.hpp>

namespace dragnet {

// indent -1: one line; otherwise pretty-printed with `indent` spaces.
inline std::string DumpJson(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dragnet

