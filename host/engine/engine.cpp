#include "engine/engine.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/error.h"
#include "core/json_text.h"
#include "engine/clock.h"
#include "engine/ids.h"
#include "engine/task_rows.h"
#include "engine/tree_plan.h"

namespace apflow::engine {
namespace {

// More than a created task's row takes as text unless its inputs or params are large.
constexpr size_t kReservedRowBytes = 1024;

std::string default_node_id() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + new_task_id().substr(0, 8);
}

std::string option(const Value& input, const char* key, const std::string& fallback) {
  auto it = input.FindMember(key);
  return it != input.MemberEnd() && it->value.IsString() ? it->value.GetString() : fallback;
}

void add_string_array(Json& out, const char* key, const std::vector<std::string>& items) {
  auto& a = out.GetAllocator();
  Value array(rapidjson::kArrayType);
  for (const auto& item : items) array.PushBack(Value(item.c_str(), a), a);
  out.AddMember(Value(key, a), array, a);
}

// The ids and tree ids the store already holds, checked before creating (reference §2.1 step 8).
void check_not_stored(const Store& store, const TreePlan& plan) {
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  Value ids(rapidjson::kArrayType);
  for (const auto& id : plan.all_ids) ids.PushBack(Value(id.c_str(), a), a);
  request.AddMember("ids", ids, a);
  auto found = store.call(Store::Op::kGetTasks, request);
  if (!found["tasks"].Empty()) {
    throw Error("TASK_EXISTS", "Task id already exists in database (id: " +
                                   rows::text(found["tasks"][0], "id") + ").");
  }
  for (size_t i = 0; i < plan.root_ids.size(); ++i) {
    if (plan.tree_ids[i] == plan.root_ids[i]) continue;
    Json query(rapidjson::kObjectType);
    query.AddMember("task_tree_id", Value(plan.tree_ids[i].c_str(), query.GetAllocator()),
                    query.GetAllocator());
    query.AddMember("limit", 0, query.GetAllocator());
    if (store.call(Store::Op::kQueryTasks, query)["total"].GetInt64() > 0) {
      throw Error("TASK_EXISTS",
                  "Task tree id already exists in database (tree_id: " + plan.tree_ids[i] + ").");
    }
  }
}

}  // namespace

Engine::Engine(const registry::Registry& registry, registry::CallPipeline& pipeline,
               EventBus& events, EngineConfig config, StoreFactory open_store)
    : registry_(registry),
      pipeline_(pipeline),
      events_(events),
      config_(std::move(config)),
      open_store_(std::move(open_store)),
      breakers_(std::make_shared<durability::Breakers>(config_.breaker)),
      waiters_(events) {
  if (config_.node_id.empty()) config_.node_id = default_node_id();
}

Engine::~Engine() {
  stop();
}

const Store& Engine::store() {
  std::call_once(opened_, [this] {
    store_ = open_store_();
    trees_ = std::make_unique<TreeTracker>(*store_, events_);
    scheduler_ = std::make_unique<Scheduler>(*store_, registry_, pipeline_, events_, *trees_,
                                             config_, breakers_);
    // A run ends with a tree_* event: the tree may be executed again from then on.
    run_watch_ = events_.subscribe(
        "",
        [this](std::string_view event) {
          rapidjson::Document doc;
          doc.Parse(event.data(), event.size());
          if (!doc.HasParseError()) set_executing({rows::text(doc, "task_tree_id")}, false);
        },
        /*ends_only=*/true);
  });
  if (!store_) throw Error("STORAGE_ERROR", "the store could not be opened");
  return *store_;
}

void Engine::start() {
  store();
  scheduler_->start();
  std::lock_guard lock(poller_mutex_);
  if (config_.schedule_poll_ms > 0 && !poller_.joinable()) {
    poller_stop_ = false;
    poller_ = std::thread([this] { poll_schedules(); });
  }
}

void Engine::poll_schedules() {
  std::unique_lock lock(poller_mutex_);
  while (!poller_wake_.wait_for(lock, std::chrono::milliseconds(config_.schedule_poll_ms),
                                [this] { return poller_stop_; })) {
    lock.unlock();
    try {
      run_due(Json(rapidjson::kObjectType));
    } catch (const std::exception& e) {
      spdlog::error("schedules: {}", e.what());
    }
    lock.lock();
  }
}

void Engine::stop() {
  waiters_.answer_all();  // with the tasks' state now: no run ends after this
  {
    std::lock_guard lock(poller_mutex_);
    poller_stop_ = true;
  }
  poller_wake_.notify_all();
  if (poller_.joinable()) poller_.join();
  if (scheduler_) scheduler_->stop();
  if (run_watch_) events_.unsubscribe(*run_watch_);
  run_watch_.reset();
}

