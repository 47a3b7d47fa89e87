// Registry: the one catalogue of modules, filled by plugins and by the host itself.
// Thread-safe: lookups may run concurrently with registration.
// May include core/ and schema/; never protocol, storage or plugin-loading code.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "registry/module_record.h"

namespace apflow::registry {

using ModulePtr = std::shared_ptr<const ModuleRecord>;

class Registry {
 public:
  // Adds a module after checking its id (apcore rules) and that the id is free. Executors are
  // also indexed by executor id. Throws Error(INVALID_MODULE_ID / DUPLICATE_MODULE_ID).
  // `internal` allows the reserved `system.*` namespace (the host's own modules only).
  void add(ModuleRecord record, bool internal = false);

  // Removes every module an owner registered (a plugin whose init failed halfway).
  void remove_owner(std::string_view owner);

  ModulePtr find(std::string_view module_id) const;
  ModulePtr find_executor(std::string_view executor_id) const;

  // Modules sorted by id whose id starts with `prefix` and that carry every tag in `tags`.
  std::vector<ModulePtr> list(std::string_view prefix = {},
                              const std::vector<std::string>& tags = {}) const;
  std::vector<std::string> executor_ids() const;
  size_t size() const;

  // JSON array of the descriptors of list(prefix, tags).
  std::string descriptors_json(std::string_view prefix = {},
                               const std::vector<std::string>& tags = {}) const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, ModulePtr, std::less<>> modules_;
  std::map<std::string, ModulePtr, std::less<>> executors_;
};

}  // namespace apflow::registry
