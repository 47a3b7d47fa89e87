// Signal handling: SIGINT and SIGTERM are taken by one watcher thread (blocked everywhere
// else), so plugins are asked to stop from a normal thread instead of a signal handler.
#pragma once

#include <functional>
#include <thread>

namespace apflow::app {

// Call first in main(), before any thread starts, so every thread inherits the blocked mask.
void block_stop_signals();

// Watches for SIGINT and SIGTERM while it lives. On a signal it runs `on_stop` (once); with no
// handler, or on a second signal, the process exits with 128 + signal number. Destroying it
// ends and joins the watcher thread, so `on_stop` never runs after what it stops is gone.
class StopSignalWatcher {
 public:
  explicit StopSignalWatcher(std::function<void()> on_stop);
  ~StopSignalWatcher();
  StopSignalWatcher(const StopSignalWatcher&) = delete;
  StopSignalWatcher& operator=(const StopSignalWatcher&) = delete;

 private:
  void watch(std::function<void()> on_stop) const;

  int signals_ = -1;  // signalfd of the stop signals
  int wake_ = -1;     // eventfd: written once to end the watch
  std::thread thread_;
};

}  // namespace apflow::app
