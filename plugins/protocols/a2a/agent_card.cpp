#include "a2a/agent_card.h"

#include <cctype>

namespace apflow::plugins::a2a {
namespace {

using Alloc = rapidjson::Document::AllocatorType;

rapidjson::Value str(std::string_view text, Alloc& alloc) {
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
}

rapidjson::Value strings(std::initializer_list<std::string_view> items, Alloc& alloc) {
  rapidjson::Value out(rapidjson::kArrayType);
  for (auto item : items) out.PushBack(str(item, alloc), alloc);
  return out;
}

const rapidjson::Value* find(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string schema_type(const rapidjson::Value& module, const char* key) {
  const rapidjson::Value* schema = find(module, key);
  return schema == nullptr ? std::string() : sdk::get_string(*schema, "type");
}

bool has_schema(const rapidjson::Value& module, const char* key) {
  const rapidjson::Value* schema = find(module, key);
  return schema != nullptr && schema->IsObject() && schema->MemberCount() > 0;
}

// Input and output modes from the schemas, as apcore-a2a derives them.
void add_modes(const rapidjson::Value& module, sdk::Json& skill) {
  auto& alloc = skill.GetAllocator();
  rapidjson::Value in = !has_schema(module, "input_schema") ? strings({"text/plain"}, alloc)
                        : schema_type(module, "input_schema") == "string"
                            ? strings({"application/json", "text/plain"}, alloc)
                            : strings({"application/json"}, alloc);
  skill.AddMember("inputModes", in, alloc);
  skill.AddMember("outputModes",
                  has_schema(module, "output_schema") ? strings({"application/json"}, alloc)
                                                      : strings({"text/plain"}, alloc),
                  alloc);
}

rapidjson::Value examples_of(const rapidjson::Value& module, Alloc& alloc) {
  rapidjson::Value out(rapidjson::kArrayType);
  const rapidjson::Value* examples = find(module, "examples");
  if (examples == nullptr || !examples->IsArray()) return out;
  for (const auto& example : examples->GetArray()) {
    if (out.Size() >= 10) break;
    const std::string title = sdk::get_string(example, "title");
    if (!title.empty()) out.PushBack(str(title, alloc), alloc);
  }
  return out;
}

rapidjson::Value skills_of(const rapidjson::Value& modules, Alloc& alloc) {
  rapidjson::Value out(rapidjson::kArrayType);
  if (!modules.IsArray()) return out;
  for (const auto& module : modules.GetArray()) {
    sdk::Json skill = skill_of(module);
    if (!skill.IsNull()) out.PushBack(rapidjson::Value(skill, alloc), alloc);
  }
  return out;
}

// The fields both card shapes share.
sdk::Json card_base(const rapidjson::Value& modules, const CardSettings& settings) {
  sdk::Json card = sdk::make_object();
  auto& alloc = card.GetAllocator();
  card.AddMember("name", "apflow", alloc);
  card.AddMember("description",
                 "apflow task orchestration engine: every apflow module is a skill; send a "
                 "message with metadata.skillId and the module input as a data part",
                 alloc);
  card.AddMember("version", str(settings.version, alloc), alloc);
  card.AddMember("defaultInputModes", strings({"application/json", "text/plain"}, alloc), alloc);
  card.AddMember("defaultOutputModes", strings({"application/json", "text/plain"}, alloc), alloc);
  card.AddMember("skills", skills_of(modules, alloc), alloc);
  return card;
}

}  // namespace

std::string humanize(const std::string& module_id) {
  std::string out;
  bool word_start = true;
  for (char c : module_id) {
    if (c == '.' || c == '_') {
      out.push_back(' ');
      word_start = true;
      continue;
    }
    out.push_back(word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    word_start = false;
  }
  return out;
}

sdk::Json skill_of(const rapidjson::Value& module) {
  sdk::Json skill;
  const std::string description = sdk::get_string(module, "description");
  if (description.empty()) return skill;  // null
  skill.SetObject();
  auto& alloc = skill.GetAllocator();
  const std::string id = sdk::get_string(module, "module_id");
  std::string name = sdk::get_string(module, "name");
  if (name.empty()) name = humanize(id);
  skill.AddMember("id", str(id, alloc), alloc);
  skill.AddMember("name", str(name, alloc), alloc);
  skill.AddMember("description", str(description, alloc), alloc);
  rapidjson::Value tags(rapidjson::kArrayType);
  if (const rapidjson::Value* own = find(module, "tags"); own != nullptr && own->IsArray()) {
    for (const auto& tag : own->GetArray()) {
      if (tag.IsString()) tags.PushBack(rapidjson::Value(tag, alloc), alloc);
    }
  }
  // A2A requires tags; the id's first segment says where the module comes from.
  if (tags.Empty()) tags.PushBack(str(id.substr(0, id.find('.')), alloc), alloc);
  skill.AddMember("tags", tags, alloc);
  skill.AddMember("examples", examples_of(module, alloc), alloc);
  add_modes(module, skill);
  return skill;
}

std::string agent_card(const rapidjson::Value& modules, const CardSettings& settings) {
  sdk::Json card = card_base(modules, settings);
  auto& alloc = card.GetAllocator();
  rapidjson::Value interface(rapidjson::kObjectType);
  interface.AddMember("url", str(settings.url, alloc), alloc);
  interface.AddMember("protocolBinding", "JSONRPC", alloc);
  interface.AddMember("protocolVersion", "1.0", alloc);
  rapidjson::Value interfaces(rapidjson::kArrayType);
  interfaces.PushBack(interface, alloc);
  card.AddMember("supportedInterfaces", interfaces, alloc);
  rapidjson::Value capabilities(rapidjson::kObjectType);
  capabilities.AddMember("streaming", true, alloc);
  capabilities.AddMember("pushNotifications", false, alloc);
  capabilities.AddMember("extendedAgentCard", false, alloc);
  card.AddMember("capabilities", capabilities, alloc);
  if (settings.bearer_auth) {
    sdk::Json schemes =
        sdk::parse_json(R"({"bearerAuth":{"httpAuthSecurityScheme":{"scheme":"bearer"}}})");
    card.AddMember("securitySchemes", rapidjson::Value(schemes, alloc), alloc);
    sdk::Json requirements = sdk::parse_json(R"([{"schemes":{"bearerAuth":{"list":[]}}}])");
    card.AddMember("securityRequirements", rapidjson::Value(requirements, alloc), alloc);
  }
  return sdk::to_json(card);
}

std::string legacy_agent_card(const rapidjson::Value& modules, const CardSettings& settings) {
  sdk::Json card = card_base(modules, settings);
  auto& alloc = card.GetAllocator();
  card.AddMember("protocolVersion", "0.3.0", alloc);
  card.AddMember("url", str(settings.url, alloc), alloc);
  card.AddMember("preferredTransport", "JSONRPC", alloc);
  rapidjson::Value capabilities(rapidjson::kObjectType);
  capabilities.AddMember("streaming", true, alloc);
  capabilities.AddMember("pushNotifications", false, alloc);
  capabilities.AddMember("stateTransitionHistory", false, alloc);
  card.AddMember("capabilities", capabilities, alloc);
  if (settings.bearer_auth) {
    sdk::Json schemes = sdk::parse_json(R"({"bearerAuth":{"type":"http","scheme":"bearer"}})");
    card.AddMember("securitySchemes", rapidjson::Value(schemes, alloc), alloc);
    card.AddMember("security", rapidjson::Value(sdk::parse_json(R"([{"bearerAuth":[]}])"), alloc),
                   alloc);
  }
  return sdk::to_json(card);
}

}  // namespace apflow::plugins::a2a
