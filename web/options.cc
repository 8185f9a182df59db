#include "web/options.h"

#include "core/config_section.h"
#include "core/fs.h"
#include "core/options_table.h"

namespace dragnet::web {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;

using O = WebOptions;

const OptionTable<O>& Table() {
  static const OptionTable<O> t = {
      Text("listen", &O::listen),
      Duration("session_ttl", &O::session_ttl_ms, kMinuteMs, 30 * kDayMs),
      Flag("secure_cookies", &O::secure_cookies),
      Int("login_attempts", &O::login_attempts, 1, 1000),
      Duration("login_window", &O::login_window_ms, 1000, kDayMs),
      Bytes("max_body_bytes", &O::max_body_bytes, 4 << 10, 64LL << 20),
      Int("max_submit_urls", &O::max_submit_urls, 1, 100000),
      Duration("taxii_settle", &O::taxii_settle_ms, 0, kDayMs),
      Int("threads", &O::threads, 1, 256),
      Text("assets_dir", &O::assets_dir),
  };
  return t;
}

}  // namespace

Status ParseWebOptions(const toml::table* root, WebOptions& o) {
  ConfigSection s(root, "web");
  DRAGNET_RETURN_IF_ERROR(BindOptions(s, Table(), o));
  DRAGNET_RETURN_IF_ERROR(s.Finish());
  return ValidateWebOptions(o);
}

Status ValidateWebOptions(const WebOptions& o) {
  auto l = ParseListen(o.listen);
  if (!l.ok()) return InvalidArgument("web.listen: " + l.status().message());
  return CheckOptions("web", Table(), o);
}

std::string AssetsDir(const WebOptions& o) {
  if (!o.assets_dir.empty()) return o.assets_dir;
  // An installed binary: <prefix>/bin/dragnet beside <prefix>/share/dragnet/web
  // (cmake/DragnetInstall.cmake), as app/config.h DataDir.
  if (std::string share = InstalledShareDir(); !share.empty() && FileExists(share + "/web/templates/layout.mustache")) {
    return share + "/web";
  }
  std::string src = DRAGNET_SOURCE_WEB_DIR;
  if (FileExists(src + "/templates/layout.mustache")) return src;
  return "/usr/share/dragnet/web";
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("expected host:port, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("port must be 0-65535 in '" + listen + "'");
  }
  int port = std::stoi(port_text);  // digits only, at most 5: cannot throw
  if (port > 65535) return InvalidArgument("port must be 0-65535 in '" + listen + "'");
  return std::make_pair(host, port);
}

}  // namespace dragnet::web
