// EventBus: task events (JSON objects) fanned out to subscribers, optionally filtered by tree.
// Publishers and subscribers may live on any thread. Depends on nothing of the host.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace apflow {

class EventBus {
 public:
  using Handler = std::function<void(std::string_view event_json)>;
  using Id = uint64_t;
  // What an event tells: one task's change, or the end of a tree's run.
  enum class Kind { kTask, kTreeEnd };

  // Subscribes to every event (empty tree_id) or to those of one task tree; `ends_only`
  // subscribers hear only kTreeEnd events.
  Id subscribe(std::string tree_id, Handler handler, bool ends_only = false);
  // After it returns, no handler call of this subscription is running or will start.
  void unsubscribe(Id id);
  // Calls each matching handler on the publishing thread.
  void publish(std::string_view tree_id, std::string_view event_json, Kind kind = Kind::kTask);
  // Whether publishing such an event would reach anyone: a publisher with many events to
  // write (one per task) skips writing those nobody hears.
  bool wants(std::string_view tree_id, Kind kind) const;
  bool has_subscribers() const;

 private:
  struct Subscriber {
    Id id;
    std::string tree_id;
    Handler handler;
    bool ends_only = false;
    std::mutex running;  // held while the handler runs
    bool active = true;
  };

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;
  Id next_id_ = 1;
};

}  // namespace apflow
