#include "core/event_bus.h"

#include <algorithm>

namespace apflow {

namespace {

template <typename Subscriber>
bool hears(const Subscriber& s, std::string_view tree_id, EventBus::Kind kind) {
  return (s.tree_id.empty() || s.tree_id == tree_id) &&
         (!s.ends_only || kind == EventBus::Kind::kTreeEnd);
}

}  // namespace

EventBus::Id EventBus::subscribe(std::string tree_id, Handler handler, bool ends_only) {
  std::lock_guard lock(mutex_);
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->id = next_id_++;
  subscriber->tree_id = std::move(tree_id);
  subscriber->handler = std::move(handler);
  subscriber->ends_only = ends_only;
  subscribers_.push_back(subscriber);
  return subscriber->id;
}

void EventBus::unsubscribe(Id id) {
  std::shared_ptr<Subscriber> found;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [id](const auto& s) { return s->id == id; });
    if (it == subscribers_.end()) return;
    found = *it;
    subscribers_.erase(it);
  }
  std::lock_guard running(found->running);  // waits for a handler call in flight
  found->active = false;
}

void EventBus::publish(std::string_view tree_id, std::string_view event_json, Kind kind) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& s : subscribers_) {
      if (hears(*s, tree_id, kind)) targets.push_back(s);
    }
  }
  for (const auto& s : targets) {
    std::lock_guard running(s->running);
    if (s->active) s->handler(event_json);
  }
}

bool EventBus::wants(std::string_view tree_id, Kind kind) const {
  std::lock_guard lock(mutex_);
  return std::any_of(subscribers_.begin(), subscribers_.end(),
                     [&](const auto& s) { return hears(*s, tree_id, kind); });
}

bool EventBus::has_subscribers() const {
  std::lock_guard lock(mutex_);
  return !subscribers_.empty();
}

}  // namespace apflow
