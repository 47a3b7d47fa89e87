// Process-wide malloc settings for a process that serves HTTP. glibc gives the top of a heap
// back to the kernel whenever more than 128 KiB is free there; a server that allocates and frees
// a few tens of KiB per request then maps the same pages again on the next one (measured on
// `apflow mcp`: about four page faults per tools/call; without them a call costs a third less
// CPU). Keeping up to kTrimThreshold free bytes per heap stops that; the memory stays reusable.
// `apflow` itself links mimalloc (APFLOW_MIMALLOC), which does not trim that way; this serves a
// build without it and any other host that loads the plugin on glibc's malloc.
#pragma once

#include <cstddef>

namespace apflow::plugins::protocols {

inline constexpr size_t kTrimThreshold = 64 * 1024 * 1024;

// Idempotent; a no-op where mallopt is not glibc's.
void tune_allocator_for_serving() noexcept;

}  // namespace apflow::plugins::protocols
