#include "engine/task_rows.h"

#include <array>

#include "core/error.h"

namespace apflow::engine::rows {

std::string text(const Value& row, const char* key) {
  auto it = row.FindMember(key);
  return it != row.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

bool flag(const Value& row, const char* key) {
  auto it = row.FindMember(key);
  return it != row.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

std::optional<rapidjson::Document> find(const Store& store, const std::string& id) {
  rapidjson::Document request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  Value ids(rapidjson::kArrayType);
  ids.PushBack(Value(id.c_str(), a), a);
  request.AddMember("ids", ids, a);
  auto response = store.call(Store::Op::kGetTasks, request);
  if (response["tasks"].Empty()) return std::nullopt;
  rapidjson::Document row;
  row.CopyFrom(response["tasks"][0], row.GetAllocator());
  return row;
}

rapidjson::Document require(const Store& store, const std::string& id) {
  auto row = find(store, id);
  if (!row) throw Error("TASK_NOT_FOUND", "Task '" + id + "' not found");
  return std::move(*row);
}

rapidjson::Document tree_rows(const Store& store, const std::string& tree_id,
                              const std::vector<std::string_view>& fields) {
  rapidjson::Document request;
  request.Parse(R"({"limit":100000000,"order":"priority","count":false})");
  auto& a = request.GetAllocator();
  request.AddMember("task_tree_id", Value(tree_id.c_str(), a), a);
  if (!fields.empty()) {
    Value names(rapidjson::kArrayType);
    for (auto name : fields) {
      names.PushBack(Value(name.data(), static_cast<rapidjson::SizeType>(name.size()), a), a);
    }
    request.AddMember("fields", names, a);
  }
  auto response = store.call(Store::Op::kQueryTasks, request);
  // The rows stay in the response's pool: make the array its root instead of copying it.
  Value tasks;
  tasks.Swap(response["tasks"]);
  static_cast<Value&>(response).Swap(tasks);
  return response;
}

TreeIndex::TreeIndex(const Value& rows) {
  for (const Value& row : rows.GetArray()) {
    const std::string id = text(row, "id");
    by_id[id] = &row;
    const std::string parent = text(row, "parent_id");
    if (!parent.empty()) children[parent].push_back(id);
  }
}

std::vector<std::string> TreeIndex::subtree(const std::string& id) const {
  std::vector<std::string> out{id};
  for (size_t i = 0; i < out.size(); ++i) {
    auto it = children.find(out[i]);
    if (it != children.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

void push_edge(Value& edges, rapidjson::Document::AllocatorType& allocator,
               const std::string& task_id, const std::string& depends_on, const char* kind) {
  // Built in a scratch pool and copied at exact size: a built object reserves 16 members.
  char buffer[1024];
  rapidjson::MemoryPoolAllocator<> scratch(buffer, sizeof buffer);
  Value edge(rapidjson::kObjectType);
  edge.AddMember("task_id", Value(task_id.c_str(), scratch), scratch);
  edge.AddMember("depends_on", Value(depends_on.c_str(), scratch), scratch);
  edge.AddMember("kind", Value(kind, scratch), scratch);
  edges.PushBack(Value(edge, allocator), allocator);
}

void strip_internal(Value& row) {
  for (const char* key : {"blockers", "seq", "queued"}) row.RemoveMember(key);
}

std::vector<std::string> dependency_ids(const Value& row) {
  std::vector<std::string> out;
  auto deps = row.FindMember("dependencies");
  if (deps == row.MemberEnd() || !deps->value.IsArray()) return out;
  for (const Value& dep : deps->value.GetArray()) {
    if (dep.IsString()) out.emplace_back(dep.GetString());
    if (dep.IsObject()) {
      std::string id = text(dep, "id");
      if (!id.empty()) out.push_back(std::move(id));
    }
  }
  return out;
}

rapidjson::Document resolve_link(const Store& store, const Value& row) {
  rapidjson::Document out;
  out.CopyFrom(row, out.GetAllocator());
  strip_internal(out);
  if (text(row, "origin_type") != "link") return out;
  std::string source_id = text(row, "original_task_id");
  for (int hop = 0; hop < 10; ++hop) {
    auto source = find(store, source_id);
    if (!source) throw Error("TASK_NOT_FOUND", "Original task not found for id " + source_id);
    if (text(*source, "origin_type") != "link") {
      static constexpr std::array<const char*, 7> kKeep = {
          "id", "parent_id", "user_id", "task_tree_id", "origin_type", "created_at", "updated_at"};
      auto& a = source->GetAllocator();
      for (const char* key : kKeep) {
        source->RemoveMember(key);
        auto it = row.FindMember(key);
        if (it != row.MemberEnd()) source->AddMember(Value(key, a), Value(it->value, a), a);
      }
      source->RemoveMember("original_task_id");
      source->AddMember("original_task_id", Value(source_id.c_str(), a), a);
      strip_internal(*source);
      return std::move(*source);
    }
    source_id = text(*source, "original_task_id");
  }
  throw Error("GENERAL_INTERNAL_ERROR",
              "Max iterations reached while finding original task for link. Possible circular "
              "reference.");
}

}  // namespace apflow::engine::rows
