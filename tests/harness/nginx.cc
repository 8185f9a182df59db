#include "tests/harness/nginx.h"

#include <stdexcept>

namespace dragnet::testing {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

NginxServer::NginxServer(const std::string& http_fragment) {
  cert_ = dir_.File("cert.pem");
  key_ = dir_.File("key.pem");
  if (http_fragment.find("{{CERT}}") != std::string::npos) {
    RunResult r = Run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                       "-subj", "/CN=dragnet-test.invalid", "-keyout", key_, "-out", cert_},
                      "", 60000);
    if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    tls_port_ = FreePort();
    std::string frag = http_fragment;
    frag = ReplaceAll(frag, "{{PORT}}", std::to_string(port_));
    frag = ReplaceAll(frag, "{{TLS_PORT}}", std::to_string(tls_port_));
    frag = ReplaceAll(frag, "{{CERT}}", cert_);
    frag = ReplaceAll(frag, "{{KEY}}", key_);
    frag = ReplaceAll(frag, "{{FIXTURES}}", SourceDir() + "/tests/fixtures");
    frag = ReplaceAll(frag, "{{DIR}}", dir_.path());
    std::string brotli = "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so";
    std::string conf;
    if (!ReadAll(brotli).empty()) conf += "load_module " + brotli + ";\n";
    conf += "daemon off;\nmaster_process off;\nworker_processes 1;\n";
    conf += "pid " + dir_.File("nginx.pid") + ";\n";
    conf += "error_log " + dir_.File("error.log") + " info;\n";
    conf += "events { worker_connections 1024; }\n";
    conf += "http {\n";
    conf += "  access_log " + dir_.File("access.log") +
            " combined;\n  client_body_temp_path " + dir_.File("body") +
            ";\n  proxy_temp_path " + dir_.File("proxy") + ";\n  fastcgi_temp_path " +
            dir_.File("fcgi") + ";\n  uwsgi_temp_path " + dir_.File("uwsgi") +
            ";\n  scgi_temp_path " + dir_.File("scgi") + ";\n";
    conf += "  default_type application/octet-stream;\n  types { text/html html htm; "
            "application/json json; text/plain txt; text/css css; "
            "application/javascript js; image/png png; image/x-icon ico; }\n";
    conf += frag + "\n}\n";
    WriteAll(dir_.File("nginx.conf"), conf);
    proc_ = Process({"nginx", "-p", dir_.path(), "-c", dir_.File("nginx.conf"), "-e",
                     dir_.File("error.log")},
                    dir_.File("stderr.log"));
    if (WaitForPort(port_, 5000)) return;
    proc_.Stop(1000);
  }
  throw std::runtime_error("nginx did not start: " + ReadAll(dir_.File("error.log")) +
                           ReadAll(dir_.File("stderr.log")));
}

NginxServer::~NginxServer() { proc_.Stop(3000); }

std::string NginxServer::AccessLog() const { return ReadAll(dir_.File("access.log")); }

}  // namespace dragnet::testing
