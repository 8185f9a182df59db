#include "tests/harness/hostile.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <stdexcept>

namespace dragnet::testing {

HostileServer::HostileServer() {
  std::string script = SourceDir() + "/tests/harness/hostile_server.py";
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    blackhole_port_ = FreePort();
    if (blackhole_port_ == port_) continue;
    proc_ = Process({"/usr/bin/python3", script, "--port", std::to_string(port_),
                     "--blackhole-port", std::to_string(blackhole_port_)},
                    dir_.File("server.log"));
    if (WaitForPort(port_, 10000)) return;
    proc_.Stop(1000);
  }
  throw std::runtime_error("hostile_server did not start: " + Log());
}

HostileServer::~HostileServer() { proc_.Stop(2000); }

std::string HostileServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string HostileServer::Address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string HostileServer::Log() const { return ReadAll(dir_.File("server.log")); }

std::string HostileServer::Get(const std::string& path, const std::string& host) const {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {};
  }
  std::string req = "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return {};
  }
  std::string resp;
  char buf[4096];
  // The replies read here are small (/stats); 1 MiB bounds a broken one.
  while (resp.size() < (1u << 20)) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    resp.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  auto sep = resp.find("\r\n\r\n");
  return sep == std::string::npos ? std::string() : resp.substr(sep + 4);
}

}  // namespace dragnet::testing
