#include "monitor/lifecycle.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"

namespace dragnet::monitor {

using reporters::CaseRecord;

int64_t IntervalAfter(const MonitorOptions& o, int up_streak) {
  double d = static_cast<double>(o.interval_ms);
  // Bounded loop: stops at max_interval, and up_streak is a count of checks.
  for (int i = 0; i < up_streak && d < static_cast<double>(o.max_interval_ms); ++i) d *= o.backoff;
  return std::min<int64_t>(static_cast<int64_t>(std::llround(d)), o.max_interval_ms);
}

int64_t FirstCheckAt(const MonitorOptions& o, const CaseRecord& c, int64_t now) {
  if (c.status == reporters::kCaseDown) return now;
  int64_t base = c.reported_ms > 0 ? c.reported_ms : now;
  return base + o.interval_ms;
}

Transition ApplyCheck(const MonitorOptions& o, const CaseRecord& c, const CheckOutcome& out, int64_t now) {
  Transition t;
  t.after = c;
  CaseRecord& a = t.after;
  a.checks += 1;
  a.updated_ms = now;
  auto set_status = [&](const char* to, const std::string& why) {
    t.status_changed = true;
    t.from = a.status;
    t.why = why;
    a.status = to;
    a.decided_by = "monitor";
    a.reason = why;
  };
  const bool watched_up = c.status == reporters::kCaseReported || c.status == reporters::kCaseEscalated;

  if (out.outcome == "down") {
    a.down_streak += 1;
    if (a.down_streak == 1) a.down_since_ms = now;
    a.up_streak = 0;
    if (watched_up && a.down_streak >= o.confirm_down) {
      const Signal* s = out.primary();
      a.taken_down_ms = a.down_since_ms;
      a.takedown_signal = s ? s->signal : "unknown";
      a.takedown_actor = s ? s->actor : "";
      set_status(reporters::kCaseDown, "down since " + FormatRfc3339(a.down_since_ms / 1000) + ", confirmed by " +
                                           std::to_string(a.down_streak) + " check(s) in a row: " +
                                           (s ? s->signal + " (" + s->actor + " acted): " + s->evidence : out.summary));
      t.taken_down = true;
      a.next_check_ms = now + o.max_interval_ms;
    } else if (c.status == reporters::kCaseDown) {
      a.next_check_ms = now + o.max_interval_ms;
    } else {
      a.next_check_ms = now + o.interval_ms;  // confirm the streak soon
    }
  } else if (out.outcome == "up") {
    a.up_streak += 1;
    a.down_streak = 0;
    a.down_since_ms = 0;
    if (c.status == reporters::kCaseDown) {
      set_status(reporters::kCaseReported, "came back after it was down since " +
                                               FormatRfc3339(c.taken_down_ms / 1000) + " (" + c.takedown_signal +
                                               "): " + out.summary);
      a.reopened += 1;
      a.taken_down_ms = 0;
      a.takedown_signal.clear();
      a.takedown_actor.clear();
      a.up_streak = 0;
      t.reopened = true;
      a.next_check_ms = now + o.interval_ms;
    } else {
      a.next_check_ms = now + IntervalAfter(o, a.up_streak);
    }
  } else {
    // unknown: no streak moves; try again at the base interval.
    a.next_check_ms = now + (c.status == reporters::kCaseDown ? o.max_interval_ms : o.interval_ms);
  }

  // ---- giving up ----
  if (a.status == reporters::kCaseReported || a.status == reporters::kCaseEscalated) {
    if (!t.reopened && a.down_streak == 0 && a.reported_ms > 0 && now - a.reported_ms >= o.give_up_after_ms) {
      set_status(reporters::kCaseUnresolved, "still up " + FormatDuration(now - a.reported_ms) +
                                                 " after the first report (monitor.give_up_after " +
                                                 FormatDuration(o.give_up_after_ms) + "): no longer watched");
      a.next_check_ms = -1;
      t.gave_up = true;
    }
  } else if (a.status == reporters::kCaseDown && !t.taken_down) {
    if (a.taken_down_ms > 0 && now - a.taken_down_ms >= o.give_up_after_ms) {
      a.next_check_ms = -1;  // stays down; no longer watched for a comeback
      t.gave_up = true;
    }
  }
  return t;
}

}  // namespace dragnet::monitor
