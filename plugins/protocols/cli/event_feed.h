// Task events from the host (subscribe_events), queued for the thread that renders them.
#pragma once

#include <apflow/sdk/host.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace apflow::plugins::cli {

class EventFeed {
 public:
  // Throws sdk::Error(GENERAL_NOT_IMPLEMENTED) when the host offers no events (ABI < 1.1).
  static void require_events(const sdk::Host& host);
  explicit EventFeed(sdk::Host host);
  ~EventFeed();
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // Receives the events of one task tree from now on. Throws sdk::Error when refused.
  void watch(const std::string& tree_id);
  // The event objects that arrived, waiting up to `wait` for the first one.
  std::vector<sdk::Json> take(std::chrono::milliseconds wait);

 private:
  static void receive(void* self, const char* event_json, size_t size);

  sdk::Host host_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::string> queue_;
  std::vector<apflow_subscription*> subscriptions_;
};

}  // namespace apflow::plugins::cli
