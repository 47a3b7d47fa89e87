// A host for the fuzz targets and protocol unit tests: a fixed list of modules and calls that
// finish at once (echo, fail, or a validation error), so that protocol code runs without the
// engine, threads or sockets; and `fuzz.hold`, whose calls stay in flight until the test
// releases them or the caller cancels them. No task events (an ABI 1.0-sized table).
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/host.h>

namespace apflow::fake {

// The host table; valid for the whole process.
const apflow_host_api* fake_host_api();
inline sdk::Host fake_host() {
  return sdk::Host(fake_host_api());
}
// What list_modules answers, as a parsed document.
const sdk::Json& fake_modules();

// Lets `fuzz.hold` calls start (off by default: a fuzz target that happened on one would leave
// the call's state waiting for ever, which LeakSanitizer reports; off, it is an unknown module).
void allow_held_calls(bool on);
// Finishes the oldest `fuzz.hold` call still in flight with output {} (false: there is none).
bool release_oldest_held();
// How many `fuzz.hold` calls are in flight.
int held_calls();

}  // namespace apflow::fake
