#pragma once
// Chromium: one headless Chromium process driven over the DevTools protocol
// on a pipe (--remote-debugging-pipe), and the pipe's transport.
//
// Why a pipe (docs/BROWSER.md): no listening port that another local user
// or a page could reach, no WebSocket client library, and the browser dies
// with its pipe. Chromium reads commands on its fd 3 and writes replies and
// events on its fd 4, each message one JSON text followed by a NUL byte.
//
// Launch: a fresh temporary --user-data-dir per process (removed when the
// process goes), headless, no GPU, no QUIC, no first-run, background
// networking, component updates and sync off, downloads denied per browser
// context by the capture. Every request the browser makes is meant to be
// intercepted and fulfilled by Dragnet's own fetcher (crawler/browser/
// capture.h); as a second line, Chromium's own network stack is pointed at
// a "sinkhole" proxy: a loopback socket of ours that accepts and closes
// every connection and counts it (leaked_connections()), with no bypass for
// loopback, and every host name resolves to nothing. Whatever escapes
// interception (a WebSocket, a component of Chromium's own) reaches no one.
// Chromium's sandbox stays on unless we run as root, where Chromium refuses
// to start without --no-sandbox (logged once as a warning).
//
// Process tree: the browser is started in its own process group with
// PR_SET_PDEATHSIG, and Kill() SIGKILLs every process descended from it
// (renderers, zygotes, GPU/utility processes) and reaps the browser, so a
// hung or crashed browser never leaves processes behind.
//
// Threads: one I/O thread per Browser reads and writes the pipe, accepts
// (and closes) sinkhole connections and, every kTickMs, calls the sink with
// a tick so its owner can keep deadlines without timers of its own. Send()
// and SetSink() may be called from any thread; the sink runs on the I/O
// thread and must not block. A Browser is used by one capture at a time
// (BrowserPool hands it out); Kill() and the destructor from its owner.

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "crawler/browser/options.h"

namespace dragnet::crawler::browser {

// Largest DevTools message read from the browser: a full-page screenshot
// of max_screenshot_height at scale 2.6 is a few MB of PNG, a third more as
// base64; a bigger message is a broken or hostile browser and ends it.
inline constexpr size_t kMaxMessageBytes = 96u << 20;
// Interval of the sink's ticks.
inline constexpr int kTickMs = 100;
// How long Launch() waits for the browser to answer its first command.
inline constexpr int kLaunchTimeoutMs = 20'000;

// The executable to run: `configured` when set (must exist), else the
// Debian default or one on PATH. NotFound when there is none.
Result<std::string> FindChromium(const std::string& configured);

// The command line for `executable` (without fds; tests read it).
std::vector<std::string> ChromiumArgs(const std::string& executable, const std::string& user_data_dir,
                                      int sinkhole_port, const BrowserOptions& o, bool no_sandbox);

class Browser {
 public:
  enum class EventKind { kMessage, kTick, kClosed };
  using Sink = std::function<void(EventKind kind, std::string message)>;

  // Starts Chromium and waits until it answers Browser.getVersion.
  static Result<std::unique_ptr<Browser>> Launch(const std::string& executable, const BrowserOptions& o);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Queues one command; its id is returned (replies carry it). `session`
  // empty: the browser target. Never blocks on the pipe.
  int Send(const std::string& method, nlohmann::json params, const std::string& session = "");
  // Where messages, ticks and the close go; null: dropped. Returns once no
  // call of the previous sink is running.
  void SetSink(Sink sink);

  // SIGKILLs the browser and every process below it, reaps them, removes
  // the profile folder. Idempotent.
  void Kill();
  bool closed() const { return closed_.load(); }
  pid_t pid() const { return pid_; }
  // Memory of the browser's whole process tree, bytes (proportional set size).
  int64_t TreeRss() const;
  // Pids of the browser and its descendants (for tests: nothing leaks).
  std::vector<pid_t> TreePids() const;
  const std::string& profile_dir() const { return profile_dir_; }
  const std::string& version() const { return version_; }
  // Connections Chromium opened to the sinkhole proxy: requests that
  // escaped interception (should stay 0).
  int leaked_connections() const { return leaked_.load(); }

  int captures = 0;        // captures run on this browser (pool's bookkeeping)
  bool broken = false;     // a capture found it hung or crashed: recycle
  int leaked_seen = 0;     // leaked_connections() already counted by the pool

 private:
  Browser() = default;
  void IoLoop();
  void Deliver(EventKind kind, std::string message);

  pid_t pid_ = -1;
  int to_browser_ = -1;    // our end of Chromium's fd 3
  int from_browser_ = -1;  // our end of Chromium's fd 4
  int sinkhole_ = -1;      // listening socket Chromium's proxy setting points at
  int wake_ = -1;          // eventfd: outgoing data queued or stopping
  std::string profile_dir_;
  std::string version_;
  std::thread io_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> closed_{false};
  std::atomic<int> leaked_{0};
  std::atomic<int> next_id_{1};

  std::mutex out_mu_;
  std::string out_;        // GUARDED_BY(out_mu_): bytes not yet written

  std::mutex sink_mu_;
  Sink sink_;              // GUARDED_BY(sink_mu_)
  bool reaped_ = false;
};

}  // namespace dragnet::crawler::browser
