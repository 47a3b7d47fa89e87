#include "app/signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace apflow::app {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void watch_stop_signals(std::function<void()> on_stop) {
  std::thread([on_stop = std::move(on_stop)] {
    const sigset_t set = stop_signals();
    bool asked = false;
    while (true) {
      int signal_number = 0;
      if (sigwait(&set, &signal_number) != 0) continue;
      if (!on_stop || asked) _exit(128 + signal_number);
      asked = true;
      on_stop();
    }
  }).detach();
}

}  // namespace apflow::app
