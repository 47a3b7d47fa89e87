// Engine: reuse of existing trees (reference §2.2 with its [REC] fixes). Clones get their own
// tree id at any depth and are saved atomically; copy resets execution state; archive is an
// immutable snapshot (its rows refuse writes); mixed decides link or copy node by node.
#include <set>

#include "core/error.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/ids.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

const char* const kEngineFields[] = {"queued", "blockers",   "lease_owner", "lease_expires_at",
                                     "seq",    "started_at", "completed_at"};

struct Source {
  Json rows;
  std::unique_ptr<rows::TreeIndex> index;
  std::vector<std::string> ids;  // the cloned set, pre-order; ids[0] is the source task
};

Source select(const Store& store, const Value& input, std::string& task_id) {
  auto it = input.FindMember("task_id");
  if (it == input.MemberEnd() || !it->value.IsString()) {
    throw Error(codes::kGeneralInvalidInput, "'task_id' is required");
  }
  task_id = it->value.GetString();
  const Json row = rows::require(store, task_id);
  Source source;
  source.rows = rows::tree_rows(store, rows::text(row, "task_tree_id"));
  source.index = std::make_unique<rows::TreeIndex>(source.rows);
  const bool recursive =
      !input.HasMember("recursive") || !input["recursive"].IsBool() || input["recursive"].GetBool();
  source.ids = recursive ? source.index->subtree(task_id) : std::vector<std::string>{task_id};
  if (!recursive) return source;
  const std::set<std::string> inside(source.ids.begin(), source.ids.end());
  for (const auto& id : source.ids) {
    const Value& r = *source.index->by_id.at(id);
    for (const auto& dep : rows::dependency_ids(r)) {
      if (inside.contains(dep)) continue;
      throw Error(codes::kGeneralInvalidInput,
                  "Task '" + rows::text(r, "name") + "' (id: " + id + ") has dependency on task '" +
                      dep + "' which is outside the subtree rooted at '" + rows::text(row, "name") +
                      "' (id: " + task_id +
                      "). Cannot copy/archive a subtree with external dependencies.");
    }
  }
  return source;
}

void require_completed(const Source& source, const std::string& verb) {
  for (const auto& id : source.ids) {
    if (rows::text(*source.index->by_id.at(id), "status") != "completed") {
      throw Error(codes::kGeneralInvalidInput, "Only a fully completed task tree can be " + verb +
                                                   ". There are unfinished tasks in the tree.");
    }
  }
}

void check_owner(const Source& source, const Value& overrides, const std::set<std::string>& ids) {
  auto user = overrides.FindMember("user_id");
  if (user == overrides.MemberEnd() || !user->value.IsString()) return;
  for (const auto& id : ids) {
    if (rows::text(*source.index->by_id.at(id), "user_id") != user->value.GetString()) {
      throw Error("ACL_DENIED", "Deny linking to a different user's task.");
    }
  }
}

void reset_execution(Value& row, rapidjson::Document::AllocatorType& a) {
  row["status"].SetString("pending", a);
  for (const char* key : {"result", "error", "token_usage"}) {
    row.RemoveMember(key);
    row.AddMember(Value(key, a), Value(), a);
  }
  row.RemoveMember("progress");
  row.AddMember("progress", 0.0, a);
  row.RemoveMember("attempt_count");
  row.AddMember("attempt_count", 0, a);
}

void set_member(Value& row, const char* key, Value value, rapidjson::Document::AllocatorType& a) {
  row.RemoveMember(key);
  row.AddMember(Value(key, a), value, a);
}

}  // namespace

