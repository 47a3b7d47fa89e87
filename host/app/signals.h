// Signal handling: SIGINT and SIGTERM are taken by one watcher thread (blocked everywhere
// else), so plugins are asked to stop from a normal thread instead of a signal handler.
#pragma once

#include <functional>

namespace apflow::app {

// Call first in main(), before any thread starts, so every thread inherits the blocked mask.
void block_stop_signals();

// Starts the watcher. On a signal it runs `on_stop` (once); with no handler, or on a second
// signal, the process exits with 128 + signal number.
void watch_stop_signals(std::function<void()> on_stop);

}  // namespace apflow::app
