// apcore id rules for modules and the executor ids that become `apflow.<id>` modules.
#pragma once

#include <string>
#include <string_view>

namespace apflow::registry {

inline constexpr size_t kMaxModuleIdLength = 192;

// Throws Error(INVALID_MODULE_ID) saying which rule `id` breaks (apcore §1.2, in its order:
// empty, pattern, length, reserved first segment). `internal` allows the reserved `system.*`.
void check_module_id(std::string_view id, bool internal = false);

// Executor and plugin ids: one lowercase segment, [a-z][a-z0-9_]*, at most 64 characters.
// Throws Error(INVALID_MODULE_ID) naming `what` ("executor id", "plugin id").
void check_simple_id(std::string_view id, std::string_view what);

// The module id under which executor `executor_id` is callable directly.
std::string executor_module_id(std::string_view executor_id);

}  // namespace apflow::registry
