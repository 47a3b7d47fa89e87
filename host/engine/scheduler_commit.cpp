// Scheduler, the writing-back half: finished attempts and progress committed in batches (with
// the next claim in the same transaction), leases kept and handed back, events published.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "core/json_text.h"
#include "engine/clock.h"
#include "engine/events.h"
#include "engine/scheduler.h"
#include "engine/scheduler_inbox.h"
#include "engine/task_rows.h"

namespace apflow::engine {

using rapidjson::Value;

std::string Scheduler::finish_request(const std::vector<AttemptResult>& finished,
                                      const FinishedById& by_id, std::optional<size_t> free_slots,
                                      size_t& limit) {
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> w(text);
  auto string = [&w](const std::string& value) {
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  w.Key("node");
  string(config_.node_id);
  w.Key("results");
  w.StartArray();
  for (const auto& f : finished) {
    if (f.interrupted_by_stop) continue;
    w.StartObject();
    w.Key("id");
    string(f.id);
    w.Key("status");
    string(f.status);
    if (!f.leased) {
      w.Key("leased");
      w.Bool(false);
    }
    if (f.status == "completed") {
      // The executor's output as it came: its call checked that it is a JSON object.
      w.Key("result");
      if (f.result_json.empty()) {
        w.Null();
      } else {
        w.RawValue(f.result_json.c_str(), f.result_json.size(), rapidjson::kObjectType);
      }
      w.Key("progress");
      w.Double(1.0);
    } else {
      w.Key("error");
      string(f.error);
    }
    if (f.wait_until > 0) {
      w.Key("retry_at");
      w.Int64(f.wait_until);
      w.Key("uncounted");
      w.Bool(true);
    } else if (f.status == "failed" && f.retryable && f.attempt < f.max_attempts) {
      w.Key("retry_at");
      w.Int64(now_ms() + f.policy.delay_ms(f.attempt, random_));
    }
    w.EndObject();
  }
  w.EndArray();
  // The ancestors' rolled-up progress commits with the results (one transaction, not two);
  // an ancestor of many finished tasks is written once, with its latest value.
  std::map<std::string, double> ancestors;
  for (const auto& [id, f] : by_id) {
    if (f->status != "completed") continue;
    const auto changed = trees_.roll_up(f->tree_id, f->id, 1.0);
    for (auto it = changed.begin() + 1; it != changed.end(); ++it)
      ancestors[it->first] = it->second;
  }
  if (!ancestors.empty()) {
    w.Key("progress");
    w.StartArray();
    for (const auto& [id, value] : ancestors) {
      w.StartObject();
      w.Key("id");
      string(id);
      w.Key("progress");
      w.Double(value);
      w.EndObject();
    }
    w.EndArray();
  }
  if (free_slots) {
    rapidjson::Document claim(rapidjson::kObjectType);
    limit = add_claim(claim, claim.GetAllocator(), *free_slots, loop_inline_room_);
    w.Key("claim");
    claim.Accept(w);
  }
  w.EndObject();
  return {text.GetString(), text.GetSize()};
}

void Scheduler::flush_finished(std::vector<AttemptResult> finished,
                               std::optional<size_t> free_slots) {
  std::vector<std::string> handed_back;
  FinishedById by_id;
  for (const auto& f : finished) {
    if (f.interrupted_by_stop) {
      handed_back.push_back(f.id);
    } else {
      by_id[f.id] = &f;
    }
  }
  // Forgotten once written, not before: until then an inline task is still ready in the store,
  // and the inline runner's claims pass over the inline tasks listed here.
  auto forget_finished = [&] {
    {
      std::lock_guard lock(running_mutex_);
      for (const auto& f : finished) {
        auto it = running_.find(f.id);
        if (it == running_.end()) continue;
        if (!it->second->leased) --unwritten_inline_;
        running_.erase(it);
      }
    }
    inline_written_.notify_all();
  };
  if (!handed_back.empty()) release_to_queue(handed_back);
  if (by_id.empty()) {
    forget_finished();
    if (free_slots) claim_and_start(*free_slots);
    return;
  }
  size_t limit = 0;
  const std::string request = finish_request(finished, by_id, free_slots, limit);
  Response answer;
  try {
    answer = store_.call_shared(Store::Op::kFinishTasks, std::string_view(request));
  } catch (...) {
    forget_finished();  // not written: a ready inline task is claimed and runs again
    throw;
  }
  forget_finished();
  const rapidjson::Document& response = *answer;

  // Ready tasks may now lie behind the inline runner's walk.
  if (auto released = response.FindMember("released");
      (released != response.MemberEnd() && released->value.IsInt64() &&
       released->value.GetInt64() > 0) ||
      !response["changed"].Empty()) {
    inline_rewalk_ = true;
  }
  for (const Value& id : response["retrying"].GetArray()) {
    const AttemptResult& f = *by_id.at(std::string_view(id.GetString(), id.GetStringLength()));
    spdlog::info("task {} failed attempt {} of {} and will run again: {}", f.id, f.attempt,
                 f.max_attempts, f.error);
    publish(events_, TaskEvent{.type = "task_retrying",
                               .task_id = f.id,
                               .tree_id = f.tree_id,
                               .name = f.name,
                               .status = "pending",
                               .error = f.error});
  }
  std::set<std::string> trees;
  for (const Value& id : response["finished"].GetArray()) {
    const AttemptResult& f = *by_id.at(std::string_view(id.GetString(), id.GetStringLength()));
    trees.insert(f.tree_id);
    if (!events_.wants(f.tree_id, EventBus::Kind::kTask)) continue;
    rapidjson::Document result;
    if (f.status == "completed") result.Parse(f.result_json.c_str());
    publish(events_, TaskEvent{.type = "task_" + f.status,
                               .task_id = f.id,
                               .tree_id = f.tree_id,
                               .name = f.name,
                               .status = f.status,
                               .progress = f.status == "completed" ? 1.0 : 0.0,
                               .result = f.status == "completed" ? &result : nullptr,
                               .error = f.error});
  }
  trees.merge(publish_changes(response["changed"]));
  if (free_slots) start_claimed(answer, limit);
  {
    // A tree with a task still running here has not ended: spare the store the question.
    std::lock_guard lock(running_mutex_);
    for (const auto& [id, running] : running_) trees.erase(running->tree_id);
  }
  trees_.check_finished(trees);
}

void Scheduler::flush_progress(std::map<std::string, std::pair<std::string, double>> progress) {
  rapidjson::Document record(rapidjson::kObjectType);
  auto& a = record.GetAllocator();
  Value items(rapidjson::kArrayType);
  for (const auto& [task_id, entry] : progress) {
    const auto& [tree_id, fraction] = entry;
    std::string name;
    {
      // Reported just before the task finished and committed in this same turn of the loop:
      // stale. Publishing it would show a completed task in progress again, after its
      // task_completed, and rolling it up would lower its ancestors' progress.
      std::lock_guard lock(running_mutex_);
      auto it = running_.find(task_id);
      if (it == running_.end()) continue;
      name = it->second->name;
    }
    const auto changed = trees_.roll_up(tree_id, task_id, fraction);
    for (const auto& [id, value] : changed) {
      Value item(rapidjson::kObjectType);
      item.AddMember("id", Value(id.c_str(), a), a);
      item.AddMember("progress", value, a);
      items.PushBack(item, a);
    }
    publish(events_, TaskEvent{.type = "task_progress",
                               .task_id = task_id,
                               .tree_id = tree_id,
                               .name = name,
                               .status = "in_progress",
                               .progress = fraction});
  }
  if (items.Empty()) return;
  record.AddMember("progress", items, a);
  store_.call(Store::Op::kRecordProgress, record);
}

void Scheduler::keep_leases(int64_t now) {
  if (now < next_lease_check_) return;
  next_lease_check_ = now + std::max<int64_t>(config_.lease_ms / 3, 10);
  rapidjson::Document renew(rapidjson::kObjectType);
  auto& a = renew.GetAllocator();
  Value ids(rapidjson::kArrayType);
  {
    std::lock_guard lock(running_mutex_);
    for (const auto& [id, running] : running_) {
      if (running->leased) ids.PushBack(Value(id.c_str(), a), a);  // inline tasks hold none
    }
  }
  if (!ids.Empty()) {
    renew.AddMember("node", Value(config_.node_id.c_str(), a), a);
    renew.AddMember("ids", ids, a);
    renew.AddMember("lease_ms", config_.lease_ms, a);
    renew.AddMember("now_ms", now, a);
    store_.call(Store::Op::kRenewLeases, renew);
  }
  const auto expired = expire_leases(now);
  if (expired["expired"].Size() > 0) {
    if (const auto requeued = expired["expired"].Size() - expired["abandoned"].Size()) {
      spdlog::warn("{} task(s) whose lease expired went back to the queue", requeued);
    }
    for (const Value& id : expired["abandoned"].GetArray()) {
      spdlog::error("task {} failed: its lease expired more than {} times", id.GetString(),
                    config_.max_lease_expiries);
    }
    wake();
  }
}

rapidjson::Document Scheduler::expire_leases(int64_t now) {
  rapidjson::Document expire(rapidjson::kObjectType);
  expire.AddMember("now_ms", now, expire.GetAllocator());
  expire.AddMember("max_expiries", config_.max_lease_expiries, expire.GetAllocator());
  auto expired = store_.call(Store::Op::kExpireLeases, expire);
  report_changes(expired["changed"]);
  return expired;
}

void Scheduler::release_to_queue(const std::vector<std::string>& task_ids) {
  // Handed back on purpose: not counted against max_lease_expiries as a crash would be.
  rapidjson::Document release(rapidjson::kObjectType);
  auto& a = release.GetAllocator();
  Value ids(rapidjson::kArrayType);
  for (const auto& id : task_ids) ids.PushBack(Value(id.c_str(), a), a);
  release.AddMember("node", Value(config_.node_id.c_str(), a), a);
  release.AddMember("release", ids, a);
  release.AddMember("now_ms", now_ms(), a);
  release.AddMember("max_expiries", config_.max_lease_expiries, a);
  report_changes(store_.call(Store::Op::kExpireLeases, release)["changed"]);
}

std::set<std::string> Scheduler::publish_changes(const Value& changed) {
  std::set<std::string> trees;
  if (!changed.IsArray()) return trees;
  for (const Value& item : changed.GetArray()) {
    const std::string status = rows::text(item, "status");
    const std::string tree_id = rows::text(item, "task_tree_id");
    trees.insert(tree_id);
    publish(events_, TaskEvent{.type = "task_" + status,
                               .task_id = rows::text(item, "id"),
                               .tree_id = tree_id,
                               .name = rows::text(item, "name"),
                               .status = status,
                               .error = rows::text(item, "error")});
  }
  return trees;
}

void Scheduler::report_changes(const Value& changed) {
  trees_.check_finished(publish_changes(changed));
}

}  // namespace apflow::engine
