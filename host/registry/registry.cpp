#include "registry/registry.h"

#include <algorithm>
#include <mutex>

#include "core/error.h"
#include "registry/module_id.h"

namespace apflow::registry {

void Registry::add(ModuleRecord record, bool internal) {
  check_module_id(record.id, internal);
  if (record.kind == ModuleKind::kExecutor) check_simple_id(record.executor_id, "executor id");
  if (record.description.empty()) {
    throw Error(codes::kGeneralInvalidInput,
                "module '" + record.id + "' has no description; give it one or two sentences");
  }
  auto shared = std::make_shared<const ModuleRecord>(std::move(record));
  std::unique_lock lock(mutex_);
  if (auto it = modules_.find(shared->id); it != modules_.end()) {
    throw Error(
        codes::kDuplicateModuleId,
        "module id '" + shared->id + "' is already registered by '" + it->second->owner + "'");
  }
  if (shared->kind == ModuleKind::kExecutor) {
    if (auto it = executors_.find(shared->executor_id); it != executors_.end()) {
      throw Error(codes::kDuplicateModuleId, "executor id '" + shared->executor_id +
                                                 "' is already registered by '" +
                                                 it->second->owner + "'");
    }
    executors_.emplace(shared->executor_id, shared);
  }
  modules_.emplace(shared->id, shared);
}

void Registry::remove_owner(std::string_view owner) {
  std::unique_lock lock(mutex_);
  std::erase_if(modules_, [&](const auto& entry) { return entry.second->owner == owner; });
  std::erase_if(executors_, [&](const auto& entry) { return entry.second->owner == owner; });
}

ModulePtr Registry::find(std::string_view module_id) const {
  std::shared_lock lock(mutex_);
  auto it = modules_.find(module_id);
  return it == modules_.end() ? nullptr : it->second;
}

ModulePtr Registry::find_executor(std::string_view executor_id) const {
  std::shared_lock lock(mutex_);
  auto it = executors_.find(executor_id);
  return it == executors_.end() ? nullptr : it->second;
}

std::vector<ModulePtr> Registry::list(std::string_view prefix,
                                      const std::vector<std::string>& tags) const {
  std::shared_lock lock(mutex_);
  std::vector<ModulePtr> out;
  for (auto it = modules_.lower_bound(prefix); it != modules_.end(); ++it) {
    if (!it->first.starts_with(prefix)) break;
    const auto& module_tags = it->second->tags;
    const bool has_all = std::all_of(tags.begin(), tags.end(), [&](const std::string& tag) {
      return std::find(module_tags.begin(), module_tags.end(), tag) != module_tags.end();
    });
    if (has_all) out.push_back(it->second);
  }
  return out;
}

std::vector<std::string> Registry::executor_ids() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (const auto& entry : executors_) out.push_back(entry.first);
  return out;
}

size_t Registry::size() const {
  std::shared_lock lock(mutex_);
  return modules_.size();
}

std::string Registry::descriptors_json(std::string_view prefix,
                                       const std::vector<std::string>& tags) const {
  std::string out = "[";
  for (const auto& module : list(prefix, tags)) {
    if (out.size() > 1) out += ',';
    out += module->descriptor_json();
  }
  out += ']';
  return out;
}

}  // namespace apflow::registry
