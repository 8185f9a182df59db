// dragnet users add NAME --role viewer|analyst|admin --password-stdin
// dragnet users list [--json] | disable NAME | token NAME | passwd NAME --password-stdin
// The console's users (web/users.h, <state_dir>/web.db). Passwords are read
// from stdin only (never from the command line, where `ps` shows them);
// `token` prints a new API token on its last line, shown once.

#include <iostream>
#include <iterator>

#include "app/serve.h"
#include "cli/common.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/json.h"
#include "web/auth.h"
#include "web/users.h"

namespace dragnet::cli {
namespace {

struct UsersFlags {
  std::string name, role;
  bool password_stdin = false, json = false;
};

std::unique_ptr<web::UserStore> OpenUsers(Globals& g, const char* what) {
  auto cfg = LoadConfigOrReport(g, what);
  if (!cfg) return nullptr;
  Status st = MakeDirs(cfg->general.state_dir);
  auto s = st.ok() ? web::UserStore::Open(app::UserStorePath(*cfg)) : Result<std::unique_ptr<web::UserStore>>(st);
  if (!s.ok()) {
    std::cerr << "dragnet " << what << ": " << s.status().message() << "\n";
    g.exit_code = kExitFailure;
    return nullptr;
  }
  return std::move(s).value();
}

// The password from stdin: the first line, without its line ending.
Result<std::string> ReadPassword() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() < web::kMinPasswordBytes) {
    return InvalidArgument("password must be at least " + std::to_string(web::kMinPasswordBytes) + " characters");
  }
  if (line.size() > web::kMaxPasswordBytes) {
    return InvalidArgument("password longer than " + std::to_string(web::kMaxPasswordBytes) + " bytes");
  }
  return line;
}

void Fail(Globals& g, const char* what, const Status& st) {
  std::cerr << "dragnet " << what << ": " << st.message() << "\n";
  g.exit_code = ExitCodeFor(st);
}

void RegisterUsers(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("users", "Console and API users: add, list, disable, token, passwd");
  cmd->require_subcommand(1);
  auto f = std::make_shared<UsersFlags>();

  auto* add = cmd->add_subcommand("add", "Add a user (password read from stdin)");
  add->add_option("name", f->name, "User name (a-z 0-9 . _ -)")->required();
  add->add_option("--role", f->role, "viewer (read), analyst (decide, submit), admin (also the audit log)")
      ->required()
      ->check(CLI::IsMember({"viewer", "analyst", "admin"}));
  add->add_flag("--password-stdin", f->password_stdin, "Read the password from the first line of stdin")->required();
  add->callback([f, &g] {
    auto users = OpenUsers(g, "users add");
    if (!users) return;
    auto pw = ReadPassword();
    if (!pw.ok()) return Fail(g, "users add", pw.status());
    auto hash = web::HashPassword(*pw);
    if (!hash.ok()) return Fail(g, "users add", hash.status());
    Status st = users->Add(f->name, f->role, *hash);
    if (!st.ok()) return Fail(g, "users add", st);
    (void)users->Audit("cli", "user-add", f->name, f->role);
    std::cout << "added " << f->name << " (" << f->role << ")\n";
    g.exit_code = kExitOk;
  });

  auto* list = cmd->add_subcommand("list", "List users");
  list->add_flag("--json", f->json, "One JSON document per line");
  list->callback([f, &g] {
    auto users = OpenUsers(g, "users list");
    if (!users) return;
    auto all = users->List();
    if (!all.ok()) return Fail(g, "users list", all.status());
    for (const auto& u : *all) {
      if (f->json) {
        std::cout << DumpJson({{"name", u.name}, {"role", u.role}, {"disabled", u.disabled},
                               {"tokens", u.tokens}, {"created_at", FormatRfc3339Ms(u.created_ms)}})
                  << "\n";
      } else {
        std::cout << u.name << "  " << u.role << (u.disabled ? "  DISABLED" : "") << "  tokens=" << u.tokens
                  << "  (since " << FormatRfc3339(u.created_ms / 1000) << ")\n";
      }
    }
    g.exit_code = kExitOk;
  });

  auto* disable = cmd->add_subcommand("disable", "Disable a user: ends their sessions and revokes their tokens");
  disable->add_option("name", f->name, "User name")->required();
  disable->callback([f, &g] {
    auto users = OpenUsers(g, "users disable");
    if (!users) return;
    Status st = users->Disable(f->name);
    if (!st.ok()) return Fail(g, "users disable", st);
    (void)users->Audit("cli", "user-disable", f->name, "");
    std::cout << f->name << " disabled; sessions ended, tokens revoked\n";
    g.exit_code = kExitOk;
  });

  auto* token = cmd->add_subcommand("token", "Issue an API token (printed once, on the last line)");
  token->add_option("name", f->name, "User name")->required();
  token->callback([f, &g] {
    auto users = OpenUsers(g, "users token");
    if (!users) return;
    auto t = users->IssueToken(f->name);
    if (!t.ok()) return Fail(g, "users token", t.status());
    (void)users->Audit("cli", "token-issue", f->name, "");
    std::cout << "API token for " << f->name << " (shown once; send it as 'Authorization: Bearer TOKEN'):\n"
              << *t << "\n";
    g.exit_code = kExitOk;
  });

  auto* passwd = cmd->add_subcommand("passwd", "Set a user's password (read from stdin)");
  passwd->add_option("name", f->name, "User name")->required();
  passwd->add_flag("--password-stdin", f->password_stdin, "Read the password from the first line of stdin")->required();
  passwd->callback([f, &g] {
    auto users = OpenUsers(g, "users passwd");
    if (!users) return;
    auto pw = ReadPassword();
    if (!pw.ok()) return Fail(g, "users passwd", pw.status());
    auto hash = web::HashPassword(*pw);
    if (!hash.ok()) return Fail(g, "users passwd", hash.status());
    Status st = users->SetPassword(f->name, *hash);
    if (!st.ok()) return Fail(g, "users passwd", st);
    (void)users->Audit("cli", "user-passwd", f->name, "");
    std::cout << "password of " << f->name << " set\n";
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(users, 56, RegisterUsers);

}  // namespace dragnet::cli
