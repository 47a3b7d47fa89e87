#include "config/layers.h"

#include <cctype>
#include <string_view>

#include "config/pointer.h"
#include "config/yaml_json.h"
#include "core/error.h"

namespace apflow::config::detail {
namespace {

constexpr std::string_view kPrefix = "APFLOW_";

std::string kind(const rapidjson::Value& value) {
  if (value.IsString()) return "a string";
  if (value.IsArray()) return "a list";
  if (value.IsBool()) return "a boolean";
  if (value.IsNumber()) return "a number";
  return "a value";
}

[[noreturn]] void fail(const std::string& variable, const std::string& message) {
  throw Error(codes::kConfigInvalid, "environment variable " + variable + ": " + message);
}

// "APFLOW_PLUGINS__HELLO__GREETING" -> {"plugins", "hello", "greeting"}; empty when the variable
// is not an override (no "__": APFLOW_CONFIG, APFLOW_LOG_LEVEL, ...).
std::vector<std::string> override_path(const std::string& name) {
  if (name.rfind(kPrefix, 0) != 0) return {};
  std::string_view rest = std::string_view(name).substr(kPrefix.size());
  if (rest.find("__") == std::string_view::npos) return {};
  std::vector<std::string> tokens;
  std::size_t start = 0;
  while (true) {
    std::size_t separator = rest.find("__", start);
    std::string token(rest.substr(start, separator - start));
    if (token.empty()) fail(name, "empty key name between '__' separators");
    for (char& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    tokens.push_back(std::move(token));
    if (separator == std::string_view::npos) break;
    start = separator + 2;
  }
  return tokens;
}

void apply_one(const std::string& variable, const std::vector<std::string>& path,
               const std::string& text, rapidjson::Document& root,
               std::vector<EnvOrigin>& origins) {
  auto& allocator = root.GetAllocator();
  rapidjson::Value value;
  if (auto error = parse_yaml_value(text, value, allocator)) {
    fail(variable, "cannot read the value as YAML: " + *error);
  }
  rapidjson::Value* current = &root;
  std::string pointer;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!current->IsObject()) {
      fail(variable, "'" + dotted_key(root, pointer) + "' is " + kind(*current) +
                         ", so it has no key '" + path[i] + "'");
    }
    pointer = join_pointer(pointer, path[i]);
    rapidjson::Value key(path[i].c_str(), allocator);
    auto found = current->FindMember(key);
    if (i + 1 == path.size()) {
      if (found == current->MemberEnd()) {
        current->AddMember(key, value, allocator);
      } else if (value.IsNull()) {
        return;  // an empty value keeps what the lower layers set
      } else {
        found->value = value;
      }
      origins.push_back({pointer, variable, true});
      return;
    }
    if (found == current->MemberEnd()) {
      current->AddMember(key, rapidjson::Value(rapidjson::kObjectType), allocator);
      found = current->FindMember(rapidjson::StringRef(path[i].c_str()));
      origins.push_back({pointer, variable, false});
    } else if (found->value.IsNull()) {
      found->value.SetObject();
      origins.push_back({pointer, variable, false});
    }
    current = &found->value;
  }
}

}  // namespace

void merge_layer(rapidjson::Value& target, const rapidjson::Value& source,
                 rapidjson::Document::AllocatorType& allocator) {
  if (source.IsNull()) return;
  if (!target.IsObject() || !source.IsObject()) {
    target.CopyFrom(source, allocator);
    return;
  }
  for (const auto& entry : source.GetObject()) {
    auto found = target.FindMember(entry.name);
    if (found != target.MemberEnd()) {
      merge_layer(found->value, entry.value, allocator);
    } else {
      target.AddMember(rapidjson::Value(entry.name, allocator),
                       rapidjson::Value(entry.value, allocator), allocator);
    }
  }
}

std::vector<EnvOrigin> apply_env_overrides(const std::map<std::string, std::string>& vars,
                                           rapidjson::Document& root) {
  std::vector<EnvOrigin> origins;
  for (const auto& [name, text] : vars) {
    auto path = override_path(name);
    if (!path.empty()) apply_one(name, path, text, root, origins);
  }
  return origins;
}

}  // namespace apflow::config::detail
