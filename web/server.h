#pragma once
// WebServer: the analyst console and JSON API (`dragnet serve`).
//
// Server-rendered HTML (web/templates/*.mustache, escaping on by default)
// that works without JavaScript, behind a strict Content-Security-Policy;
// captured HTML is never rendered (screenshots are shown, captures download
// as text/plain attachments). Cookie sessions for the pages (HttpOnly,
// SameSite=Strict, Secure when [web] secure_cookies), a CSRF token in every
// form (a POST without it answers 403), login rate limit; Bearer API tokens
// for /api/v1/ (docs/api.md) and TAXII 2.1 at /taxii2/ (web/taxii.h),
// which never accept cookies.
//
// Ownership: borrows the ReportService, the UserStore, the campaign index
// and the submit function (all must outlive the server). Threads:
// cpp-httplib serves requests on a pool of [web] threads; every call into
// the service, the store or the index is serialised by one mutex inside the
// server (all are one-thread-at-a-time). Start() binds and returns; Wait()
// blocks until Stop() (any thread).

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "intel/index.h"
#include "reporters/service.h"
#include "web/auth.h"
#include "web/options.h"
#include "web/users.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace dragnet::web {

// Queues one URL for crawling on behalf of `user`; returns the job ID.
// kInvalidArgument / kRefused for a URL the queue will not take.
using SubmitFn = std::function<Result<std::string>(const std::string& url, const std::string& user)>;

struct WebDeps {
  reporters::ReportService* service = nullptr;
  UserStore* users = nullptr;
  SubmitFn submit;             // empty: /submit explains that no queue is configured
  // The campaign index (intel/): /campaigns, the campaign filter and the
  // normalised search of /cases, TAXII 2.1 at /taxii2/. nullptr: those
  // pages say campaigns are off and TAXII serves an empty collection.
  intel::CampaignIndex* campaigns = nullptr;
  std::string producer = "Dragnet";  // the STIX identity named as creator ([reporter] org)
};

class WebServer {
 public:
  WebServer(WebOptions options, WebDeps deps, const Clock* clock = &SystemClock::Instance());
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Loads the templates and static files, binds [web] listen (port 0: any
  // free port) and starts serving on a background thread.
  Status Start();
  int port() const { return port_; }
  // Blocks until Stop().
  void Wait();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace dragnet::web
