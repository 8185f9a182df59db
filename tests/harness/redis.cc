#include "tests/harness/redis.h"

#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace dragnet::testing {

RedisServer::RedisServer(RedisServerOptions options) : options_(std::move(options)) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    try {
      Start();
      return;
    } catch (const std::runtime_error&) {
      if (attempt == 4) throw;
    }
  }
}

RedisServer::~RedisServer() { proc_.Stop(3000); }

void RedisServer::Start() {
  std::string conf;
  conf += "bind 127.0.0.1\n";
  conf += "port " + std::to_string(port_) + "\n";
  conf += "dir " + dir_.path() + "\n";
  conf += "appendonly yes\nappendfsync always\n";
  conf += "save \"\"\n";
  conf += "daemonize no\n";
  conf += "protected-mode yes\n";
  conf += "logfile " + dir_.File("redis.log") + "\n";
  conf += "pidfile " + dir_.File("redis.pid") + "\n";
  if (options_.unix_socket) conf += "unixsocket " + socket_path() + "\nunixsocketperm 700\n";
  if (!options_.requirepass.empty()) conf += "requirepass " + options_.requirepass + "\n";
  if (!options_.acl_user.empty()) {
    conf += "user " + options_.acl_user + " on >" + options_.acl_password + " ~* &* +@all\n";
  }
  WriteAll(dir_.File("redis.conf"), conf);
  proc_ = Process({"redis-server", dir_.File("redis.conf")}, dir_.File("stdout.log"));
  if (!WaitForPort(port_, 10000)) {
    proc_.Stop(1000);
    throw std::runtime_error("redis-server did not start: " + ReadAll(dir_.File("redis.log")) +
                             ReadAll(dir_.File("stdout.log")));
  }
  // Wait until the AOF is loaded (PING answers, not LOADING).
  for (int i = 0; i < 200; ++i) {
    try {
      if (Cli({"PING"}) == "PONG") return;
    } catch (const std::runtime_error&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("redis-server does not answer PING: " + ReadAll(dir_.File("redis.log")));
}

void RedisServer::Stop() { proc_.Stop(10000); }

void RedisServer::Kill() {
  proc_.Signal(SIGKILL);
  proc_.Wait(5000);
}

bool RedisServer::running() { return proc_.running(); }

std::string RedisServer::Url(int db) const {
  std::string cred;
  if (!options_.acl_user.empty()) cred = options_.acl_user + ":" + options_.acl_password + "@";
  else if (!options_.requirepass.empty()) cred = ":" + options_.requirepass + "@";
  return "redis://" + cred + "127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db);
}

std::string RedisServer::Cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port_)};
  std::map<std::string, std::string> env;
  if (!options_.acl_user.empty()) {
    argv.push_back("--user");
    argv.push_back(options_.acl_user);
    env["REDISCLI_AUTH"] = options_.acl_password;
  } else if (!options_.requirepass.empty()) {
    env["REDISCLI_AUTH"] = options_.requirepass;
  }
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = Run(argv, "", 10000, env);
  if (r.exit_code != 0) throw std::runtime_error("redis-cli failed: " + r.err);
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (out.rfind("Could not connect", 0) == 0 || out.rfind("LOADING", 0) == 0) {
    throw std::runtime_error(out);
  }
  return out;
}

}  // namespace dragnet::testing
