#include "mcp/tool_catalog.h"

#include <algorithm>

namespace apflow::plugins::mcp {
namespace {

using Alloc = rapidjson::Document::AllocatorType;

// JSON Schema as agents should see it: apcore's x-llm-description replaces description, and
// other x-* extension keywords are left out.
rapidjson::Value clean_schema(const rapidjson::Value& schema, Alloc& alloc) {
  if (schema.IsArray()) {
    rapidjson::Value out(rapidjson::kArrayType);
    for (const auto& item : schema.GetArray()) out.PushBack(clean_schema(item, alloc), alloc);
    return out;
  }
  if (!schema.IsObject()) return rapidjson::Value(schema, alloc);
  rapidjson::Value out(rapidjson::kObjectType);
  const auto llm = schema.FindMember("x-llm-description");
  for (const auto& member : schema.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key.substr(0, 2) == "x-") continue;
    if (key == "description" && llm != schema.MemberEnd()) continue;
    out.AddMember(rapidjson::Value(member.name, alloc), clean_schema(member.value, alloc), alloc);
  }
  if (llm != schema.MemberEnd()) {
    out.AddMember("description", rapidjson::Value(llm->value, alloc), alloc);
  }
  return out;
}

bool is_object_schema(const rapidjson::Value& schema) {
  if (!schema.IsObject()) return false;
  auto type = schema.FindMember("type");
  return type != schema.MemberEnd() && type->value.IsString() &&
         std::string_view(type->value.GetString()) == "object";
}

rapidjson::Value input_schema(const rapidjson::Value& module, Alloc& alloc) {
  auto it = module.FindMember("input_schema");
  rapidjson::Value schema = it != module.MemberEnd() && it->value.IsObject()
                                ? clean_schema(it->value, alloc)
                                : rapidjson::Value(rapidjson::kObjectType);
  // MCP requires an object schema; apcore's {} means exactly that.
  if (!schema.HasMember("type")) schema.AddMember("type", "object", alloc);
  return schema;
}

rapidjson::Value hints(const rapidjson::Value& module, const std::string& title, Alloc& alloc) {
  const auto it = module.FindMember("annotations");
  static const rapidjson::Value kNone(rapidjson::kObjectType);
  const rapidjson::Value& a = it != module.MemberEnd() ? it->value : kNone;
  rapidjson::Value out(rapidjson::kObjectType);
  out.AddMember("title", rapidjson::Value(title.c_str(), alloc), alloc);
  out.AddMember("readOnlyHint", sdk::get_bool(a, "readonly"), alloc);
  // MCP assumes destructive and open-world when a hint is missing, so all four are sent.
  out.AddMember("destructiveHint", sdk::get_bool(a, "destructive"), alloc);
  out.AddMember("idempotentHint", sdk::get_bool(a, "idempotent"), alloc);
  out.AddMember("openWorldHint", sdk::get_bool(a, "open_world", true), alloc);
  return out;
}

rapidjson::Value meta(const rapidjson::Value& module, Alloc& alloc) {
  rapidjson::Value out(rapidjson::kObjectType);
  out.AddMember("apcore/moduleId",
                rapidjson::Value(sdk::get_string(module, "module_id").c_str(), alloc), alloc);
  const auto it = module.FindMember("annotations");
  if (it != module.MemberEnd()) {
    if (sdk::get_bool(it->value, "requires_approval"))
      out.AddMember("requiresApproval", true, alloc);
    if (sdk::get_bool(it->value, "streaming")) out.AddMember("streaming", true, alloc);
  }
  return out;
}

// The module's own name when it has one, else its description's first sentence.
std::string title_of(const rapidjson::Value& module) {
  std::string title = sdk::get_string(module, "name");
  if (!title.empty()) return title;
  title = sdk::get_string(module, "description");
  const size_t end = title.find_first_of(".\n");
  return title.substr(0, end);
}

}  // namespace

std::string tool_name(std::string_view module_id) {
  std::string name(module_id);
  std::replace(name.begin(), name.end(), '.', '_');
  if (name.empty() || name.size() > 64) return {};
  const bool valid = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return valid ? name : std::string();
}

sdk::Json tool_entry(const rapidjson::Value& module, const std::string& name) {
  sdk::Json tool = sdk::make_object();
  auto& alloc = tool.GetAllocator();
  const std::string title = title_of(module);
  tool.AddMember("name", rapidjson::Value(name.c_str(), alloc), alloc);
  tool.AddMember("title", rapidjson::Value(title.c_str(), alloc), alloc);
  tool.AddMember("description",
                 rapidjson::Value(sdk::get_string(module, "description").c_str(), alloc), alloc);
  tool.AddMember("inputSchema", input_schema(module, alloc), alloc);
  // Clients check structuredContent against outputSchema, which MCP wants an object schema.
  const auto output = module.FindMember("output_schema");
  if (output != module.MemberEnd() && is_object_schema(output->value)) {
    tool.AddMember("outputSchema", clean_schema(output->value, alloc), alloc);
  }
  tool.AddMember("annotations", hints(module, title, alloc), alloc);
  tool.AddMember("_meta", meta(module, alloc), alloc);
  return tool;
}

ToolCatalog::ToolCatalog(const rapidjson::Value& modules) {
  std::vector<Tool> tools;
  if (modules.IsArray()) {
    for (const auto& module : modules.GetArray()) {
      const std::string id = sdk::get_string(module, "module_id");
      const std::string name = tool_name(id);
      if (name.empty()) {
        skipped_.push_back(id + ": its tool name would not match ^[a-zA-Z0-9_-]{1,64}$");
        continue;
      }
      tools.push_back(Tool{name, id, sdk::to_json(tool_entry(module, name))});
    }
  }
  std::stable_sort(tools.begin(), tools.end(),
                   [](const Tool& a, const Tool& b) { return a.name < b.name; });
  for (auto& tool : tools) {
    if (by_name_.count(tool.name) != 0) {
      skipped_.push_back(tool.module_id + ": its tool name " + tool.name + " is taken by " +
                         tools_[by_name_.find(tool.name)->second].module_id);
      continue;
    }
    by_name_.emplace(tool.name, tools_.size());
    by_module_.emplace(tool.module_id, tools_.size());
    tools_.push_back(std::move(tool));
  }
}

const Tool* ToolCatalog::find(std::string_view name_or_id) const {
  if (auto it = by_name_.find(name_or_id); it != by_name_.end()) return &tools_[it->second];
  if (auto it = by_module_.find(name_or_id); it != by_module_.end()) return &tools_[it->second];
  return nullptr;
}

std::vector<const Tool*> ToolCatalog::page(size_t offset, size_t limit) const {
  std::vector<const Tool*> out;
  for (size_t i = offset; i < tools_.size() && out.size() < limit; ++i) out.push_back(&tools_[i]);
  return out;
}

}  // namespace apflow::plugins::mcp
