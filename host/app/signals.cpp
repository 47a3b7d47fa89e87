#include "app/signals.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <string>

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

StopSignalWatcher::StopSignalWatcher(std::function<void()> on_stop) {
  const sigset_t set = stop_signals();
  signals_ = signalfd(-1, &set, SFD_CLOEXEC);
  wake_ = eventfd(0, EFD_CLOEXEC);
  if (signals_ < 0 || wake_ < 0) {
    const int error = errno;
    if (signals_ >= 0) close(signals_);
    if (wake_ >= 0) close(wake_);
    throw std::runtime_error("cannot watch for stop signals: errno " + std::to_string(error));
  }
  thread_ = std::thread([this, on_stop = std::move(on_stop)] { watch(on_stop); });
}

StopSignalWatcher::~StopSignalWatcher() {
  const uint64_t one = 1;
  // Fails only when the counter would overflow, and then it is readable already.
  [[maybe_unused]] const ssize_t written = write(wake_, &one, sizeof one);
  thread_.join();
  close(signals_);
  close(wake_);
}

void StopSignalWatcher::watch(std::function<void()> on_stop) const {
  bool asked = false;
  while (true) {
    std::array<pollfd, 2> fds{pollfd{signals_, POLLIN, 0}, pollfd{wake_, POLLIN, 0}};
    if (poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
    if (fds[1].revents != 0) return;
    signalfd_siginfo info{};
    if (fds[0].revents == 0 || read(signals_, &info, sizeof info) != sizeof info) continue;
    const int signal_number = static_cast<int>(info.ssi_signo);
    if (!on_stop || asked) _exit(128 + signal_number);
    asked = true;
    on_stop();
  }
}

}  // namespace apflow::app
