// Threads that touched a dlopen'd library's thread-local are still running when the process
// exits, as a plugin's threads may be. GCC 12's sanitizer runtime records their dynamic TLS
// blocks with a garbage range, and LeakSanitizer's tracer faults scanning it at exit: this
// process then ends in "LeakSanitizer has encountered a fatal error" although main returned 0.
// Exit status 0 means the build's sanitizer defaults (cmake/sanitizer_options.c) hold.
#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace {

std::atomic<int> touched{0};

}  // namespace

int main() {
  void* library = dlopen(TLS_PROBE, RTLD_NOW);
  if (library == nullptr) {
    std::fprintf(stderr, "cannot load %s: %s\n", TLS_PROBE, dlerror());
    return 2;
  }
  auto* touch = reinterpret_cast<void (*)(void*)>(dlsym(library, "tls_probe_touch"));
  if (touch == nullptr) {
    std::fprintf(stderr, "no tls_probe_touch in %s\n", TLS_PROBE);
    return 2;
  }
  constexpr int kThreads = 8;
  for (int i = 0; i < kThreads; ++i) {
    // Detached on purpose: these threads must still be alive when the leak check runs.
    std::thread([touch] {
      touch(nullptr);
      ++touched;
      while (true) pause();
    }).detach();
  }
  for (int i = 0; i < 1000 && touched < kThreads; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::printf("%d threads holding dynamic TLS are alive at exit\n", touched.load());
  return touched == kThreads ? 0 : 3;
}
