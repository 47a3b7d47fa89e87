// DeadlineWatcher: a deadline fires whether the watcher is idle, asleep until a later deadline,
// or running callbacks; disarmed ones never fire. The watchers here would wake by themselves only
// after an hour, so a deadline that fires at all was woken for. Waits are bounded.
#include "core/deadline_watcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace apflow {
namespace {

using namespace std::chrono_literals;
using Clock = DeadlineWatcher::Clock;
constexpr auto kNeverIdleWake = std::chrono::hours(1);

// Arms a deadline `after` from now and returns when it fired, or nothing within 5 s.
std::future<Clock::time_point> arm_in(DeadlineWatcher& watcher, Clock::duration after) {
  auto fired = std::make_shared<std::promise<Clock::time_point>>();
  auto future = fired->get_future();
  watcher.arm(Clock::now() + after, [fired] { fired->set_value(Clock::now()); });
  return future;
}

TEST(DeadlineWatcher, AShortDeadlineFiresOnTimeWhenTheWatcherIsIdle) {
  DeadlineWatcher watcher(kNeverIdleWake);
  std::this_thread::sleep_for(20ms);  // the thread is asleep, idle
  const auto armed = Clock::now();
  auto fired = arm_in(watcher, 30ms);
  ASSERT_EQ(fired.wait_for(5s), std::future_status::ready);
  EXPECT_GE(fired.get() - armed, 30ms);  // never early
}

TEST(DeadlineWatcher, AnEarlierDeadlineWakesAWatcherAsleepUntilALaterOne) {
  DeadlineWatcher watcher(kNeverIdleWake);
  auto late = arm_in(watcher, std::chrono::minutes(10));
  std::this_thread::sleep_for(20ms);
  auto early = arm_in(watcher, 20ms);
  EXPECT_EQ(early.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(late.wait_for(0ms), std::future_status::timeout);
}

TEST(DeadlineWatcher, ADeadlineArmedByACallbackFires) {
  DeadlineWatcher watcher(kNeverIdleWake);
  auto second = std::make_shared<std::promise<void>>();
  watcher.arm(Clock::now() + 10ms, [&watcher, second] {
    watcher.arm(Clock::now() + 10ms, [second] { second->set_value(); });
  });
  EXPECT_EQ(second->get_future().wait_for(5s), std::future_status::ready);
}

TEST(DeadlineWatcher, ADisarmedDeadlineNeverFires) {
  DeadlineWatcher watcher(kNeverIdleWake);
  std::atomic<bool> fired = false;
  const auto id = watcher.arm(Clock::now() + 30ms, [&fired] { fired = true; });
  watcher.disarm(id);
  auto marker = arm_in(watcher, 80ms);  // fires after the disarmed one would have
  ASSERT_EQ(marker.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(fired);
}

}  // namespace
}  // namespace apflow
