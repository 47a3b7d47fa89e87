#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <system_error>
#include <thread>

namespace apflow::plugins::command {
namespace {

using Clock = std::chrono::steady_clock;
// How long a killed group gets to release its pipes before we stop reading them: a child that
// left the group (setsid) could hold them open for ever.
constexpr auto kDrainAfterKill = std::chrono::milliseconds(500);

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  // O_CLOEXEC: another executor spawning at the same time must not inherit our ends.
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  read_end.fd = fds[0];
  write_end.fd = fds[1];
}

class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attr_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  void wire(int in, int out, int err, const std::string& cwd) {
    posix_spawn_file_actions_adddup2(&actions_, in, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions_, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions_, err, STDERR_FILENO);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions_, cwd.c_str());
    // Own process group (so a timeout can kill everything the program started), no blocked
    // signals, and default dispositions: the host ignores SIGPIPE, which exec would inherit.
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attr_, &none);
    posix_spawnattr_setsigdefault(&attr_, &defaults);
    posix_spawnattr_setpgroup(&attr_, 0);
    posix_spawnattr_setflags(
        &attr_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }

  pid_t spawn(const ChildSpec& spec) {
    std::vector<char*> argv, envp;
    for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc =
        posix_spawn(&pid, spec.program.c_str(), &actions_, &attr_, argv.data(), envp.data());
    if (rc != 0) throw std::system_error(rc, std::generic_category(), spec.program);
    return pid;
  }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
};

// Reads what is available from fd into out (up to the limit; the rest is dropped).
// Returns false at end of file.
bool read_some(int fd, std::string& out, bool& truncated, size_t limit) {
  std::array<char, 16384> buffer;
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n == 0) return false;
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  const size_t room = limit > out.size() ? limit - out.size() : 0;
  const size_t take = std::min(room, static_cast<size_t>(n));
  out.append(buffer.data(), take);
  if (take < static_cast<size_t>(n)) truncated = true;
  return true;
}

// True once the child has exited; leaves it unreaped so its group id stays ours to kill.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

void reap(pid_t pid, ChildOutcome& outcome) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    outcome.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    outcome.signal = WTERMSIG(status);
    outcome.exit_code = 128 + outcome.signal;
  }
}

void write_stdin(Fd& in, const std::string& text) {
  // A program that exits without reading raises SIGPIPE on this thread: block it so the write
  // fails with EPIPE instead of ending the host.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(in.fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the program closed its stdin: it did not want the rest
    done += static_cast<size_t>(n);
  }
  in.reset();
}

}  // namespace

ChildOutcome run_child(const ChildSpec& spec, const std::function<bool()>& cancelled) {
  Fd in_r, in_w, out_r, out_w, err_r, err_w;
  make_pipe(in_r, in_w);
  make_pipe(out_r, out_w);
  make_pipe(err_r, err_w);
  SpawnSetup setup;
  setup.wire(in_r.fd, out_w.fd, err_w.fd, spec.cwd);
  const auto start = Clock::now();
  const pid_t pid = setup.spawn(spec);
  in_r.reset();
  out_w.reset();
  err_w.reset();
  // stdin is fed from its own thread so a program that writes before it reads cannot deadlock.
  std::thread feeder;
  if (spec.stdin_text.empty()) {
    in_w.reset();
  } else {
    feeder = std::thread(write_stdin, std::ref(in_w), std::cref(spec.stdin_text));
  }

  ChildOutcome outcome;
  const auto deadline = start + spec.timeout;
  std::optional<Clock::time_point> killed_at;
  bool out_open = true, err_open = true;
  while (true) {
    if (!killed_at) {
      outcome.timed_out = Clock::now() >= deadline;
      outcome.cancelled = !outcome.timed_out && cancelled();
      // When the program itself has ended, anything it left behind in its group goes too.
      if (outcome.timed_out || outcome.cancelled || has_exited(pid)) {
        ::kill(-pid, SIGKILL);
        killed_at = Clock::now();
      }
    }
    // Closed pipes alone do not end the wait: the program may still be running.
    if (!out_open && !err_open && killed_at) break;
    if (killed_at && Clock::now() - *killed_at > kDrainAfterKill) break;
    std::array<pollfd, 2> fds{pollfd{out_open ? out_r.fd : -1, POLLIN, 0},
                              pollfd{err_open ? err_r.fd : -1, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) {
      out_open = read_some(out_r.fd, outcome.out, outcome.out_truncated, spec.max_output_bytes);
    }
    if (fds[1].revents != 0) {
      err_open = read_some(err_r.fd, outcome.err, outcome.err_truncated, spec.max_output_bytes);
    }
  }
  ::kill(-pid, SIGKILL);  // the group may still hold members when both pipes closed early
  reap(pid, outcome);
  if (feeder.joinable()) feeder.join();
  outcome.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return outcome;
}

}  // namespace apflow::plugins::command
