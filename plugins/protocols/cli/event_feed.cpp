#include "cli/event_feed.h"

#include <apflow/sdk/error.h>

namespace apflow::plugins::cli {

void EventFeed::require_events(const sdk::Host& host) {
  if (!host.has_events()) {
    throw sdk::Error("GENERAL_NOT_IMPLEMENTED",
                     "this apflow host offers no task events (plugin ABI 1.1); `apflow run` "
                     "needs a newer apflow");
  }
}

}  // namespace apflow::plugins::cli
