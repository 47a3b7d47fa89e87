// The process-wide allocator's settings, compiled into each program that links mimalloc
// (apflow_allocator in the top CMakeLists.txt: `apflow` and the engine benchmark). Depends on
// mimalloc alone.
//
// mimalloc (2.0) hands freed pages back to the kernel 25 ms after they fall free by default. The
// engine frees a batch's buffers (the claim's rows as text and parsed, the outcomes' request)
// and allocates the next batch's a few milliseconds later; each page handed back is faulted in
// again, and page faults are dear on a virtual machine. Keeping free pages for 250 ms cut the
// CPU of a 10,000-task fan-out by a tenth (docs/performance.md, session 10); an idle process
// still gives its memory back within a quarter of a second. MIMALLOC_RESET_DELAY (or the newer
// MIMALLOC_DECOMMIT_DELAY) in the environment still decides.
#include <mimalloc.h>

#include <cstdlib>

namespace {

constexpr long kDecommitDelayMs = 250;

struct AllocatorOptions {
  AllocatorOptions() {
    if (std::getenv("MIMALLOC_RESET_DELAY") == nullptr &&
        std::getenv("MIMALLOC_DECOMMIT_DELAY") == nullptr) {
      mi_option_set(mi_option_decommit_delay, kDecommitDelayMs);
    }
  }
};

const AllocatorOptions options;

}  // namespace
