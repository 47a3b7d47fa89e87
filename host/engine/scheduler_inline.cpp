// Scheduler, the inline runner: a thread of its own for large batches of inline tasks (a
// fan-out of aggregates or no-ops). While it runs one batch, the loop's thread commits the
// batch before it; while the batches come full, it claims the next one itself, passing over the
// tasks it ran whose outcomes are not written yet. On two cores the store's writes and the
// executor calls then overlap instead of taking turns.
#include <spdlog/spdlog.h>

#include "engine/clock.h"
#include "engine/scheduler.h"
#include "engine/scheduler_inbox.h"

namespace apflow::engine {

using rapidjson::Value;

void Scheduler::inline_loop() {
  std::unique_lock lock(inbox_->mutex);
  while (true) {
    inbox_->inline_ready.wait(lock, [&] { return inbox_->stopping || inbox_->inline_batch; });
    Response batch = std::move(inbox_->inline_batch);
    inbox_->inline_batch.reset();
    const bool full = inbox_->inline_batch_full;
    if (inbox_->stopping) {
      // Not run: the tasks are still ready in the store and run at the next start.
      inbox_->inline_busy = false;
      inbox_->changed.notify_all();
      return;
    }
    lock.unlock();
    try {
      run_inline(std::move(batch), full);
    } catch (const std::exception& e) {
      spdlog::error("scheduler: inline runner: {}", e.what());
    }
    lock.lock();
    // The loop's claims take inline tasks again.
    inbox_->inline_busy = false;
    inbox_->claim_hint = true;
    inbox_->changed.notify_all();
  }
}

// Collects the outcomes reported on this thread while it lives, and reports them in one push
// when it goes — also when starting a task threw, so that no outcome is lost.
struct Scheduler::Collector {
  Collector(Inbox& inbox, size_t expected) : inbox_(inbox) {
    done_.reserve(expected);
    Inbox::collecting_for = &inbox_;
    Inbox::collecting = &done_;
  }
  ~Collector() {
    Inbox::collecting = nullptr;
    Inbox::collecting_for = nullptr;
    inbox_.push_all(std::move(done_));
  }
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

 private:
  Inbox& inbox_;
  std::vector<AttemptResult> done_;
};

namespace {

std::optional<Scheduler::WalkKey> last_of(const Value& response) {
  auto last = response.FindMember("last");
  if (last == response.MemberEnd() || !last->value.IsArray() || last->value.Size() != 2) {
    return std::nullopt;
  }
  return Scheduler::WalkKey{last->value[0].GetInt64(), last->value[1].GetInt64()};
}

}  // namespace

void Scheduler::run_inline(Response batch, bool full) {
  InlineWalk walk;
  walk.note(last_of(*batch));
  while (batch) {
    const Value& rows = (*batch)["inline"];
    {
      Collector collector(*inbox_, rows.Size());
      for (const Value& row : rows.GetArray()) {
        if (stop_requested_) break;  // the rest stay ready in the store
        start_task(row, false);
      }
    }
    if (!full || stop_requested_) return;
    {
      // One batch being written, this one run: wait for the first before claiming a third.
      std::unique_lock lock(running_mutex_);
      inline_written_.wait(
          lock, [&] { return stop_requested_ || unwritten_inline_ <= config_.batch_size; });
    }
    if (stop_requested_) return;
    batch = claim_inline(walk);
    full = (*batch)["inline"].Size() >= config_.batch_size;
    if ((*batch)["inline"].Empty()) return;
  }
}

void Scheduler::InlineWalk::note(std::optional<WalkKey> last) {
  if (!last) return;
  cursor = last;
  furthest = furthest ? std::max(*furthest, *last) : *last;
}

Scheduler::Response Scheduler::claim_inline(InlineWalk& walk) {
  // Its own operation reads on a connection of its own beside the writer's transactions; a
  // backend built before ABI 1.2 answers the same with a claim of no leased task.
  const bool own_op = store_.supports(Store::Op::kClaimInline);
  rapidjson::Document request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  if (own_op) {
    add_ready_reading(request, a, config_.batch_size);
  } else {
    request.AddMember("node", Value(config_.node_id.c_str(), a), a);
    add_claim(request, a, 0, config_.batch_size);
  }
  // Onwards from the last task handed out, the tasks behind it being run or written; from the
  // start again when something may have become ready behind it (a dependent released, a retry
  // due, new work queued), passing over the tasks run here and not written yet.
  const bool rewalk = inline_rewalk_.exchange(false) || !walk.cursor;
  if (!rewalk) {
    Value after(rapidjson::kArrayType);
    after.PushBack(walk.cursor->first, a).PushBack(walk.cursor->second, a);
    request.AddMember("after", after, a);
  }
  if (rewalk || *walk.cursor < *walk.furthest) {
    Value running(rapidjson::kArrayType);
    {
      std::lock_guard lock(running_mutex_);
      for (const auto& [id, task] : running_) {
        if (!task->leased) running.PushBack(Value(id.c_str(), a), a);
      }
    }
    request.AddMember("running_inline", running, a);
  }
  auto response =
      store_.call_shared(own_op ? Store::Op::kClaimInline : Store::Op::kClaimTasks, request);
  note_next_retry(*response);
  walk.note(last_of(*response));
  return response;
}

}  // namespace apflow::engine
