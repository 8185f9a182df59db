#include "core/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>

#include "core/fs.h"

namespace dragnet {
namespace {

TEST(WorkPool, RunsEveryTaskIncludingOnesSubmittedByTasks) {
  WorkPool pool(3);
  std::atomic<int> ran{0};
  for (int i = 0; i < 200; ++i) {
    pool.Submit([&] {
      ran++;
      pool.Submit([&] { ran += 1000; });
    });
  }
  pool.Wait();
  EXPECT_EQ(ran.load(), 200 * 1001);
}

TEST(WorkPool, UsesItsOwnThreads) {
  WorkPool pool(2);
  std::mutex mu;
  std::set<std::thread::id> seen;
  for (int i = 0; i < 50; ++i) {
    pool.Submit([&] {
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(std::this_thread::get_id());
    });
  }
  pool.Wait();
  EXPECT_EQ(seen.count(std::this_thread::get_id()), 0u);
  EXPECT_GE(seen.size(), 1u);
  EXPECT_LE(seen.size(), 2u);
}

TEST(WorkPool, ZeroThreadsRunsInlineBeforeSubmitReturns) {
  WorkPool pool(0);
  EXPECT_EQ(pool.threads(), 0);
  std::thread::id where;
  int value = 0;
  pool.Submit([&] {
    where = std::this_thread::get_id();
    value = 7;
  });
  EXPECT_EQ(value, 7);
  EXPECT_EQ(where, std::this_thread::get_id());
  pool.Wait();  // nothing to wait for; must not block
}

TEST(WorkPool, DestructorFinishesQueuedTasks) {
  std::atomic<int> ran{0};
  {
    WorkPool pool(1);
    for (int i = 0; i < 100; ++i) pool.Submit([&] { ran++; });
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(WorkPool, ResolveZeroMeansOnePerCore) {
  EXPECT_EQ(WorkPool::Resolve(3), 3);
  EXPECT_GE(WorkPool::Resolve(0), 1);
}

// Two users of one shared pool: a group waits for its own tasks only, even
// while the other group's task is still blocked.
TEST(TaskGroup, WaitsForItsOwnTasksNotTheWholePool) {
  WorkPool pool(2);
  std::mutex gate;
  std::unique_lock<std::mutex> closed(gate);
  std::atomic<bool> other_done{false};
  TaskGroup other(&pool);
  other.Submit([&] {
    std::lock_guard<std::mutex> wait_for_gate(gate);
    other_done = true;
  });
  std::atomic<int> mine{0};
  {
    TaskGroup group(&pool);
    EXPECT_TRUE(group.parallel());
    for (int i = 0; i < 100; ++i) group.Submit([&] { mine++; });
    group.Wait();
    EXPECT_EQ(mine.load(), 100);
  }  // the destructor waits too; nothing of `other` has run
  EXPECT_FALSE(other_done.load());
  closed.unlock();
  other.Wait();
  EXPECT_TRUE(other_done.load());
}

TEST(TaskGroup, RunsInlineWithoutAPoolOrWithZeroThreads) {
  WorkPool none(0);
  for (WorkPool* p : {static_cast<WorkPool*>(nullptr), &none}) {
    TaskGroup g(p);
    EXPECT_FALSE(g.parallel());
    std::thread::id where;
    g.Submit([&] { where = std::this_thread::get_id(); });
    EXPECT_EQ(where, std::this_thread::get_id());
    g.Wait();
  }
}

// Identical content-addressed blobs are written by several threads at once:
// every writer must succeed and the file must hold the whole content.
TEST(WriteFileAtomic, ConcurrentWritersOfOnePath) {
  std::string dir = ::testing::TempDir() + "/dragnet-atomic-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string path = dir + "/blob";
  std::string content(256 << 10, 'x');
  WorkPool pool(4);
  std::atomic<int> failures{0};
  for (int i = 0; i < 32; ++i) {
    pool.Submit([&] {
      if (!WriteFileAtomic(path, content).ok()) failures++;
    });
  }
  pool.Wait();
  EXPECT_EQ(failures.load(), 0);
  auto back = ReadFile(path, 1 << 20);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, content);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u) << "temporary files left behind";
  std::filesystem::remove_all(dir);
}

// New blobs are created complete in one step: one writer creates, every
// other concurrent writer of the same name is told it exists, the existing
// file is never touched, and no unnamed or temporary file is left behind.
TEST(CreateFileAtomic, OneCreatorManyWritersNothingLeftBehind) {
  std::string dir = ::testing::TempDir() + "/dragnet-create-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string path = dir + "/blob";
  std::string content(300 << 10, 'y');
  WorkPool pool(4);
  std::atomic<int> created{0}, existed{0}, failures{0};
  for (int i = 0; i < 32; ++i) {
    pool.Submit([&] {
      auto r = CreateFileAtomic(path, content);
      if (!r.ok()) failures++;
      else if (*r) created++;
      else existed++;
    });
  }
  pool.Wait();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(existed.load(), 31);
  auto back = ReadFile(path, 1 << 20);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, content);

  auto again = CreateFileAtomic(path, "other bytes");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(*ReadFile(path, 1 << 20), content);

  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u);
  auto missing = CreateFileAtomic(dir + "/no/such/folder/blob", "x");
  EXPECT_FALSE(missing.ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dragnet
