#pragma once
// The lifecycle state machine and the re-check schedule: what one re-check
// outcome (monitor/signals.h) does to a case.
//
//   reported/escalated --down x confirm_down--> down      (taken_down_at = first down check of the streak)
//   reported/escalated --still up past give_up_after--> unresolved (no longer watched)
//   down --up--> reported (reopened: reported again, referencing the first report)
//   down --watched give_up_after past taken_down_at--> down, no longer watched
//   an unknown outcome changes no streak
//
// Schedule: the first re-check `interval` after the report; after each
// check that finds the site still up the interval grows by `backoff` up to
// `max_interval`; while a down streak runs the next check comes after
// `interval`, so a takedown is confirmed quickly; a down case is re-checked
// every `max_interval` so a comeback is seen. next_check_ms -1: not watched.
//
// Pure functions of their arguments (the clock is a parameter); thread-safe.

#include <cstdint>
#include <string>

#include "monitor/options.h"
#include "monitor/signals.h"
#include "reporters/store.h"

namespace dragnet::monitor {

// The interval after `up_streak` consecutive up checks:
// min(interval * backoff^up_streak, max_interval).
int64_t IntervalAfter(const MonitorOptions& o, int up_streak);

// When a watched case that was never scheduled (next_check_ms 0) is first
// re-checked: `interval` after it was reported (or after `now` for a down
// case, which has no report time to go by).
int64_t FirstCheckAt(const MonitorOptions& o, const reporters::CaseRecord& c, int64_t now);

struct Transition {
  reporters::CaseRecord after;   // the case with its lifecycle fields updated
  bool status_changed = false;
  std::string from, why;         // when status_changed: the old status and why it changed
  bool taken_down = false;       // confirmed down by this check
  bool reopened = false;         // came back after down: report it again
  bool gave_up = false;          // unresolved, or a down case no longer watched
};

// Applies one re-check outcome at `now`.
Transition ApplyCheck(const MonitorOptions& o, const reporters::CaseRecord& c, const CheckOutcome& out, int64_t now);

}  // namespace dragnet::monitor
