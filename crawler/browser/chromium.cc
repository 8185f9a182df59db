#include "crawler/browser/chromium.h"

#include "core/json.h"
#include "crawler/browser/framing.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace dragnet::crawler::browser {
namespace {

bool Executable(const std::string& p) { return !p.empty() && access(p.c_str(), X_OK) == 0; }

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct ProcStat {
  pid_t pid = 0, ppid = 0;
  int64_t rss_pages = 0;
};

// /proc/<pid>/stat of every process; the comm field may hold spaces and
// parentheses, so fields are counted from the last ')'.
std::vector<ProcStat> AllProcesses() {
  std::vector<ProcStat> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(e.path() / "stat");
    std::string line;
    if (!std::getline(f, line)) continue;
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    ProcStat ps;
    ps.pid = static_cast<pid_t>(std::strtol(name.c_str(), nullptr, 10));
    rest >> state >> ps.ppid;
    // Fields 5..23 skipped; 24 is rss (in pages).
    std::string skip;
    for (int i = 5; i <= 23 && rest; ++i) rest >> skip;
    rest >> ps.rss_pages;
    out.push_back(ps);
  }
  return out;
}

std::vector<ProcStat> Tree(pid_t root) {
  std::vector<ProcStat> all = AllProcesses();
  std::multimap<pid_t, const ProcStat*> children;
  const ProcStat* top = nullptr;
  for (const auto& p : all) {
    children.emplace(p.ppid, &p);
    if (p.pid == root) top = &p;
  }
  std::vector<ProcStat> out;
  if (!top) return out;
  std::vector<const ProcStat*> stack = {top};
  // Bounded by the number of processes on the machine: each is visited once.
  while (!stack.empty() && out.size() < all.size()) {
    const ProcStat* p = stack.back();
    stack.pop_back();
    out.push_back(*p);
    auto [b, e] = children.equal_range(p->pid);
    for (auto it = b; it != e; ++it) stack.push_back(it->second);
  }
  return out;
}

std::once_flag root_warning;
std::once_flag subreaper;

}  // namespace

Result<std::string> FindChromium(const std::string& configured) {
  if (!configured.empty()) {
    if (Executable(configured)) return configured;
    return NotFound("browser.executable '" + configured + "' is not an executable file");
  }
  if (Executable("/usr/lib/chromium/chromium")) return std::string("/usr/lib/chromium/chromium");
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser"}) {
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      std::string dir = p.substr(start, end - start);
      if (!dir.empty() && Executable(dir + "/" + name)) return dir + "/" + name;
      start = end + 1;
    }
  }
  return NotFound("no Chromium found (/usr/lib/chromium/chromium, chromium or chromium-browser on PATH)");
}

std::vector<std::string> ChromiumArgs(const std::string& executable, const std::string& user_data_dir,
                                      int sinkhole_port, const BrowserOptions& o, bool no_sandbox) {
  int64_t heap_mb = std::max<int64_t>(64, o.memory_bytes / 2 / (1 << 20));
  std::vector<std::string> a = {
      executable,
      "--headless=new",
      "--remote-debugging-pipe",
      "--user-data-dir=" + user_data_dir,
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-extensions",
      "--disable-breakpad",
      "--disable-domain-reliability",
      "--disable-client-side-phishing-detection",
      "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,"
      "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions",
      "--no-pings",
      "--mute-audio",
      "--hide-scrollbars",
      "--deny-permission-prompts",
      "--disable-dev-shm-usage",
      "--password-store=basic",
      "--use-mock-keychain",
      // The second line of defence: anything Chromium's own network stack
      // would send goes to our sinkhole, loopback included, and no name
      // resolves. Fulfilled requests never reach either.
      "--proxy-server=http://127.0.0.1:" + std::to_string(sinkhole_port),
      "--proxy-bypass-list=<-loopback>",
      "--host-resolver-rules=MAP * ~NOTFOUND",
      "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
      "--js-flags=--max-old-space-size=" + std::to_string(heap_mb),
  };
  if (no_sandbox) a.push_back("--no-sandbox");
  a.push_back("about:blank");
  return a;
}

