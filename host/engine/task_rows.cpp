#include "engine/task_rows.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/error.h"
#include "core/json_text.h"

namespace apflow::engine::rows {
namespace {

// The store's bookkeeping, never shown to users.
constexpr std::array<std::string_view, 3> kInternal = {"blockers", "seq", "queued"};

// Asked of every member of every row shown: lengths first, as nearly no name has theirs.
bool is_internal(std::string_view key) {
  return std::any_of(kInternal.begin(), kInternal.end(), [key](std::string_view internal) {
    return internal.size() == key.size() &&
           std::memcmp(internal.data(), key.data(), key.size()) == 0;
  });
}

// The get_tasks request for one id.
std::string ids_request(const std::string& id) {
  const Value quoted(rapidjson::StringRef(id.data(), id.size()));
  return R"({"ids":[)" + json_text(quoted) + "]}";
}

// A value of a store's response made the root of its document: no copy, it stays in its pool.
void make_root(rapidjson::Document& response, Value& row) {
  Value taken;
  taken.Swap(row);
  static_cast<Value&>(response).Swap(taken);
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// `end` moved back over white space.
size_t skip_space_back(std::string_view text, size_t end) {
  while (end > 0 && is_space(text[end - 1])) --end;
  return end;
}

// The text of `row` without its bookkeeping members, cut from `text`: the store's answer
// {"tasks":[row]} that `row` was parsed from in place, at `base` (so a member's name points to
// just past its opening quote in both). Empty when the text is not laid out so. The members
// kept are copied a run at a time, what separates them included: a member at a time cost more
// than the copy.
std::string cut_row(std::string_view text, const char* base, const Value& row) {
  size_t end = text.size();
  for (const char closing : {'}', ']', '}'}) {  // the answer's, the array's, the row's
    end = skip_space_back(text, end);
    if (end == 0 || text[end - 1] != closing) return {};
    --end;
  }
  const size_t row_close = end;  // where the row's '}' is
  if (row.MemberCount() == 0) return {};
  std::string out;
  out.reserve(text.size());
  out += '{';
  size_t run_start = 0;  // the run of kept members not copied yet, when run_stop > 0
  size_t run_stop = 0;
  auto copy_run = [&] {
    if (run_stop == 0) return;
    if (out.size() > 1) out += ',';
    out.append(text.substr(run_start, run_stop - run_start));
    run_stop = 0;
  };
  for (auto member = row.MemberBegin(); member != row.MemberEnd(); ++member) {
    const char* name = member->name.GetString();
    if (name <= base || name >= base + text.size()) return {};
    const auto start = static_cast<size_t>(name - base) - 1;
    if (text[start] != '"') return {};
    size_t stop = row_close;
    if (member + 1 != row.MemberEnd()) {
      stop = skip_space_back(text, static_cast<size_t>((member + 1)->name.GetString() - base) - 1);
      if (stop == 0 || text[stop - 1] != ',') return {};
      --stop;
    }
    stop = skip_space_back(text, stop);
    if (stop <= start) return {};
    if (is_internal({member->name.GetString(), member->name.GetStringLength()})) {
      copy_run();
      continue;
    }
    if (run_stop == 0) run_start = start;
    run_stop = stop;
  }
  copy_run();
  out += '}';
  return out;
}

}  // namespace

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
  make_root(response, response["tasks"][0]);
  return response;
}

rapidjson::Document require(const Store& store, const std::string& id) {
  auto row = find(store, id);
  if (!row) throw Error("TASK_NOT_FOUND", "Task '" + id + "' not found");
  return std::move(*row);
}

rapidjson::Document tree_rows(const Store& store, const std::string& tree_id,
                              const std::vector<std::string_view>& fields, RowOrder order) {
  rapidjson::Document request;
  request.Parse(order == RowOrder::kByPriority
                    ? R"({"limit":100000000,"order":"priority","count":false})"
                    : R"({"limit":100000000,"order":"none","count":false})");
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
  make_root(response, response["tasks"]);
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
  for (auto member = row.MemberBegin(); member != row.MemberEnd();) {
    member = is_internal({member->name.GetString(), member->name.GetStringLength()})
                 ? row.EraseMember(member)
                 : member + 1;
  }
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
  return resolve_link(store, std::move(out));
}

rapidjson::Document resolve_link(const Store& store, rapidjson::Document&& row) {
  if (text(row, "origin_type") != "link") {
    strip_internal(row);
    return std::move(row);
  }
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

ShownTask shown_task(const Store& store, const std::string& id) {
  const std::string response = store.call_text(Store::Op::kGetTasks, ids_request(id));
  // One allocation for the copy parsed in place and for room for the document's pool (which
  // grows past it if it must), instead of the 64 KiB first chunk of a document's own pool.
  const size_t room = 2 * response.size() + 1024;
  ShownTask shown;
  shown.buffer.reset(new char[room + response.size() + 1]);  // not zeroed: nothing needs it
  char* const copy = shown.buffer.get() + room;
  std::memcpy(copy, response.c_str(), response.size() + 1);
  shown.pool = std::make_unique<rapidjson::MemoryPoolAllocator<>>(shown.buffer.get(), room);
  shown.row = rapidjson::Document(shown.pool.get());
  rapidjson::Document& doc = shown.row;
  doc.ParseInsitu(copy);
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("tasks") ||
      !doc["tasks"].IsArray()) {
    throw Error("STORAGE_ERROR", "the " + store.backend_id() + " store answered with invalid JSON");
  }
  auto tasks = doc.FindMember("tasks");
  if (tasks->value.Empty() || !tasks->value[0].IsObject()) {
    throw Error("TASK_NOT_FOUND", "Task '" + id + "' not found");
  }
  Value& row = tasks->value[0];
  if (text(row, "origin_type") != "link" && doc.MemberCount() == 1 && tasks->value.Size() == 1) {
    shown.text = cut_row(response, copy, row);
  }
  if (shown.text.empty()) {  // a link, or a layout cut_row does not know: written again
    shown.row = resolve_link(store, row);  // a copy, in a document of its own
    shown.text = json_text(shown.row);
    return shown;
  }
  strip_internal(row);
  make_root(doc, row);
  return shown;
}

}  // namespace apflow::engine::rows
