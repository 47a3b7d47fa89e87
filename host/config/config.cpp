#include "config/config.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "config/host_schema.h"
#include "config/layers.h"
#include "config/pointer.h"
#include "config/yaml_json.h"
#include "core/error.h"

namespace apflow::config {

namespace fs = std::filesystem;

struct Config::State {
  std::optional<fs::path> file;
  std::string label;                 // the file as error messages name it
  rapidjson::Document merged;        // defaults <- file <- environment
  rapidjson::Document from_file;     // the file alone, to tell which values it gave
  std::map<std::string, int> lines;  // pointer -> line in the file
  std::vector<detail::EnvOrigin> env;
  fs::path cwd;
  fs::path home;
};

namespace {

struct Origin {
  enum class Kind { kDefault, kFile, kEnvironment } kind = Kind::kDefault;
  int line = 0;  // kFile; 0 when the whole file is meant
  std::string variable;
};

bool within(std::string_view outer, std::string_view inner) {
  return inner == outer || (inner.substr(0, outer.size()) == outer && inner.size() > outer.size() &&
                            inner[outer.size()] == '/');
}

// The longest prefix of `pointer` that names a value in `root`.
std::string existing_prefix(const rapidjson::Value& root, std::string_view pointer) {
  std::string prefix;
  for (const auto& token : detail::split_pointer(pointer)) {
    std::string next = detail::join_pointer(prefix, token);
    if (detail::find_value(root, next) == nullptr) break;
    prefix = std::move(next);
  }
  return prefix;
}

Origin origin_of(const Config::State& state, std::string_view pointer) {
  std::string found = existing_prefix(state.merged, pointer);
  const detail::EnvOrigin* best = nullptr;
  for (const auto& entry : state.env) {
    bool covers = entry.whole_value ? within(entry.pointer, found) : entry.pointer == found;
    if (covers && (best == nullptr || entry.pointer.size() >= best->pointer.size())) best = &entry;
  }
  if (best != nullptr) return Origin{Origin::Kind::kEnvironment, 0, best->variable};
  // A null in the file kept the default, so the value did not come from the file.
  const auto* in_file = state.file ? detail::find_value(state.from_file, found) : nullptr;
  const auto* merged = detail::find_value(state.merged, found);
  if (in_file != nullptr && !state.from_file.IsNull() && (!in_file->IsNull() || merged->IsNull())) {
    auto line = state.lines.find(found);
    return Origin{Origin::Kind::kFile, line == state.lines.end() ? 0 : line->second, {}};
  }
  return Origin{};
}

std::string location_text(const Config::State& state, const Origin& origin) {
  switch (origin.kind) {
    case Origin::Kind::kEnvironment:
      return "environment variable " + origin.variable;
    case Origin::Kind::kFile:
      return origin.line > 0 ? state.label + ":" + std::to_string(origin.line) : state.label;
    case Origin::Kind::kDefault:
      break;
  }
  return "default";
}

// An error about a key nobody set still needs a place to point at: the file, if there is one.
std::string error_location(const Config::State& state, std::string_view pointer) {
  Origin origin = origin_of(state, pointer);
  if (origin.kind != Origin::Kind::kDefault) return location_text(state, origin);
  return state.file ? state.label : "built-in defaults";
}

std::string unknown_key_hint(const schema::Violation& violation) {
  if (violation.pointer.rfind("/plugins/", 0) == 0 &&
      violation.pointer.find('/', 9) == std::string::npos) {
    return "plugin ids must match " + std::string(kPluginIdPattern) +
           "; 'paths' and 'disabled' are lists";
  }
  const std::string& message = violation.message;
  auto allowed = message.rfind("(allowed: ");
  if (allowed == std::string::npos) return "no keys are allowed here";
  return "allowed here: " + message.substr(allowed + 10, message.size() - allowed - 11);
}

std::string violation_text(const Config::State& state, const schema::Violation& violation) {
  std::string where = error_location(state, violation.pointer);
  std::string key = detail::dotted_key(state.merged, violation.pointer);
  if (violation.keyword == "additionalProperties") {
    return where + ": unknown key '" + key + "' (" + unknown_key_hint(violation) + ")";
  }
  return where + ": " + (key.empty() ? "" : "'" + key + "': ") + violation.message;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    throw Error(codes::kConfigNotFound,
                "cannot read config file " + path.string() + ": " + std::strerror(errno));
  }
  return text.str();
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

const rapidjson::Value& member(const rapidjson::Value& object, const char* section,
                               const char* key) {
  return object[section][key];
}

}  // namespace

Config Config::defaults() {
  auto state = std::make_shared<State>();
  auto json = host_config_defaults_json();
  state->merged.Parse(json.data(), json.size());
  return Config(std::move(state));
}

Config Config::load(const LoadOptions& options) {
  auto state = std::make_shared<State>();
  auto defaults = host_config_defaults_json();
  state->merged.Parse(defaults.data(), defaults.size());
  state->cwd = options.env.cwd;
  state->home = options.env.home;
  state->file = find_config_file(options);
  if (state->file) {
    state->label = state->file->string();
    auto parsed =
        detail::parse_config_yaml(read_file(*state->file), state->label, options.env.vars);
    state->from_file.Swap(parsed.json);
    state->lines = std::move(parsed.lines);
    detail::merge_layer(state->merged, state->from_file, state->merged.GetAllocator());
  }
  state->env = detail::apply_env_overrides(options.env.vars, state->merged);
  if (auto violation = host_config_schema().validate(state->merged)) {
    throw Error(codes::kConfigInvalid, violation_text(*state, *violation));
  }
  return Config(std::move(state));
}

const std::optional<fs::path>& Config::file() const {
  return state_->file;
}

const rapidjson::Value& Config::root() const {
  return state_->merged;
}

std::string Config::log_level() const {
  return member(state_->merged, "log", "level").GetString();
}

std::vector<std::string> Config::plugin_paths() const {
  std::vector<std::string> paths;
  const auto& list = member(state_->merged, "plugins", "paths");
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    std::string text = list[i].GetString();
    fs::path path(text);
    if (text == "~" || text.rfind("~/", 0) == 0) {
      path = state_->home / text.substr(text.size() > 1 ? 2 : 1);
    } else if (path.is_relative()) {
      auto origin = origin_of(*state_, "/plugins/paths/" + std::to_string(i));
      bool from_file = origin.kind == Origin::Kind::kFile && state_->file;
      path = (from_file ? state_->file->parent_path() : state_->cwd) / path;
    }
    paths.push_back(path.lexically_normal().string());
  }
  return paths;
}

