#include "common/allocator_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace apflow::plugins::protocols {

void tune_allocator_for_serving() noexcept {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kTrimThreshold));
#endif
}

}  // namespace apflow::plugins::protocols
