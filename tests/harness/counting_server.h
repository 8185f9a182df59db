#pragma once
// CountingServer: a TCP listener on 127.0.0.1 (a free port) that counts the
// connections it accepts and answers each with one fixed HTTP response.
//
// It is the witness for the SSRF guard's tests: a redirect, a referral or a
// webhook URL pointing at this address must be refused before connect(), so
// connections() stays 0 with the guard on; with [crawl] allow_private the
// same request reaches it and is answered (connections() 1).
//
// Threads: one accept thread inside; every method may be called from any
// thread. Each connection is answered and closed on that thread (a request
// head is read up to 64 KiB, a body up to its Content-Length, 1 MiB at most,
// each read bounded by a 2 s timeout).

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dragnet::testing {

class CountingServer {
 public:
  // Starts listening; throws std::runtime_error when it cannot.
  explicit CountingServer(int status = 200, std::string content_type = "text/plain",
                          std::string body = "ok\n");
  ~CountingServer();
  CountingServer(const CountingServer&) = delete;
  CountingServer& operator=(const CountingServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>", as the SSRF guard's allow list wants it.
  std::string Address() const;
  // "http://127.0.0.1:<port>" + path.
  std::string Url(const std::string& path) const;
  // TCP connections accepted so far.
  int connections() const { return connections_.load(); }
  // The request heads received (request line and headers), in order.
  std::vector<std::string> Requests() const;

 private:
  void Loop();
  void Serve(int fd);

  int status_;
  std::string content_type_, body_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: wakes the accept loop on destruction
  int port_ = 0;
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace dragnet::testing