std::vector<std::string> Config::disabled_plugins() const {
  std::vector<std::string> ids;
  for (const auto& id : member(state_->merged, "plugins", "disabled").GetArray()) {
    ids.emplace_back(id.GetString());
  }
  return ids;
}

int64_t Config::default_timeout_ms() const {
  return member(state_->merged, "modules", "default_timeout_ms").GetInt64();
}

std::vector<std::string> Config::plugin_section_ids() const {
  std::vector<std::string> ids;
  for (const auto& entry : state_->merged["plugins"].GetObject()) {
    std::string name = entry.name.GetString();
    if (name != "paths" && name != "disabled") ids.push_back(std::move(name));
  }
  return ids;
}

std::string Config::plugin_section_json(std::string_view plugin_id) const {
  const auto* section =
      detail::find_value(state_->merged, detail::join_pointer("/plugins", plugin_id));
  if (section == nullptr || section->IsNull()) return "{}";
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  section->Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void Config::validate_plugin_section(std::string_view plugin_id,
                                     const schema::Schema* schema) const {
  std::string base = detail::join_pointer("/plugins", plugin_id);
  const auto* section = detail::find_value(state_->merged, base);
  bool empty = section == nullptr || section->IsNull() ||
               (section->IsObject() && section->MemberCount() == 0);
  std::string id(plugin_id);
  if (schema == nullptr) {
    if (empty) return;
    throw Error(codes::kConfigInvalid, error_location(*state_, base) + ": 'plugins." + id +
                                           "': plugin '" + id +
                                           "' takes no configuration; remove this section");
  }
  rapidjson::Value nothing(rapidjson::kObjectType);
  auto violation = schema->validate(section == nullptr || section->IsNull() ? nothing : *section);
  if (!violation) return;
  schema::Violation full = *violation;
  full.pointer = base + violation->pointer;
  std::string text = violation_text(*state_, full);
  if (violation->keyword == "required") {
    std::string variable = "APFLOW_PLUGINS__" + upper(id);
    for (const auto& token : detail::split_pointer(violation->pointer)) {
      variable += "__" + upper(token);
    }
    text += " (set it under plugins." + id + " in the config file, or with " + variable + ")";
  }
  throw Error(codes::kConfigInvalid, text);
}

std::string Config::location_of(std::string_view json_pointer) const {
  return location_text(*state_, origin_of(*state_, json_pointer));
}

}  // namespace apflow::config
