// Engine: reading, editing and deleting tasks.
#include <algorithm>
#include <set>

#include "core/error.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/module_input.h"
#include "engine/schedule_fields.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

Json node(const Store& store, const rows::TreeIndex& index, const std::string& id) {
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("task", Value(rows::resolve_link(store, *index.by_id.at(id)), a), a);
  Value children(rapidjson::kArrayType);
  if (auto kids = index.children.find(id); kids != index.children.end()) {
    for (const auto& child : kids->second)
      children.PushBack(Value(node(store, index, child), a), a);
  }
  out.AddMember("children", children, a);
  return out;
}

const std::set<std::string> kUpdatable = {
    "name",     "status",  "priority", "inputs",     "params",       "error",        "result",
    "progress", "schemas", "user_id",  "timeout_ms", "max_attempts", "token_budget", "cost_policy"};

}  // namespace

Json Engine::get(const Value& input) {
  const Store& s = store();
  return rows::resolve_link(s, rows::require(s, required_id(input)));
}

rows::ShownTask Engine::get_shown(const Value& input) {
  const std::string id = required_id(input);
  return rows::shown_task(store(), id);
}

Json Engine::list(const Value& input) {
  const Store& s = store();
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  for (const char* key : {"status", "user_id"}) {
    auto it = input.FindMember(key);
    if (it != input.MemberEnd() && !it->value.IsNull()) {
      request.AddMember(Value(key, a), Value(it->value, a), a);
    }
  }
  request.AddMember("limit", bounded(input, "limit", 50, 1, 1000), a);
  request.AddMember("offset", bounded(input, "offset", 0, 0, INT64_MAX), a);
  request.AddMember("order", "created_desc", a);
  auto response = s.call(Store::Op::kQueryTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  Value tasks(rapidjson::kArrayType);
  for (const Value& row : response["tasks"].GetArray()) {
    tasks.PushBack(
        pick(row, {"id", "name", "status", "created_at", "task_tree_id", "parent_id"}, oa), oa);
  }
  out.AddMember("tasks", tasks, oa);
  out.AddMember("total", Value(response["total"], oa), oa);
  return out;
}

Json Engine::tree(const Value& input) {
  const Store& s = store();
  const Json row = rows::require(s, required_id(input));
  const Json all = rows::tree_rows(s, rows::text(row, "task_tree_id"));
  const rows::TreeIndex index(all);
  return node(s, index, rows::text(row, "id"));
}

Json Engine::children(const Value& input) {
  const Store& s = store();
  const std::string id = required_id(input);
  rows::require(s, id);
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("parent_id", Value(id.c_str(), a), a);
  request.AddMember("order", "priority", a);
  request.AddMember("limit", 100000, a);
  auto response = s.call(Store::Op::kQueryTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  Value children(rapidjson::kArrayType);
  for (const Value& r : response["tasks"].GetArray()) {
    children.PushBack(pick(r, {"id", "name", "status", "priority"}, oa), oa);
  }
  out.AddMember("children", children, oa);
  return out;
}

Json Engine::running(const Value& input) {
  const Store& s = store();
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("status", "in_progress", a);
  if (auto it = input.FindMember("user_id"); it != input.MemberEnd() && it->value.IsString()) {
    request.AddMember("user_id", Value(it->value, a), a);
  }
  request.AddMember("limit", bounded(input, "limit", 20, 1, 100), a);
  request.AddMember("order", "created_desc", a);
  auto response = s.call(Store::Op::kQueryTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  Value tasks(rapidjson::kArrayType);
  for (const Value& r : response["tasks"].GetArray()) {
    tasks.PushBack(pick(r, {"id", "name", "status", "task_tree_id", "progress"}, oa), oa);
  }
  out.AddMember("count", static_cast<uint64_t>(tasks.Size()), oa);
  out.AddMember("tasks", tasks, oa);
  return out;
}

Json Engine::update(const Value& input) {
  const Store& s = store();
  const std::string id = required_id(input);
  const Json row = rows::require(s, id);
  if (rows::text(row, "origin_type") == "archive") {
    throw Error("TASK_ARCHIVED", "Task '" + id +
                                     "' is archived and read-only; copy it (apflow.task.copy) "
                                     "to change it");
  }
  const std::string current = rows::text(row, "status");
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  Value set(rapidjson::kObjectType);
  bool schedule_changed = false;
  for (const auto& m : input.GetObject()) {
    const std::string key = m.name.GetString();
    if (key == "task_id" || m.value.IsNull()) continue;
    if (schedule::is_field(key)) {
      schedule_changed = true;
      continue;
    }
    if (!kUpdatable.contains(key)) {
      throw Error(codes::kGeneralInvalidInput, "field '" + key + "' cannot be updated");
    }
    set.AddMember(Value(key.c_str(), a), Value(m.value, a), a);
  }
  if (auto status = input.FindMember("status");
      status != input.MemberEnd() && status->value.IsString()) {
    const auto to = parse_status(status->value.GetString());
    const auto from = parse_status(current);
    if (!to) throw Error(codes::kGeneralInvalidInput, "unknown status");
    if (*to == TaskStatus::kInProgress && current != "in_progress") {
      throw Error(codes::kGeneralInvalidInput,
                  "in_progress is set by the engine when it runs a task; use apflow.task.execute");
    }
    if (!from || !can_transition(*from, *to)) {
      throw Error(codes::kGeneralInvalidInput, "Cannot change the status of task " + id +
                                                   " from '" + current + "' to '" +
                                                   status->value.GetString() + "'");
    }
    if (is_terminal(*to) && *to != *from) {
      set.AddMember("completed_at", Value(now_iso().c_str(), a), a);
    }
  }
  if (schedule_changed) {
    // The schedule is checked whole (given fields over stored ones) and its next run recomputed.
    Value merged(rapidjson::kObjectType);
    for (const char* key : schedule::kFields) {
      auto given = input.FindMember(key);
      const Value& value =
          given != input.MemberEnd() && !given->value.IsNull() ? given->value : row[key];
      merged.AddMember(rapidjson::StringRef(key), Value(value, a), a);
    }
    schedule::add_columns(merged, "Task '" + id + "'", now_ms(), set, a);
  }
  request.AddMember("id", Value(id.c_str(), a), a);
  request.AddMember("set", set, a);
  request.AddMember("expect_status", Value(current.c_str(), a), a);
  Json updated = s.call(Store::Op::kUpdateTask, request);
  rows::strip_internal(updated);
  return updated;
}

Json Engine::remove(const Value& input) {
  const Store& s = store();
  const std::string id = required_id(input);
  const bool cascade =
      input.HasMember("cascade") && input["cascade"].IsBool() && input["cascade"].GetBool();
  const Json row = rows::require(s, id);
  const Json all = rows::tree_rows(s, rows::text(row, "task_tree_id"));
  const rows::TreeIndex index(all);
  const auto subtree = index.subtree(id);
  if (subtree.size() > 1 && !cascade) {
    throw Error("TASK_HAS_CHILDREN", "Task " + id + " has " + std::to_string(subtree.size() - 1) +
                                         " descendant task(s); delete them first or pass "
                                         "cascade: true to delete the whole subtree");
  }
  const std::set<std::string> doomed(subtree.begin(), subtree.end());
  for (const auto& member : subtree) {
    const Value& r = *index.by_id.at(member);
    if (rows::text(r, "status") == "in_progress") {
      throw Error("TASK_RUNNING", "Task " + member + " is running; cancel it first");
    }
  }
  // A link reads its source on every read; a copy carries its own data and may outlive it.
  Json links(rapidjson::kObjectType);
  {
    auto& la = links.GetAllocator();
    Value ids(rapidjson::kArrayType);
    for (const auto& member : subtree) ids.PushBack(Value(member.c_str(), la), la);
    links.AddMember("original_task_id", ids, la);
    links.AddMember("limit", 1000, la);
    links.AddMember("count", false, la);
    Value fields(rapidjson::kArrayType);
    fields.PushBack("origin_type", la).PushBack("original_task_id", la);
    links.AddMember("fields", fields, la);
  }
  const Json found_links = s.call(Store::Op::kQueryTasks, links);  // lives through the loop
  for (const Value& r : found_links["tasks"].GetArray()) {
    const std::string other = rows::text(r, "id");
    if (doomed.contains(other) || rows::text(r, "origin_type") != "link") continue;
    throw Error("TASK_REFERENCED", "Task " + rows::text(r, "original_task_id") +
                                       " is the source of link " + other +
                                       "; delete the link first (a copy would not need it)");
  }
  // Tasks outside the subtree that depend on it (in any tree) would be left waiting forever.
  Json dependents(rapidjson::kObjectType);
  {
    auto& da = dependents.GetAllocator();
    Value ids(rapidjson::kArrayType);
    for (const auto& member : subtree) ids.PushBack(Value(member.c_str(), da), da);
    dependents.AddMember("depends_on", ids, da);
    dependents.AddMember("limit", 1000, da);
  }
  const Json found = s.call(Store::Op::kQueryTasks, dependents);
  for (const Value& r : found["tasks"].GetArray()) {
    const std::string other = rows::text(r, "id");
    if (doomed.contains(other)) continue;
    for (const auto& dep : rows::dependency_ids(r)) {
      if (doomed.contains(dep)) {
        throw Error("TASK_REFERENCED", "Task " + dep + " is a dependency of task " + other +
                                           "; delete or change that task first");
      }
    }
  }
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  Value ids(rapidjson::kArrayType);
  for (const auto& member : subtree) ids.PushBack(Value(member.c_str(), a), a);
  request.AddMember("ids", ids, a);
  auto response = s.call(Store::Op::kDeleteTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  out.AddMember("task_id", Value(id.c_str(), oa), oa);
  out.AddMember("deleted", true, oa);
  out.AddMember("deleted_count", Value(response["deleted"], oa), oa);
  return out;
}

}  // namespace apflow::engine
