// Task events from the host, queued for the thread that renders them (sdk::EventQueue), with the
// CLI's message for a host too old to offer them.
#pragma once

#include <apflow/sdk/host.h>

namespace apflow::plugins::cli {

class EventFeed : public sdk::EventQueue {
 public:
  // Throws sdk::Error(GENERAL_NOT_IMPLEMENTED) when the host offers no events (ABI < 1.1).
  static void require_events(const sdk::Host& host);
  explicit EventFeed(sdk::Host host) : sdk::EventQueue(host.raw()) { require_events(host); }
};

}  // namespace apflow::plugins::cli
