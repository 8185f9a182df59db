// libFuzzer target: the whole pipeline against a hostile HTTP response.
//
// A server on 127.0.0.1 (a thread of this process) answers every
// connection with the fuzz input as raw bytes: status line, headers and
// body are whatever the input holds (malformed, 8-bit, NUL, endless
// headers, bad chunking, bogus Content-Encoding, redirects to anywhere).
// dragnet's Pipeline then scans a seed pinned to that server, as
// `dragnet scan` does: fetch (decoding with its caps, redirect handling,
// TLS-less hops), evidence (blobs, the manifest), parse, extract, verdict,
// and the result's JSON. Any crash, sanitizer report, leak, exception or a
// result that is not valid UTF-8 JSON is a bug.
//
// Safety: every host name is pinned to 127.0.0.1 ("*:*:127.0.0.1"), and
// tests/fuzz/run.sh runs this target in a network namespace of its own
// (unshare -n) where only loopback exists, so an IP literal in a Location
// cannot reach anything either.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/config.h"
#include "app/pipeline.h"
#include "core/json.h"
#include "core/model_json.h"
#include "core/text.h"

namespace {

// The response every connection is sent: the current input.
std::mutex g_mu;
std::string g_response;  // GUARDED_BY(g_mu)

void Serve(int listener) {
  while (true) {
    int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) continue;
    // Read the request head (bounded: 64 KiB or 2 s), then answer.
    std::string head;
    char buf[4096];
    pollfd p{fd, POLLIN, 0};
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < (64u << 10) && poll(&p, 1, 2000) > 0) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      head.append(buf, static_cast<size_t>(n));
    }
    std::string out;
    {
      std::lock_guard<std::mutex> lock(g_mu);
      out = g_response;
    }
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fd);
  }
}

int StartServer() {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s, 64) != 0) std::abort();
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  std::thread(Serve, s).detach();
  return ntohs(a.sin_port);
}

struct Fixture {
  int port = 0;
  std::string state;
  std::unique_ptr<dragnet::app::Pipeline> pipeline;
};

Fixture& Get() {
  static Fixture* f = [] {
    auto* fx = new Fixture();
    fx->port = StartServer();
    // In memory when the machine has /dev/shm: the evidence store syncs
    // the file system before each manifest, which would set the pace.
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string tmpl_s = base + "/dragnet-pipeline-fuzz-XXXXXX";
    std::vector<char> tmpl(tmpl_s.begin(), tmpl_s.end());
    tmpl.push_back('\0');
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    fx->state = tmpl.data();
    std::string empty = fx->state + "/empty.toml";
    if (FILE* e = std::fopen(empty.c_str(), "w")) std::fclose(e);
    auto cfg = dragnet::app::LoadConfig(empty, [fx](dragnet::app::Config& c) {
      c.general.state_dir = fx->state;
      c.crawl.allow_private = true;
      c.crawl.resolve = {"*:*:127.0.0.1"};
      c.crawl.depth = 1;
      c.crawl.max_pages = 4;
      c.crawl.total_timeout_ms = 2000;
      c.crawl.connect_timeout_ms = 1000;
      c.crawl.low_speed_time_ms = 1000;
      c.crawl.site_timeout_ms = 4000;
      c.crawl.max_body_bytes = 256 << 10;
      c.crawl.max_decoded_bytes = 512 << 10;
      c.crawl.workers = 1;
      c.hosting.enabled = false;
      c.browser.enabled = "false";  // the fuzzed response is for the fetcher, not a browser
    });
    if (!cfg.ok()) {
      std::fprintf(stderr, "pipeline_fuzz: config: %s\n", cfg.status().message().c_str());
      std::abort();
    }
    fx->pipeline = std::make_unique<dragnet::app::Pipeline>(std::move(*cfg));
    auto st = fx->pipeline->Init();
    if (!st.ok()) {
      std::fprintf(stderr, "pipeline_fuzz: init: %s\n", st.message().c_str());
      std::abort();
    }
    return fx;
  }();
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& fx = Get();
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_response.assign(reinterpret_cast<const char*>(data), size);
  }
  dragnet::app::ScanFlags flags;
  flags.report = false;
  flags.locate = false;
  dragnet::SeedResult r =
      fx.pipeline->ScanOne("http://fuzz.test:" + std::to_string(fx.port) + "/start", flags);
  std::string line = dragnet::DumpJson(nlohmann::json(r));
  // The output contract: one valid UTF-8 JSON document that parses back.
  if (!dragnet::IsValidUtf8(line)) __builtin_trap();
  if (nlohmann::json::parse(line, nullptr, false).is_discarded()) __builtin_trap();
  for (const auto& e : r.errors) {
    if (e.rfind("internal:", 0) == 0) __builtin_trap();  // an exception escaped a stage
  }
  // Keep the evidence folder small over a long run (blobs are content-
  // addressed, manifests are one per scan).
  static int runs = 0;
  if (++runs % 512 == 0) std::filesystem::remove_all(fx.state + "/evidence/manifests");
  return 0;
}
