#pragma once
// Test harness: start real servers on 127.0.0.1 for integration tests.
//
// Every server a test needs (nginx, redis-server, an SMTP sink, dnsmasq, the
// hostile HTTP server) runs as a child process bound to a free loopback port
// in a private temporary folder, and is killed when its handle goes away.
// Nothing here talks to anything outside 127.0.0.0/8.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace dragnet::testing {

// A free TCP port on 127.0.0.1 (bound to port 0, read back, closed). A
// tiny race with other processes is possible; servers that fail to bind are
// retried by their launchers.
int FreePort();

// Blocks until something accepts TCP connections on 127.0.0.1:port, or the
// timeout passes. Returns false on timeout.
bool WaitForPort(int port, int timeout_ms = 10000);

// A fresh folder under $TMPDIR, removed recursively on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A child process. argv[0] is looked up on PATH. stdout/stderr go to
// `log_path` when given, else to /dev/null. Killed (SIGTERM, then SIGKILL
// after 3 s) on destruction unless already reaped.
class Process {
 public:
  Process() = default;
  Process(const std::vector<std::string>& argv, const std::string& log_path = "",
          const std::map<std::string, std::string>& env = {});
  ~Process();
  Process(Process&& o) noexcept;
  Process& operator=(Process&& o) noexcept;

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int sig);
  // SIGTERM, wait up to grace_ms, then SIGKILL. Returns the wait status.
  int Stop(int grace_ms = 3000);
  // Waits for exit up to timeout_ms; returns exit code, or -1 on timeout,
  // or 128+signal when killed by a signal.
  int Wait(int timeout_ms);

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

// Result of running a command to completion.
struct RunResult {
  int exit_code = -1;  // 128+signal when killed; -1 when it timed out
  std::string out;     // stdout
  std::string err;     // stderr
};
// Runs argv with optional stdin text and a timeout; captures output.
RunResult Run(const std::vector<std::string>& argv, const std::string& stdin_text = "",
              int timeout_ms = 60000, const std::map<std::string, std::string>& env = {});

// Paths of the source tree and build tree (compile-time definitions).
std::string SourceDir();
std::string BinaryDir();
// Path of the built dragnet binary.
std::string DragnetBinary();
// tests/fixtures/<rel>.
std::string Fixture(const std::string& rel);

std::string ReadAll(const std::string& path);
void WriteAll(const std::string& path, const std::string& data);

}  // namespace dragnet::testing