Result<std::unique_ptr<Browser>> Browser::Launch(const std::string& executable, const BrowserOptions& o) {
  std::unique_ptr<Browser> b(new Browser());
  // ---- the profile folder, the sinkhole, the pipe ----
  std::string tmpl = (std::getenv("TMPDIR") && *std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : "/tmp") +
                     "/dragnet-chromium-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return IoError("browser: cannot make a profile folder under " + tmpl);
  b->profile_dir_ = buf.data();

  b->sinkhole_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (b->sinkhole_ < 0 || bind(b->sinkhole_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      listen(b->sinkhole_, 64) != 0 || getsockname(b->sinkhole_, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    return IoError("browser: cannot open the sinkhole socket");
  }
  int sinkhole_port = ntohs(sa.sin_port);

  int in[2], out[2];  // in: we write, Chromium reads (its fd 3); out: the reverse (its fd 4)
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) return IoError("browser: socketpair failed");
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, out) != 0) {
    close(in[0]);
    close(in[1]);
    return IoError("browser: socketpair failed");
  }
  b->wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

  // Chromium's helper processes outlive a SIGKILLed browser for a moment;
  // as their subreaper we can reap them (an init that does not reap, as in
  // some containers, would otherwise collect zombies for ever).
  std::call_once(subreaper, [] { prctl(PR_SET_CHILD_SUBREAPER, 1); });
  bool root = geteuid() == 0;
  if (root) {
    std::call_once(root_warning, [] {
      spdlog::warn("browser: running as root, so Chromium runs with --no-sandbox; run Dragnet as an unprivileged user (the systemd unit does) to keep Chromium's sandbox");
    });
  }
  std::vector<std::string> args = ChromiumArgs(executable, b->profile_dir_, sinkhole_port, o, root);
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  // Chromium's own log, for diagnosis only (docs/BROWSER.md).
  const char* log_path = std::getenv("DRAGNET_CHROMIUM_LOG");
  int log_fd = log_path && *log_path ? open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;

  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {in[0], in[1], out[0], out[1], devnull, log_fd}) {
      if (fd >= 0) close(fd);
    }
    return IoError("browser: fork failed");
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int r = dup(in[1]);  // lifted above 4 first, so dup2 onto 3/4 cannot clobber them
    int w = dup(out[1]);
    if (r < 0 || w < 0 || dup2(r, 3) < 0 || dup2(w, 4) < 0) _exit(127);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    if (log_fd >= 0) dup2(log_fd, 2);
    for (int fd = 5; fd < 1024; ++fd) close(fd);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in[1]);
  close(out[1]);
  if (devnull >= 0) close(devnull);
  if (log_fd >= 0) close(log_fd);
  b->pid_ = pid;
  b->to_browser_ = in[0];
  b->from_browser_ = out[0];
  fcntl(b->to_browser_, F_SETFL, fcntl(b->to_browser_, F_GETFL) | O_NONBLOCK);
  fcntl(b->from_browser_, F_SETFL, fcntl(b->from_browser_, F_GETFL) | O_NONBLOCK);
  b->io_ = std::thread([p = b.get()] { p->IoLoop(); });

  // ---- first contact ----
  std::mutex mu;
  std::condition_variable cv;
  std::string reply;
  bool closed = false;
  int id = b->next_id_.load();
  b->SetSink([&](EventKind k, std::string m) {
    std::lock_guard<std::mutex> lock(mu);
    if (k == EventKind::kClosed) closed = true;
    if (k == EventKind::kMessage && m.find("\"id\":" + std::to_string(id) + ",") != std::string::npos) reply = std::move(m);
    cv.notify_all();
  });
  b->Send("Browser.getVersion", nlohmann::json::object());
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::milliseconds(kLaunchTimeoutMs), [&] { return closed || !reply.empty(); });
  }
  b->SetSink(nullptr);
  if (reply.empty()) {
    b->Kill();
    return Unavailable(std::string("browser: ") + executable +
                       (closed ? " exited before answering on the DevTools pipe"
                               : " did not answer on the DevTools pipe in time"));
  }
  auto j = nlohmann::json::parse(reply, nullptr, false);
  if (!j.is_discarded() && j.contains("result")) b->version_ = j["result"].value("product", "");
  return b;
}

Browser::~Browser() { Kill(); }

int Browser::Send(const std::string& method, nlohmann::json params, const std::string& session) {
  int id = next_id_.fetch_add(1);
  nlohmann::json m = {{"id", id}, {"method", method}, {"params", std::move(params)}};
  if (!session.empty()) m["sessionId"] = session;
  std::string text = DumpJson(m);
  text.push_back('\0');
  {
    std::lock_guard<std::mutex> lock(out_mu_);
    out_ += text;
  }
  uint64_t one = 1;
  ssize_t w = write(wake_, &one, sizeof one);
  (void)w;
  return id;
}

void Browser::SetSink(Sink sink) {
  std::lock_guard<std::mutex> lock(sink_mu_);
  sink_ = std::move(sink);
}

void Browser::Deliver(EventKind kind, std::string message) {
  std::lock_guard<std::mutex> lock(sink_mu_);
  if (sink_) sink_(kind, std::move(message));
}

