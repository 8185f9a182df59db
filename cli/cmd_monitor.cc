// dragnet monitor [--once] [--force] [--case CASE] [--no-inbox] [--json]
// Follows every reported case until the site is down (monitor/monitor.h):
// reads the abuse mailbox, re-checks what is due, records each observation,
// moves cases to down / unresolved, reopens sites that came back, sends
// follow-ups and escalations, and delivers what is due. Without --once it
// runs a round every [monitor] tick until SIGINT or SIGTERM.
#include <signal.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "app/lifecycle.h"
#include "cli/common.h"
#include "core/json.h"

namespace dragnet::cli {
namespace {

volatile sig_atomic_t g_monitor_stop = 0;
void OnMonitorSignal(int sig) { g_monitor_stop = sig; }

struct MonitorFlags {
  bool once = false, force = false, no_inbox = false, json = false;
  std::string case_id;
};

void PrintRound(const monitor::RoundSummary& s, bool json) {
  if (json) {
    std::cout << DumpJson(s.Json()) << std::endl;
    return;
  }
  for (const auto& l : s.lines) std::cout << l << "\n";
  std::cout << "monitor: " << s.checked << " checked (" << s.up << " up, " << s.down << " down, " << s.unknown
            << " unknown), " << s.taken_down << " taken down, " << s.reopened << " reopened, " << s.gave_up
            << " given up, " << s.follow_ups << " follow-up(s), " << s.escalations << " escalation(s), " << s.reroutes
            << " rerouted; inbox: " << s.mail_read << " read (" << s.acks << " acknowledgement(s), " << s.replies
            << (s.replies == 1 ? " reply, " : " replies, ") << s.bounces << " bounce(s), " << s.unrelated
            << " unrelated)" << std::endl;
}

void RegisterMonitor(CLI::App& root, Globals& g) {
  auto f = std::make_shared<MonitorFlags>();
  auto* cmd = root.add_subcommand("monitor", "Follow reported cases until the site is down: re-checks, replies, "
                                             "follow-ups and escalation");
  cmd->add_flag("--once", f->once, "One round, then exit");
  cmd->add_flag("--force", f->force, "Re-check every watched case now, whatever its schedule");
  cmd->add_option("--case", f->case_id, "Only this case (re-checked now)");
  cmd->add_flag("--no-inbox", f->no_inbox, "Do not read [inbox] maildir this time");
  cmd->add_flag("--json", f->json, "One JSON document per round");
  cmd->callback([f, &g] {
    auto cfg = LoadConfigOrReport(g, "monitor");
    if (!cfg) return;
    app::Lifecycle life(*cfg);
    Status st = life.Init();
    if (!st.ok()) {
      std::cerr << "dragnet monitor: " << st.message() << "\n";
      g.exit_code = ExitCodeFor(st);
      return;
    }
    monitor::RoundFlags rf;
    rf.force = f->force;
    rf.case_id = f->case_id;
    rf.inbox = !f->no_inbox;
    struct sigaction sa {};
    sa.sa_handler = OnMonitorSignal;
    sigemptyset(&sa.sa_mask);
    if (!f->once) {
      sigaction(SIGINT, &sa, nullptr);
      sigaction(SIGTERM, &sa, nullptr);
    }
    while (true) {
      auto round = life.RunOnce(rf);
      if (!round.ok()) {
        std::cerr << "dragnet monitor: " << round.status().message() << "\n";
        g.exit_code = ExitCodeFor(round.status());
        return;
      }
      PrintRound(*round, f->json);
      if (f->once) break;
      rf.force = false;  // --force applies to the first round only
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(cfg->monitor.tick_ms);
      while (g_monitor_stop == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (g_monitor_stop != 0) break;
    }
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(monitor, 53, RegisterMonitor);

}  // namespace dragnet::cli
