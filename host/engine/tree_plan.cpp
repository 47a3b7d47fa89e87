#include "engine/tree_plan.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "core/error.h"
#include "core/json_text.h"
#include "durability/retry_policy.h"
#include "engine/clock.h"
#include "engine/ids.h"
#include "engine/schedule_fields.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

using rapidjson::Value;

[[noreturn]] void invalid(const std::string& message) {
  throw Error(codes::kGeneralInvalidInput, message);
}

const Value* member(const Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

struct Dependency {
  std::string id;
  bool required = true;
};

struct Draft {
  const Value* source = nullptr;
  std::string id, name, parent_id, tree_id;
  std::vector<Dependency> deps;
  std::vector<size_t> children;
  bool has_parent = false;
};

const std::set<std::string> kTaskFields = {
    "name",          "id",           "parent_id",        "priority",
    "inputs",        "params",       "dependencies",     "token_budget",
    "cost_policy",   "max_attempts", "schemas",          "user_id",
    "task_tree_id",  "timeout_ms",   "backoff_strategy", "backoff_base_ms",
    "backoff_max_ms"};

void check_field_types(const Value& task, size_t i) {
  const std::string at = "Task at index " + std::to_string(i);
  for (const auto& m : task.GetObject()) {
    if (!kTaskFields.contains(m.name.GetString()) && !schedule::is_field(m.name.GetString())) {
      invalid(at + " has unknown field '" + std::string(m.name.GetString()) + "'");
    }
  }
  for (const char* key : {"inputs", "params", "schemas"}) {
    if (const Value* v = member(task, key); v && !v->IsObject()) {
      invalid(at + " field '" + key + "' must be an object");
    }
  }
  if (const Value* v = member(task, "priority");
      v && (!v->IsInt() || v->GetInt() < 0 || v->GetInt() > 3)) {
    invalid(at + " has priority " + json_text(*v) + "; use 0 (most urgent) to 3 (lowest)");
  }
  if (const Value* v = member(task, "max_attempts");
      v && (!v->IsInt() || v->GetInt() < 1 || v->GetInt() > 100)) {
    invalid(at + " has max_attempts " + json_text(*v) + "; use an integer from 1 to 100");
  }
  if (const Value* v = member(task, "timeout_ms"); v && (!v->IsInt64() || v->GetInt64() < 1)) {
    invalid(at + " has timeout_ms " + json_text(*v) + "; use a positive integer");
  }
  if (const Value* v = member(task, "backoff_strategy");
      v && (!v->IsString() || !durability::parse_backoff(v->GetString()))) {
    invalid(at + " has backoff_strategy " + json_text(*v) + "; use fixed, linear or exponential");
  }
  for (const char* key : {"backoff_base_ms", "backoff_max_ms"}) {
    if (const Value* v = member(task, key); v && (!v->IsInt64() || v->GetInt64() < 1)) {
      invalid(at + " has " + key + " " + json_text(*v) + "; use a positive number of milliseconds");
    }
  }
  if (const Value* v = member(task, "token_budget"); v && (!v->IsInt64() || v->GetInt64() < 0)) {
    invalid(at + " has token_budget " + json_text(*v) + "; use an integer >= 0");
  }
  for (const char* key : {"cost_policy", "user_id", "task_tree_id"}) {
    if (const Value* v = member(task, key); v && !v->IsString()) {
      invalid(at + " field '" + key + "' must be a string");
    }
  }
  if (const Value* v = member(task, "dependencies"); v && !v->IsArray()) {
    invalid(at + " field 'dependencies' must be an array");
  }
}

class Planner {
 public:
  Planner(const Value& tasks, const TreeOptions& options) : tasks_(tasks), options_(options) {}

  void read_tasks();
  void resolve_references();
  void assign_tree_ids();
  void check_dependency_cycles() const;
  void check_wait_cycles() const;
  TreePlan build(const std::string& now_iso, RowWriter* rows_out) const;

 private:
  std::optional<size_t> lookup(const std::string& ref) const {
    if (auto it = by_id_.find(ref); it != by_id_.end()) return it->second;
    if (auto it = by_name_.find(ref); it != by_name_.end()) return it->second;
    return std::nullopt;
  }
  void preorder(size_t i, std::vector<std::string>& out) const {
    out.push_back(drafts_[i].id);
    for (size_t c : drafts_[i].children) preorder(c, out);
  }
  // `scratch` builds the row, which is then copied into the plan at its exact size.
  void add_row(TreePlan& plan, const Draft& d, const std::string& now_iso,
               rapidjson::MemoryPoolAllocator<>& scratch, RowWriter* rows_out) const;

  const Value& tasks_;
  const TreeOptions& options_;
  std::vector<Draft> drafts_;
  std::map<std::string, size_t> by_id_, by_name_;
};

void Planner::read_tasks() {
  if (!tasks_.IsArray()) invalid("tasks must be an array of task objects");
  if (tasks_.Empty()) invalid("Tasks array cannot be empty");
  const bool has_root = std::any_of(tasks_.Begin(), tasks_.End(), [](const Value& t) {
    return !t.IsObject() || member(t, "parent_id") == nullptr;
  });
  if (!has_root) {
    invalid(
        "No root task found (task with no parent_id). At least one task in the array must have "
        "parent_id=None or no parent_id field.");
  }
  for (rapidjson::SizeType i = 0; i < tasks_.Size(); ++i) {
    const Value& task = tasks_[i];
    if (!task.IsObject()) invalid("Task at index " + std::to_string(i) + " must be an object");
    check_field_types(task, i);
    Draft d;
    d.source = &task;
    const Value* name = member(task, "name");
    if (name == nullptr || !name->IsString() || name->GetStringLength() == 0) {
      invalid("Task at index " + std::to_string(i) + " must have a 'name' field");
    }
    d.name = name->GetString();
    if (by_name_.contains(d.name)) {
      invalid("Duplicate task name '" + d.name + "' at index " + std::to_string(i));
    }
    if (const Value* id = member(task, "id")) {
      if (!id->IsString() || id->GetStringLength() == 0) {
        invalid("Task at index " + std::to_string(i) + " has an id that is not a non-empty string");
      }
      d.id = id->GetString();
      if (by_id_.contains(d.id)) {
        invalid("Duplicate task id '" + d.id + "' at index " + std::to_string(i));
      }
    } else {
      d.id = new_task_id();
    }
    by_name_[d.name] = i;
    by_id_[d.id] = i;
    drafts_.push_back(std::move(d));
  }
}

void Planner::resolve_references() {
  for (size_t i = 0; i < drafts_.size(); ++i) {
    Draft& d = drafts_[i];
    const std::string at = "Task at index " + std::to_string(i);
    if (const Value* parent = member(*d.source, "parent_id")) {
      const std::string ref = parent->IsString() ? parent->GetString() : json_text(*parent);
      auto found = parent->IsString() ? lookup(ref) : std::nullopt;
      if (!found) invalid(at + " has parent_id '" + ref + "' which is not in the task array.");
      d.parent_id = drafts_[*found].id;
      d.has_parent = true;
      drafts_[*found].children.push_back(i);
    }
    const Value* deps = member(*d.source, "dependencies");
    if (deps == nullptr) continue;
    for (const Value& dep : deps->GetArray()) {
      std::string ref;
      bool required = true;
      if (dep.IsString()) {
        ref = dep.GetString();
      } else if (dep.IsObject()) {
        const Value* key = member(dep, "id") ? member(dep, "id") : member(dep, "name");
        ref = key && key->IsString() ? key->GetString() : json_text(dep);
        if (const Value* r = member(dep, "required")) {
          if (!r->IsBool()) invalid(at + " has a dependency whose 'required' is not true/false");
          required = r->GetBool();
        }
      } else {
        ref = json_text(dep);
      }
      auto found = lookup(ref);
      if (!found || (!dep.IsString() && !dep.IsObject())) {
        invalid(at + " has dependency reference '" + ref +
                "' which is not a valid id or name in the task array.");
      }
      const std::string& dep_id = drafts_[*found].id;
      const bool seen = std::any_of(d.deps.begin(), d.deps.end(),
                                    [&](const Dependency& x) { return x.id == dep_id; });
      if (!seen) d.deps.push_back({dep_id, required});
    }
  }
}

void Planner::assign_tree_ids() {
  std::map<std::string, std::string> root_of_tree;
  for (size_t i = 0; i < drafts_.size(); ++i) {
    Draft& d = drafts_[i];
    if (d.has_parent) continue;
    const Value* supplied = member(*d.source, "task_tree_id");
    d.tree_id = supplied ? supplied->GetString() : d.id;
    if (!root_of_tree.emplace(d.tree_id, d.id).second) {
      invalid("Different root tasks cannot share the same task_tree_id");
    }
  }
  for (size_t i = 0; i < drafts_.size(); ++i) {
    // Follow parent_id up to a root; a chain that revisits a task never reaches one.
    std::vector<size_t> chain;
    size_t at = i;
    while (drafts_[at].tree_id.empty()) {
      if (std::find(chain.begin(), chain.end(), at) != chain.end()) {
        std::string path;
        for (size_t c : chain) path += "'" + drafts_[c].name + "' -> ";
        invalid("Task '" + drafts_[i].name + "' (id: " + drafts_[i].id +
                ") is in a parent_id cycle: " + path + "'" + drafts_[at].name +
                "'. Every chain of parent_id must end at a root task.");
      }
      chain.push_back(at);
      at = by_id_.at(drafts_[at].parent_id);
    }
    for (size_t c : chain) drafts_[c].tree_id = drafts_[at].tree_id;
  }
}

// Depth-first search for a cycle over `next(i)`; returns the cycle's nodes or nothing.
template <typename Next>
std::vector<size_t> find_cycle(size_t count, Next&& next) {
  std::vector<int> state(count, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<size_t> stack;
  std::vector<size_t> cycle;
  std::function<bool(size_t)> visit = [&](size_t i) {
    state[i] = 1;
    stack.push_back(i);
    for (size_t j : next(i)) {
      if (state[j] == 1) {
        cycle.assign(std::find(stack.begin(), stack.end(), j), stack.end());
        return true;
      }
      if (state[j] == 0 && visit(j)) return true;
    }
    stack.pop_back();
    state[i] = 2;
    return false;
  };
  for (size_t i = 0; i < count; ++i) {
    if (state[i] == 0 && visit(i)) return cycle;
  }
  return {};
}

void Planner::check_dependency_cycles() const {
  auto cycle = find_cycle(drafts_.size(), [this](size_t i) {
    std::vector<size_t> out;
    for (const auto& dep : drafts_[i].deps) out.push_back(by_id_.at(dep.id));
    return out;
  });
  if (!cycle.empty()) {
    invalid("Circular dependency detected involving task '" + drafts_[cycle.front()].id +
            "'. Tasks cannot have circular dependencies as this would cause infinite loops.");
  }
}

void Planner::check_wait_cycles() const {
  if (!options_.parent_after_children) return;
  auto cycle = find_cycle(drafts_.size(), [this](size_t i) {
    std::vector<size_t> out = drafts_[i].children;
    for (const auto& dep : drafts_[i].deps) out.push_back(by_id_.at(dep.id));
    return out;
  });
  if (cycle.empty()) return;
  std::string path;
  for (size_t c : cycle) path += "'" + drafts_[c].name + "' -> ";
  invalid("Tasks wait for each other and could never run: " + path + "'" +
          drafts_[cycle.front()].name +
          "' (a parent runs after its children, so a task cannot depend on its own ancestor). "
          "Remove that dependency, or create the tree with parent_after_children false.");
}

void Planner::add_row(TreePlan& plan, const Draft& d, const std::string& now_iso,
                      rapidjson::MemoryPoolAllocator<>& a, RowWriter* rows_out) const {
  Value row(rapidjson::kObjectType);
  auto str = [&a](const std::string& s) { return Value(s.c_str(), a); };
  auto copy_or = [&](const char* key, rapidjson::Type fallback) {
    const Value* v = member(*d.source, key);
    return v ? Value(*v, a) : Value(fallback);
  };
  row.AddMember("id", str(d.id), a);
  row.AddMember("parent_id", d.has_parent ? str(d.parent_id) : Value(), a);
  row.AddMember("task_tree_id", str(d.tree_id), a);
  row.AddMember("user_id", copy_or("user_id", rapidjson::kNullType), a);
  row.AddMember("name", str(d.name), a);
  row.AddMember("status", "pending", a);
  const Value* priority = member(*d.source, "priority");
  row.AddMember("priority", priority ? priority->GetInt() : 2, a);
  Value deps(rapidjson::kArrayType);
  for (const auto& dep : d.deps) {
    Value item(rapidjson::kObjectType);
    item.AddMember("id", str(dep.id), a);
    item.AddMember("required", dep.required, a);
    deps.PushBack(item, a);
  }
  row.AddMember("dependencies", deps, a);
  row.AddMember("inputs", copy_or("inputs", rapidjson::kObjectType), a);
  row.AddMember("params", copy_or("params", rapidjson::kObjectType), a);
  row.AddMember("schemas", copy_or("schemas", rapidjson::kObjectType), a);
  row.AddMember("progress", 0.0, a);
  row.AddMember("has_children", !d.children.empty(), a);
  row.AddMember("origin_type", "create", a);
  const Value* max_attempts = member(*d.source, "max_attempts");
  row.AddMember("max_attempts", max_attempts ? max_attempts->GetInt() : options_.max_attempts, a);
  row.AddMember("attempt_count", 0, a);
  row.AddMember("token_budget", copy_or("token_budget", rapidjson::kNullType), a);
  row.AddMember("cost_policy", copy_or("cost_policy", rapidjson::kNullType), a);
  row.AddMember("timeout_ms", copy_or("timeout_ms", rapidjson::kNullType), a);
  for (const char* key : {"backoff_strategy", "backoff_base_ms", "backoff_max_ms"}) {
    if (member(*d.source, key) != nullptr)
      row.AddMember(rapidjson::StringRef(key), copy_or(key, rapidjson::kNullType), a);
  }
  row.AddMember("failure_policy", str(options_.failure_policy), a);
  row.AddMember("injection", str(options_.injection), a);
  row.AddMember("created_at", str(now_iso), a);
  row.AddMember("updated_at", str(now_iso), a);
  schedule::add_columns(*d.source, "Task '" + d.name + "'", now_ms(), row, a);
  if (rows_out != nullptr) {
    row.Accept(*rows_out);
  } else {
    // Built objects reserve room for 16 members and grow by half: the copy is exact.
    plan.rows.PushBack(Value(row, plan.rows.GetAllocator()), plan.rows.GetAllocator());
  }

  auto& ea = plan.edges.GetAllocator();
  auto edge = [&](const std::string& from, const std::string& to, const char* kind) {
    rows::push_edge(plan.edges, ea, from, to, kind);
  };
  for (const auto& dep : d.deps) edge(d.id, dep.id, dep.required ? "required" : "optional");
  if (options_.parent_after_children) {
    // A child the parent also depends on keeps the dependency's kind (required or optional).
    for (size_t c : d.children) {
      const bool is_dependency = std::any_of(
          d.deps.begin(), d.deps.end(), [&](const auto& dep) { return dep.id == drafts_[c].id; });
      if (!is_dependency) edge(d.id, drafts_[c].id, "child");
    }
  }
}

TreePlan Planner::build(const std::string& now_iso, RowWriter* rows_out) const {
  TreePlan plan;
  plan.rows.SetArray();
  plan.edges.SetArray();
  std::vector<char> buffer(64 * 1024);
  rapidjson::MemoryPoolAllocator<> scratch(buffer.data(), buffer.size());
  for (size_t i = 0; i < drafts_.size(); ++i) {
    const Draft& d = drafts_[i];
    add_row(plan, d, now_iso, scratch, rows_out);
    scratch.Clear();
    plan.all_ids.push_back(d.id);
    if (!d.has_parent) {
      plan.root_ids.push_back(d.id);
      plan.tree_ids.push_back(d.tree_id);
      if (plan.first_tree_ids.empty()) preorder(i, plan.first_tree_ids);
    }
  }
  return plan;
}

}  // namespace

void check_tree_options(const TreeOptions& options) {
  if (options.failure_policy != "fail" && options.failure_policy != "skip" &&
      options.failure_policy != "continue") {
    invalid("failure_policy '" + options.failure_policy + "' is not one of fail, skip, continue");
  }
  if (options.injection != "by_id" && options.injection != "merge") {
    invalid("injection '" + options.injection + "' is not one of by_id, merge");
  }
}

TreePlan plan_tree(const Value& tasks, const TreeOptions& options, const std::string& now_iso,
                   RowWriter* rows_out) {
  check_tree_options(options);
  Planner planner(tasks, options);
  planner.read_tasks();
  planner.resolve_references();
  planner.assign_tree_ids();
  planner.check_dependency_cycles();
  planner.check_wait_cycles();
  return planner.build(now_iso, rows_out);
}

}  // namespace apflow::engine