void Browser::IoLoop() {
  NulFramer framer(kMaxMessageBytes);
  std::vector<std::string> messages;
  size_t out_off = 0;  // bytes of out_ already written
  bool reading = true;
  int64_t next_tick = NowMs() + kTickMs;
  auto close_pipe = [&] {
    reading = false;
    if (!closed_.exchange(true)) Deliver(EventKind::kClosed, "");
  };
  // Ends when Kill() sets stop_; every wait is bounded by the tick.
  while (!stop_.load()) {
    bool want_write = false;
    {
      std::lock_guard<std::mutex> lock(out_mu_);
      want_write = out_off < out_.size() && !closed_.load();
      if (closed_.load()) {
        out_.clear();
        out_off = 0;
      }
    }
    pollfd fds[4] = {{wake_, POLLIN, 0}, {sinkhole_, POLLIN, 0},
                     {reading ? from_browser_ : -1, POLLIN, 0},
                     {want_write ? to_browser_ : -1, POLLOUT, 0}};
    int wait = static_cast<int>(std::max<int64_t>(0, next_tick - NowMs()));
    int n = poll(fds, 4, wait);
    if (n < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      uint64_t v;
      while (read(wake_, &v, sizeof v) > 0) {
      }
    }
    if (fds[1].revents & POLLIN) {
      // Bounded by the listen queue: accept until it is empty.
      for (int i = 0; i < 1024; ++i) {
        int c = accept4(sinkhole_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) break;
        close(c);
        int n = leaked_.fetch_add(1) + 1;
        // Rate-limited: a page can open thousands of WebSockets.
        if (n == 1 || n == 10 || n == 100 || n % 1000 == 0) {
          spdlog::warn("browser: {} connection(s) escaped interception and reached the sinkhole proxy (closed unanswered)", n);
        }
      }
    }
    if (reading && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      char buf[64 << 10];
      // Bounded: at most 4 MiB per round, so a browser that never stops
      // talking cannot starve our writes and ticks.
      for (int round = 0; round < 64; ++round) {
        ssize_t r = read(from_browser_, buf, sizeof buf);
        if (r > 0) {
          messages.clear();
          bool ok = framer.Append(std::string_view(buf, static_cast<size_t>(r)), messages);
          for (auto& m : messages) Deliver(EventKind::kMessage, std::move(m));
          if (!ok) {
            spdlog::warn("browser: a DevTools message exceeded {} bytes (kMaxMessageBytes); the browser is dropped", kMaxMessageBytes);
            close_pipe();
            break;
          }
          continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
        close_pipe();
        break;
      }
    }
    if (want_write && (fds[3].revents & (POLLOUT | POLLHUP | POLLERR))) {
      std::lock_guard<std::mutex> lock(out_mu_);
      // Bounded: stops when the socket buffer is full or out_ is written.
      while (out_off < out_.size()) {
        ssize_t w = send(to_browser_, out_.data() + out_off, out_.size() - out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
          out_off += static_cast<size_t>(w);
          continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) break;
        closed_.store(true);
        break;
      }
      if (out_off == out_.size()) {
        out_.clear();
        out_off = 0;
      } else if (out_off > (8u << 20)) {
        out_.erase(0, out_off);
        out_off = 0;
      }
      if (closed_.load() && reading) {
        reading = false;
        Deliver(EventKind::kClosed, "");
      }
    }
    if (NowMs() >= next_tick) {
      next_tick = NowMs() + kTickMs;
      Deliver(EventKind::kTick, "");
    }
  }
}

std::vector<pid_t> Browser::TreePids() const {
  std::vector<pid_t> out;
  if (pid_ <= 0 || reaped_) return out;
  for (const auto& p : Tree(pid_)) out.push_back(p.pid);
  return out;
}

int64_t Browser::TreeRss() const {
  if (pid_ <= 0 || reaped_) return 0;
  // Proportional set size: Chromium's processes share most of their code
  // and much of their memory, so summing RSS would count the binary once
  // per process (~1 GB for an idle browser). RSS when PSS is unavailable.
  int64_t bytes = 0;
  for (const auto& p : Tree(pid_)) {
    std::ifstream f("/proc/" + std::to_string(p.pid) + "/smaps_rollup");
    std::string key;
    int64_t kb = -1;
    // Bounded: smaps_rollup has ~20 lines.
    for (int i = 0; i < 64 && f >> key; ++i) {
      if (key == "Pss:") {
        f >> kb;
        break;
      }
      f.ignore(4096, '\n');
    }
    bytes += kb >= 0 ? kb * 1024 : p.rss_pages * sysconf(_SC_PAGESIZE);
  }
  return bytes;
}

void Browser::Kill() {
  if (pid_ > 0 && !reaped_) {
    std::vector<pid_t> tree = TreePids();
    kill(-pid_, SIGKILL);
    for (pid_t p : tree) kill(p, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    // The helpers, now ours (subreaper), SIGKILLed: reaped as they go,
    // for at most ~2 s (a process in uninterruptible sleep may take longer;
    // it is left to init).
    for (int round = 0; round < 200; ++round) {
      bool left = false;
      for (pid_t p : tree) {
        if (p == pid_) continue;
        pid_t r = waitpid(p, &status, WNOHANG);
        if (r == 0) left = true;
      }
      if (!left) break;
      usleep(10'000);
    }
  }
  if (io_.joinable()) {
    stop_.store(true);
    uint64_t one = 1;
    ssize_t w = write(wake_, &one, sizeof one);
    (void)w;
    io_.join();
  }
  closed_.store(true);
  for (int* fd : {&to_browser_, &from_browser_, &sinkhole_, &wake_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
  if (!profile_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(profile_dir_, ec);
    profile_dir_.clear();
  }
}

}  // namespace dragnet::crawler::browser
