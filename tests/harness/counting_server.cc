#include "tests/harness/counting_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace dragnet::testing {
namespace {

// Bounds on what one connection may send us (see the header).
constexpr size_t kMaxHeadBytes = 64 << 10;
constexpr size_t kMaxBodyBytes = 1 << 20;

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 302: return "Found";
    case 404: return "Not Found";
    default: return "Status";
  }
}

void SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

}  // namespace

CountingServer::CountingServer(int status, std::string content_type, std::string body)
    : status_(status), content_type_(std::move(content_type)), body_(std::move(body)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("CountingServer: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("CountingServer: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) {
    ::close(listen_fd_);
    throw std::runtime_error("CountingServer: eventfd() failed");
  }
  thread_ = std::thread([this] { Loop(); });
}

CountingServer::~CountingServer() {
  uint64_t one = 1;
  ssize_t w = ::write(stop_fd_, &one, sizeof one);
  (void)w;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  ::close(stop_fd_);
}

std::string CountingServer::Address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string CountingServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<std::string> CountingServer::Requests() const {
  std::lock_guard<std::mutex> l(mu_);
  return requests_;
}

void CountingServer::Loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;  // EINTR
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections_++;
    Serve(fd);
    ::close(fd);
  }
}

void CountingServer::Serve(int fd) {
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string in;
  char buf[8192];
  size_t head_end = std::string::npos;
  while (head_end == std::string::npos && in.size() < kMaxHeadBytes) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
    head_end = in.find("\r\n\r\n");
  }
  std::string head = in.substr(0, head_end);
  {
    std::lock_guard<std::mutex> l(mu_);
    requests_.push_back(head);
  }
  // Read the request body (a POST), so that closing does not reset the
  // connection before the client has read our answer.
  size_t want = 0;
  for (size_t pos = 0; pos < head.size();) {
    size_t eol = head.find("\r\n", pos);
    std::string line = head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    std::string lower;
    for (char c : line) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (lower.rfind("content-length:", 0) == 0) {
      want = std::min<size_t>(std::strtoul(line.c_str() + 15, nullptr, 10), kMaxBodyBytes);
    }
    if (eol == std::string::npos) break;
    pos = eol + 2;
  }
  size_t have = head_end == std::string::npos ? 0 : in.size() - head_end - 4;
  while (have < want) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    have += static_cast<size_t>(n);
  }
  std::string out = "HTTP/1.1 " + std::to_string(status_) + " " + Reason(status_) + "\r\n";
  if (status_ != 204) {
    out += "Content-Type: " + content_type_ + "\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n";
  }
  out += "Connection: close\r\n\r\n";
  if (status_ != 204) out += body_;
  SendAll(fd, out);
  ::shutdown(fd, SHUT_WR);
}

}  // namespace dragnet::testing