Json Engine::clone(const Value& input, const std::string& mode) {
  const Store& s = store();
  std::string task_id;
  Source source = select(s, input, task_id);
  const Value empty(rapidjson::kObjectType);
  const Value& overrides =
      input.HasMember("overrides") && input["overrides"].IsObject() ? input["overrides"] : empty;
  std::set<std::string> as_link;
  if (mode == "link") as_link.insert(source.ids.begin(), source.ids.end());
  if (mode == "mixed" && input.HasMember("link_task_ids") && input["link_task_ids"].IsArray()) {
    for (const Value& id : input["link_task_ids"].GetArray()) {
      if (id.IsString()) as_link.insert(id.GetString());
    }
  }
  if (mode == "link") require_completed(source, "linked");
  for (const auto& id : as_link) {
    auto it = source.index->by_id.find(id);
    if (it != source.index->by_id.end() && rows::text(*it->second, "status") != "completed") {
      throw Error(codes::kGeneralInvalidInput,
                  "Task " + id +
                      " is not completed and cannot be linked; only completed tasks "
                      "can be linked");
    }
  }
  check_owner(source, overrides, as_link);

  std::map<std::string, std::string> new_id;
  for (const auto& id : source.ids) new_id[id] = new_task_id();
  const std::string root = new_id[task_id];
  const std::string now = now_iso();
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  Value tasks(rapidjson::kArrayType), edges(rapidjson::kArrayType);
  auto edge = [&](const std::string& from, const std::string& to, const char* kind) {
    rows::push_edge(edges, a, from, to, kind);
  };
  for (const auto& old : source.ids) {
    const Value& original = *source.index->by_id.at(old);
    Value row(original, a);
    for (const char* key : kEngineFields) row.RemoveMember(key);
    const bool link = as_link.contains(old);
    const std::string origin = rows::text(original, "origin_type") == "link"
                                   ? rows::text(original, "original_task_id")
                                   : old;
    set_member(row, "id", Value(new_id[old].c_str(), a), a);
    const std::string parent = rows::text(original, "parent_id");
    set_member(
        row, "parent_id",
        old == task_id || !new_id.contains(parent) ? Value() : Value(new_id[parent].c_str(), a), a);
    if (old != task_id && new_id.contains(parent)) edge(new_id[parent], new_id[old], "child");
    set_member(row, "task_tree_id", Value(root.c_str(), a), a);
    set_member(row, "original_task_id", Value(origin.c_str(), a), a);
    set_member(row, "origin_type", Value(link ? "link" : "copy"), a);
    set_member(row, "has_references", Value(false), a);
    set_member(row, "created_at", Value(now.c_str(), a), a);
    set_member(row, "updated_at", Value(now.c_str(), a), a);
    Value deps(rapidjson::kArrayType);
    if (original.HasMember("dependencies") && original["dependencies"].IsArray()) {
      for (const Value& dep : original["dependencies"].GetArray()) {
        const std::string dep_id = dep.IsString() ? dep.GetString() : rows::text(dep, "id");
        if (!new_id.contains(dep_id)) continue;  // outside the clone: dropped, as apflow does
        const bool required = !(dep.IsObject() && dep.HasMember("required") &&
                                dep["required"].IsBool() && !dep["required"].GetBool());
        Value item(rapidjson::kObjectType);
        item.AddMember("id", Value(new_id[dep_id].c_str(), a), a);
        item.AddMember("required", required, a);
        deps.PushBack(item, a);
        edge(new_id[old], new_id[dep_id], required ? "required" : "optional");
      }
    }
    set_member(row, "dependencies", std::move(deps), a);
    if (link) {
      for (const char* key : {"result", "params", "inputs", "schemas"}) {
        set_member(row, key, Value(), a);
      }
    } else {
      reset_execution(row, a);
    }
    for (const auto& m : overrides.GetObject())
      set_member(row, m.name.GetString(), Value(m.value, a), a);
    tasks.PushBack(row, a);
  }
  request.AddMember("tasks", tasks, a);
  request.AddMember("edges", edges, a);
  Value sources(rapidjson::kArrayType);
  for (const auto& old : source.ids) sources.PushBack(Value(old.c_str(), a), a);
  request.AddMember("mark_sources", sources, a);
  s.call(Store::Op::kCreateTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  out.AddMember("root_task_id", Value(root.c_str(), oa), oa);
  out.AddMember("task_count", static_cast<uint64_t>(source.ids.size()), oa);
  out.AddMember("origin_type", Value(mode.c_str(), oa), oa);
  return out;
}

Json Engine::link(const Value& input) {
  return clone(input, "link");
}
Json Engine::copy(const Value& input) {
  return clone(input, "copy");
}
Json Engine::clone_mixed(const Value& input) {
  return clone(input, "mixed");
}

Json Engine::archive(const Value& input) {
  const Store& s = store();
  std::string task_id;
  Source source = select(s, input, task_id);
  require_completed(source, "archived");
  for (const auto& id : source.ids) {
    Json update;
    update.Parse(R"({"set":{"origin_type":"archive"},"expect_status":"completed"})");
    update.AddMember("id", Value(id.c_str(), update.GetAllocator()), update.GetAllocator());
    s.call(Store::Op::kUpdateTask, update);
  }
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  out.AddMember("root_task_id", Value(task_id.c_str(), oa), oa);
  out.AddMember("task_count", static_cast<uint64_t>(source.ids.size()), oa);
  out.AddMember("origin_type", "archive", oa);
  return out;
}

}  // namespace apflow::engine