Json Engine::create_tree(const Value& input) {
  TreeOptions options;
  options.max_attempts = config_.default_max_attempts;
  options.failure_policy = option(input, "failure_policy", options.failure_policy);
  options.injection = option(input, "injection", options.injection);
  if (auto it = input.FindMember("parent_after_children");
      it != input.MemberEnd() && it->value.IsBool()) {
    options.parent_after_children = it->value.GetBool();
  }
  auto tasks = input.FindMember("tasks");
  if (tasks == input.MemberEnd() || !tasks->value.IsArray() || tasks->value.Empty()) {
    throw Error(codes::kGeneralInvalidInput, "tasks array must be non-empty");
  }
  // The rows are written to the store's request as they are planned: a large tree is held once,
  // as text, not as a DOM and then text and then the store's DOM.
  rapidjson::StringBuffer request;
  // Room for every row at once: grown by halves instead, a 100,000-task tree's text (~45 MB)
  // was held twice while copied into each larger buffer, the largest part of the run's peak.
  // Room not written to costs no memory.
  request.Reserve(tasks->value.Size() * kReservedRowBytes);
  RowWriter writer(request);
  writer.StartObject();
  writer.Key("tasks");
  writer.StartArray();
  TreePlan plan = plan_tree(tasks->value, options, now_iso(), &writer);
  writer.EndArray();
  writer.Key("edges");
  plan.edges.Accept(writer);
  writer.EndObject();
  Json().Swap(plan.edges);
  const Store& s = store();
  check_not_stored(s, plan);
  s.call(Store::Op::kCreateTasks, std::string_view(request.GetString(), request.GetSize()));

  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  out.AddMember("root_task_id", Value(plan.root_ids.front().c_str(), oa), oa);
  add_string_array(out, "root_task_ids", plan.root_ids);
  out.AddMember("task_count", static_cast<uint64_t>(plan.all_ids.size()), oa);
  add_string_array(out, "task_ids", plan.all_ids);
  return out;
}

Json Engine::create_task(const Value& input) {
  // Plan the task alone, then attach it to what already exists in the store.
  Json alone;
  alone.SetArray();
  Value task(input, alone.GetAllocator());
  task.RemoveMember("parent_id");
  task.RemoveMember("dependencies");
  task.RemoveMember("failure_policy");
  task.RemoveMember("injection");
  alone.PushBack(task, alone.GetAllocator());
  TreeOptions options;
  options.max_attempts = config_.default_max_attempts;
  options.failure_policy = option(input, "failure_policy", options.failure_policy);
  options.injection = option(input, "injection", options.injection);
  TreePlan plan = plan_tree(alone, options, now_iso());
  const Store& s = store();
  check_not_stored(s, plan);
  Value& row = plan.rows[0];
  auto& a = plan.rows.GetAllocator();
  auto& ea = plan.edges.GetAllocator();
  const std::string id = rows::text(row, "id");
  auto add_edge = [&](const std::string& from, const std::string& to, const char* kind) {
    rows::push_edge(plan.edges, ea, from, to, kind);
  };

  std::string parent_id = option(input, "parent_id", "");
  if (!parent_id.empty()) {
    auto parent = rows::find(s, parent_id);
    if (!parent) throw Error("TASK_NOT_FOUND", "Parent task '" + parent_id + "' not found");
    if (rows::text(*parent, "origin_type") == "archive") {
      throw Error("TASK_ARCHIVED", "Task '" + parent_id + "' is archived and read-only");
    }
    row["parent_id"].SetString(parent_id.c_str(), a);
    row["task_tree_id"].SetString(rows::text(*parent, "task_tree_id").c_str(), a);
    add_edge(parent_id, id, "child");
  }
  if (auto deps = input.FindMember("dependencies");
      deps != input.MemberEnd() && deps->value.IsArray()) {
    Value resolved(rapidjson::kArrayType);
    for (const Value& dep : deps->value.GetArray()) {
      const std::string dep_id = dep.IsString() ? dep.GetString() : rows::text(dep, "id");
      if (dep_id.empty() || !rows::find(s, dep_id)) {
        throw Error(codes::kGeneralInvalidInput, "dependency '" +
                                                     (dep_id.empty() ? std::string("?") : dep_id) +
                                                     "' is not an existing task id");
      }
      const bool required = !(dep.IsObject() && dep.HasMember("required") &&
                              dep["required"].IsBool() && !dep["required"].GetBool());
      Value item(rapidjson::kObjectType);
      item.AddMember("id", Value(dep_id.c_str(), a), a);
      item.AddMember("required", required, a);
      resolved.PushBack(item, a);
      add_edge(id, dep_id, required ? "required" : "optional");
    }
    row["dependencies"] = resolved;
  }
  Json request(rapidjson::kObjectType);
  auto& ra = request.GetAllocator();
  request.AddMember("tasks", Value(plan.rows, ra), ra);
  request.AddMember("edges", Value(plan.edges, ra), ra);
  if (!parent_id.empty()) {
    Value parents(rapidjson::kArrayType);
    parents.PushBack(Value(parent_id.c_str(), ra), ra);
    request.AddMember("mark_parents", parents, ra);
  }
  s.call(Store::Op::kCreateTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  for (const char* key : {"id", "name", "status", "created_at", "task_tree_id", "parent_id"}) {
    out.AddMember(Value(key, oa), Value(row[key], oa), oa);
  }
  return out;
}

}  // namespace apflow::engine
