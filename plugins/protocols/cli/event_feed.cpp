#include "cli/event_feed.h"

#include <apflow/sdk/error.h>

namespace apflow::plugins::cli {

void EventFeed::require_events(const sdk::Host& host) {
  const apflow_host_api* api = host.raw();
  if (!APFLOW_HAS_MEMBER(api, apflow_host_api, release_subscription) ||
      api->subscribe_events == nullptr || api->release_subscription == nullptr) {
    throw sdk::Error("GENERAL_NOT_IMPLEMENTED",
                     "this apflow host offers no task events (plugin ABI 1.1); `apflow run` "
                     "needs a newer apflow");
  }
}

EventFeed::EventFeed(sdk::Host host) : host_(host) {
  require_events(host_);
}

EventFeed::~EventFeed() {
  // After each release no receive() runs any more, so the queue can go with *this.
  for (auto* subscription : subscriptions_) host_.raw()->release_subscription(subscription);
}

void EventFeed::watch(const std::string& tree_id) {
  sdk::Json filter = sdk::make_object();
  sdk::set(filter, "task_tree_id", tree_id);
  const std::string text = sdk::to_json(filter);
  apflow_subscription* subscription = nullptr;
  sdk::ErrorCollector error;
  const apflow_host_api* api = host_.raw();
  if (api->subscribe_events(api, text.data(), text.size(), this, &EventFeed::receive, &subscription,
                            error.sink()) != APFLOW_OK) {
    error.raise("subscribe_events");
  }
  subscriptions_.push_back(subscription);
}

void EventFeed::receive(void* self, const char* event_json, size_t size) {
  auto* feed = static_cast<EventFeed*>(self);
  {
    std::lock_guard lock(feed->mutex_);
    feed->queue_.emplace_back(event_json, size);
  }
  feed->arrived_.notify_one();
}

std::vector<sdk::Json> EventFeed::take(std::chrono::milliseconds wait) {
  std::deque<std::string> texts;
  {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, wait, [this] { return !queue_.empty(); });
    texts.swap(queue_);
  }
  std::vector<sdk::Json> events;
  for (const auto& text : texts) {
    sdk::Json event;
    event.Parse(text.data(), text.size());
    // A malformed event says nothing usable; the results fetched at the end still will.
    if (!event.HasParseError() && event.IsObject()) events.push_back(std::move(event));
  }
  return events;
}

}  // namespace apflow::plugins::cli
