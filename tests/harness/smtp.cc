#include "tests/harness/smtp.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace dragnet::testing {

SmtpServer::SmtpServer() {
  maildir_ = dir_.File("maildir");
  port_ = FreePort();
  Start();
}

SmtpServer::~SmtpServer() { Stop(); }

void SmtpServer::Start() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    proc_ = Process({"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_), "-c",
                     "aiosmtpd.handlers.Mailbox", maildir_},
                    dir_.File("smtp.log"));
    if (WaitForPort(port_, 15000)) return;
    proc_.Stop(1000);
  }
  throw std::runtime_error("aiosmtpd did not start: " + ReadAll(dir_.File("smtp.log")));
}

void SmtpServer::Stop() {
  if (proc_.pid() > 0 && proc_.running()) proc_.Stop(3000);
}

std::vector<std::string> SmtpServer::Messages() const {
  std::vector<std::string> out;
  for (const char* sub : {"/new", "/cur"}) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(maildir_ + sub, ec)) {
      if (e.is_regular_file()) out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

WebhookReceiver::WebhookReceiver(const std::string& secret, const std::string& token, int fail_first) {
  std::string script = SourceDir() + "/tests/harness/webhook_receiver.py";
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreePort();
    proc_ = Process({"/usr/bin/python3", script, "--port", std::to_string(port_), "--secret", secret, "--token", token,
                     "--log", dir_.File("requests.jsonl"), "--fail-first", std::to_string(fail_first)},
                    dir_.File("webhook.log"));
    if (WaitForPort(port_, 15000)) return;
    proc_.Stop(1000);
  }
  throw std::runtime_error("webhook receiver did not start: " + ReadAll(dir_.File("webhook.log")));
}

WebhookReceiver::~WebhookReceiver() {
  if (proc_.pid() > 0 && proc_.running()) proc_.Stop(3000);
}

std::vector<std::string> WebhookReceiver::Requests() const {
  std::vector<std::string> out;
  std::ifstream in(dir_.File("requests.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace dragnet::testing
