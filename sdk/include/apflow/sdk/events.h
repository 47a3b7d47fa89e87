// Task events from the host (wraps apflow_host_api::subscribe_events, ABI 1.1). The event
// objects are described in docs/engine.md.
//   EventSubscription: a callback per event, from any host thread, until it is destroyed.
//   EventQueue: events queued for one thread that takes them when it is ready.
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/json.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace apflow::sdk {

// True when the host can deliver task events (ABI 1.1 and later).
inline bool host_has_events(const apflow_host_api* api) noexcept {
  return APFLOW_HAS_MEMBER(api, apflow_host_api, release_subscription) &&
         api->subscribe_events != nullptr && api->release_subscription != nullptr;
}

class EventSubscription {
 public:
  using EventFn = std::function<void(std::string_view event_json)>;

  EventSubscription() = default;
  EventSubscription(EventSubscription&& other) noexcept
      : api_(other.api_),
        handle_(std::exchange(other.handle_, nullptr)),
        on_event_(std::move(other.on_event_)) {}
  EventSubscription& operator=(EventSubscription&& other) noexcept {
    if (this != &other) {
      reset();
      api_ = other.api_;
      handle_ = std::exchange(other.handle_, nullptr);
      on_event_ = std::move(other.on_event_);
    }
    return *this;
  }
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;
  // Once this returns no on_event call is running or will start.
  ~EventSubscription() { reset(); }

  // filter_json: "{}" for every event or {"task_tree_id":"..."}. Throws Error when refused or
  // when the host offers no events.
  static EventSubscription start(const apflow_host_api* api, std::string_view filter_json,
                                 EventFn on_event) {
    if (!host_has_events(api)) {
      throw Error("GENERAL_NOT_IMPLEMENTED",
                  "this apflow host offers no task events (plugin ABI 1.1); update apflow");
    }
    EventSubscription subscription;
    subscription.api_ = api;
    // Heap-held so the address given to the host survives moves of the subscription.
    subscription.on_event_ = std::make_unique<EventFn>(std::move(on_event));
    ErrorCollector error;
    if (api->subscribe_events(api, filter_json.data(), filter_json.size(),
                              subscription.on_event_.get(), &EventSubscription::receive,
                              &subscription.handle_, error.sink()) != APFLOW_OK) {
      error.raise("subscribe_events");
    }
    return subscription;
  }

  void reset() noexcept {
    if (handle_ != nullptr) api_->release_subscription(std::exchange(handle_, nullptr));
  }

 private:
  static void receive(void* user_data, const char* event_json, size_t size) {
    try {
      (*static_cast<EventFn*>(user_data))(std::string_view(event_json, size));
    } catch (...) {  // exceptions must not cross into the host
    }
  }

  const apflow_host_api* api_ = nullptr;
  apflow_subscription* handle_ = nullptr;
  std::unique_ptr<EventFn> on_event_;
};

// Subscriptions whose events wait in one queue for the thread that handles them.
class EventQueue {
 public:
  explicit EventQueue(const apflow_host_api* api) : api_(api) {}
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  ~EventQueue() { subscriptions_.clear(); }  // before the queue they write to goes

  // Receives the events of one task tree from now on. Throws Error when refused.
  void watch(const std::string& tree_id) {
    Json filter = make_object();
    set(filter, "task_tree_id", tree_id);
    subscriptions_.push_back(
        EventSubscription::start(api_, to_json(filter), [this](std::string_view event) {
          {
            std::lock_guard lock(mutex_);
            queue_.emplace_back(event);
          }
          arrived_.notify_one();
        }));
  }

  // The event objects that arrived, waiting up to `wait` for the first one. Malformed events
  // are dropped: they say nothing usable.
  std::vector<Json> take(std::chrono::milliseconds wait) {
    std::deque<std::string> texts;
    {
      std::unique_lock lock(mutex_);
      arrived_.wait_for(lock, wait, [this] { return !queue_.empty(); });
      texts.swap(queue_);
    }
    std::vector<Json> events;
    for (const auto& text : texts) {
      Json event;
      event.Parse(text.data(), text.size());
      if (!event.HasParseError() && event.IsObject()) events.push_back(std::move(event));
    }
    return events;
  }

 private:
  const apflow_host_api* api_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::string> queue_;
  std::vector<EventSubscription> subscriptions_;
};

}  // namespace apflow::sdk
