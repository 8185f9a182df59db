#pragma once
// ReportService: the reporter stage. Turns each scanned seed into a case
// with a stable ID, applies the policy (auto-report, analyst review, no
// report), picks recipients with reasons (reporters/routing.h), records
// every decision in the ledger, batches a recipient's reports of one
// campaign into one message, writes each message durably to the outbox
// (<outbox>/<id>.eml or .webhook.json, plus <id>.json) before any delivery,
// and — when delivery is enabled — sends through SMTP or webhooks with a
// freshness gate, retries with exponential backoff and jitter, a
// per-recipient rate limit that holds (never drops), and the ledger's
// never-twice rule (same URL, same recipient, within rereport_after).
//
// Delivery is at-least-once with a window of one SMTP transaction: a crash
// after the server accepted a message but before the ledger recorded it
// re-sends that one message after restart; everything else is exactly once.
//
// Webhooks (and the probe, in production) go through the HttpClient it is
// given (core/http.h: the crawler's GuardedHttpClient, so the SSRF guard and
// the fetcher's limits apply); SMTP goes to the configured relay only.
//
// Ownership: owns its stores; borrows the probe, the HTTP client and the
// clock (must outlive it). Threads: one thread at a time per instance; several processes may
// share one state_dir (SQLite locking).

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/http.h"
#include "core/model.h"
#include "core/status.h"
#include "reporters/contacts.h"
#include "reporters/liveness.h"
#include "reporters/options.h"
#include "reporters/render.h"
#include "reporters/routing.h"
#include "reporters/store.h"
#include "reporters/timeline.h"

namespace dragnet::reporters {

// One row of `dragnet reports list`.
struct ReportView {
  ReportItem item;
  std::string message_status;  // of the carrying message, when composed
  std::string outbox_file;
  int attempts = 0;
  std::string last_error;
  int64_t next_attempt_ms = 0;
};

// What `dragnet report CASE --dry-run` prints.
struct PlannedMessage {
  Recipient recipient;
  std::string status;          // what would happen: send, suppressed, skipped
  std::string note;            // why, when not "send"
  RenderedMessage rendered;    // empty unless status == send
};

struct DryRunPlan {
  CaseRecord c;
  RoutePlan route;
  std::vector<PlannedMessage> messages;
};

class ReportService {
 public:
  // `http` null: webhook deliveries fail (recorded per message), SMTP works.
  ReportService(ReporterOptions options, std::string state_dir, LivenessProbe* probe, HttpClient* http,
                const Clock* clock = &SystemClock::Instance());
  ~ReportService();

  // Opens SQLite state (<state_dir>/reporter.db), loads contacts.toml and
  // the templates, creates the outbox. Errors name the file.
  Status Init();

  // The pipeline's entry: upserts the case, applies the policy, files
  // reports, fills result.case_id and result.reports, then closes due
  // batches and (when delivery is enabled) delivers what is due.
  void Process(SeedResult& result);

  // Closes every open batch and delivers everything due now (retries
  // included). Stops at the first store error; delivery errors are per
  // message and recorded, not returned.
  Status Flush();
  // Like Flush, but closes only batches whose window has passed (daemon tick).
  Status Tick();

  // --send: deliver even when delivery.enabled is false.
  void set_delivery_enabled(bool on) { options_.enabled = on; }
  bool delivery_enabled() const { return options_.enabled; }

  // ---- what the CLI needs ----
  Result<std::vector<CaseRecord>> ListCases(const CaseQuery& q);
  Result<CaseRecord> GetCase(const std::string& case_id);
  // review -> reported (reports filed and batches closed); kInvalidArgument
  // when the case is not waiting for review. `decided_by` names who decided
  // (the console's user name; the CLI passes "analyst"); it is kept in the
  // case and shown by --json.
  Result<std::vector<ReportSummary>> Approve(const std::string& case_id,
                                             const std::string& decided_by = "analyst");
  // -> rejected. What the case had filed and not yet sent (pending, queued)
  // is withdrawn: its items become `withdrawn`, and a queued message left
  // with nothing else to carry is never sent (status `withdrawn`).
  Status Reject(const std::string& case_id, const std::string& reason,
                const std::string& decided_by = "analyst");
  // Files reports for a case now, whatever its status (an analyst's call).
  // A case whose standing score is below policy.review_threshold (nothing
  // credible to report) is refused (kRefused) unless `force_reason` says
  // why it is reported anyway; the reason is kept in the case.
  Result<std::vector<ReportSummary>> ReportNow(const std::string& case_id,
                                               const std::string& decided_by = "analyst",
                                               const std::string& force_reason = "");
  // Turns delivery on (--send) when [reporter] names a real sender
  // (CheckSenderIdentity); else the error, and delivery stays as it was.
  Status EnableDelivery();
  // What would be sent to whom and why; writes nothing.
  Result<DryRunPlan> Plan(const std::string& case_id);
  // Newest first; `case_id` non-empty: that case's only.
  Result<std::vector<ReportView>> ListReports(bool failed_only, const std::string& case_id = "");

  // ---- lifecycle: the monitor's entry points (reporters/lifecycle_service.cc) ----
  // Appends a status change (from -> to, by whom, why) to the case's timeline.
  Status RecordStatus(const std::string& case_id, const std::string& from, const std::string& to,
                      const std::string& by, const std::string& why, int64_t at_ms);
  Status RecordEvent(TimelineEvent e);
  // Observations, reports filed and sent, replies and status changes; oldest first.
  Result<std::vector<TimelineEntry>> Timeline(const std::string& case_id);
  // Files one follow-up (reporters/followup.h) and composes it into the
  // outbox; what happened to it (queued, suppressed: why, skipped). Call
  // Flush() to deliver.
  ReportSummary FileFollowUp(const FollowUpRequest& f);
  const Contacts& contacts() const { return contacts_; }
  const Clock* clock() const { return clock_; }

  CaseStore* cases();
  Ledger* ledger();
  const ReporterOptions& options() const { return options_; }
  const std::string& outbox_dir() const { return outbox_dir_; }

 private:
  std::vector<ReportSummary> FileReports(const CaseRecord& c, const SeedResult& r);
  // Marks `rec` reported by `decided_by` for `why`, files and flushes.
  Result<std::vector<ReportSummary>> FileNow(CaseRecord rec, const std::string& decided_by, const std::string& why);
  Status CloseBatches(bool force);
  // Renders `items` (one recipient) into one outbox message, queued.
  Status ComposeBatch(const std::vector<ReportItem>& items, int64_t now);
  Status DeliverDue();
  Status DeliverOne(OutboxMessage m);
  Result<std::vector<RenderItem>> LoadRenderItems(const std::vector<ReportItem>& items);
  // The message a follow-up item follows, as its render context (followup).
  FollowUpContext LoadFollowUp(const ReportItem& item);
  // "" when `key` (mailto:...) may be used; else why not (a bounce marked it bad).
  std::string BadRoute(const std::string& key);
  Status WriteOutbox(const OutboxMessage& m, const RenderedMessage& r);
  int64_t Backoff(int attempts);

  ReporterOptions options_;
  std::string state_dir_;
  std::string outbox_dir_;
  LivenessProbe* probe_;
  HttpClient* http_;
  const Clock* clock_;
  std::unique_ptr<class SqliteState> state_;
  Contacts contacts_;
  std::optional<TemplateSet> templates_;
  std::mt19937_64 rng_;
  bool crash_after_outbox_ = false;  // test hook: DRAGNET_TEST_CRASH_AFTER_OUTBOX=1
};

}  // namespace dragnet::reporters
