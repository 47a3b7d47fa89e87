// The MCP tools: one per module of the registry, with names agents accept, the schemas, the
// annotations mapped to MCP hints, and the module id in _meta.
#pragma once

#include <apflow/sdk/json.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apflow::plugins::mcp {

struct Tool {
  std::string name;       // apflow_task_create_tree
  std::string module_id;  // apflow.task.create_tree
  std::string json;       // the tools/list entry
};

class ToolCatalog {
 public:
  // Builds the tools from the module descriptors (apcore wire form, Host::list_modules).
  // Modules whose name cannot be made valid, or would collide, are left out and reported in
  // skipped().
  explicit ToolCatalog(const rapidjson::Value& modules);

  // A tool by its name or by its module id (dotted).
  const Tool* find(std::string_view name_or_id) const;
  // Tools in name order from `offset`, at most `limit`.
  std::vector<const Tool*> page(size_t offset, size_t limit) const;
  size_t size() const noexcept { return tools_.size(); }
  const std::vector<std::string>& skipped() const noexcept { return skipped_; }

 private:
  std::vector<Tool> tools_;  // sorted by name
  std::map<std::string, size_t, std::less<>> by_name_, by_module_;
  std::vector<std::string> skipped_;
};

// The tool name of a module id: dots become underscores. Empty when the result does not match
// ^[a-zA-Z0-9_-]{1,64}$, the name rule some MCP hosts enforce for every tool of a server.
std::string tool_name(std::string_view module_id);

// One tools/list entry for a module descriptor (exposed for tests).
sdk::Json tool_entry(const rapidjson::Value& module, const std::string& name);

}  // namespace apflow::plugins::mcp
