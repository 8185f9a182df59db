#include "monitor/options.h"

#include <re2/re2.h>

#include "core/config_section.h"
#include "core/options_table.h"

namespace dragnet::monitor {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
// Ticket patterns are compiled for every reply read: a handful is plenty.
constexpr size_t kMaxTicketPatterns = 32;

using O = MonitorOptions;

const OptionTable<O>& MonitorTable() {
  static const OptionTable<O> t = {
      Duration("interval", &O::interval_ms, 1000, 30 * kDayMs),
      Real("backoff", &O::backoff, 1.0, 10.0),
      Duration("max_interval", &O::max_interval_ms, 1000, 365 * kDayMs),
      Int("confirm_down", &O::confirm_down, 1, 100),
      Duration("give_up_after", &O::give_up_after_ms, kMinuteMs, 3650 * kDayMs),
      Int("depth", &O::depth, 0, 5),
      Int("max_pages", &O::max_pages, 1, 100),
      Int("max_checks_per_round", &O::max_checks_per_round, 1, 100'000),
      Duration("tick", &O::tick_ms, 100, kDayMs),
      Text("signatures", &O::signatures_file),
  };
  return t;
}

const OptionTable<O>& EscalationTable() {
  static const OptionTable<O> t = {
      Duration("after", &O::escalate_after_ms, 1000, 365 * kDayMs),
      Flag("enabled", &O::enabled),
  };
  return t;
}

const OptionTable<O>& InboxTable() {
  static const OptionTable<O> t = {
      Text("maildir", &O::maildir),
      Bytes("max_message_bytes", &O::max_message_bytes, 1 << 10, 1LL << 30),
      Int("max_messages_per_round", &O::max_messages_per_round, 1, 1'000'000),
      List("ticket_patterns", &O::ticket_patterns),
  };
  return t;
}

}  // namespace

Status ParseMonitorOptions(const toml::table* root, MonitorOptions& o) {
  ConfigSection m(root, "monitor");
  DRAGNET_RETURN_IF_ERROR(BindOptions(m, MonitorTable(), o));
  DRAGNET_RETURN_IF_ERROR(m.Finish());
  if (o.max_interval_ms < o.interval_ms) {
    return InvalidArgument("config key 'monitor.max_interval' must not be shorter than monitor.interval");
  }

  ConfigSection e(root, "escalation");
  DRAGNET_RETURN_IF_ERROR(BindOptions(e, EscalationTable(), o));
  e.Allow("after_by_kind");
  DRAGNET_RETURN_IF_ERROR(e.Finish());
  ConfigSection k(root, "escalation.after_by_kind");
  if (k.present()) {
    static const char* kKinds[] = {"registrar", "hosting", "cdn",      "platform", "registry",
                                   "cert",      "provider", "shortener", "upstream"};
    for (const char* kind : kKinds) {
      int64_t ms = -1;
      DRAGNET_RETURN_IF_ERROR(k.GetDuration(kind, ms));
      if (ms < 0) continue;
      if (ms < 1000 || ms > 365 * kDayMs) {
        return OutOfRange("escalation.after_by_kind", kind, OptionKind::kDuration, 1000, 365 * kDayMs, ms);
      }
      o.after_by_kind_ms[kind] = ms;
    }
    DRAGNET_RETURN_IF_ERROR(k.Finish());
  }

  ConfigSection i(root, "inbox");
  DRAGNET_RETURN_IF_ERROR(BindOptions(i, InboxTable(), o));
  DRAGNET_RETURN_IF_ERROR(i.Finish());
  if (o.ticket_patterns.size() > kMaxTicketPatterns) {
    return InvalidArgument("config key 'inbox.ticket_patterns' takes at most " + std::to_string(kMaxTicketPatterns) +
                           " patterns");
  }
  for (const auto& p : o.ticket_patterns) {
    RE2 re(p, RE2::Quiet);
    if (!re.ok()) return InvalidArgument("config key 'inbox.ticket_patterns': '" + p + "': " + re.error());
    if (re.NumberOfCapturingGroups() < 1) {
      return InvalidArgument("config key 'inbox.ticket_patterns': '" + p + "' needs a capture group (the ticket)");
    }
  }
  return Status::Ok();
}

}  // namespace dragnet::monitor
