#include "cli/run_file.h"

#include <apflow/sdk/error.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/yaml_json.h"

namespace apflow::plugins::cli {
namespace {

[[noreturn]] void invalid(std::string_view label, const std::string& what) {
  throw sdk::Error("GENERAL_INVALID_INPUT", std::string(label) + ": " + what);
}

sdk::Json parse_json_text(std::string_view text, std::string_view label) {
  sdk::Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    invalid(label, "not valid JSON (offset " + std::to_string(doc.GetErrorOffset()) +
                       "): " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return doc;
}

}  // namespace

FileSyntax syntax_of(std::string_view path) {
  const auto dot = path.find_last_of('.');
  std::string extension(dot == std::string_view::npos ? "" : path.substr(dot + 1));
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (extension == "json") return FileSyntax::kJson;
  if (extension == "yaml" || extension == "yml") return FileSyntax::kYaml;
  throw sdk::Error("GENERAL_INVALID_INPUT",
                   std::string(path) + ": name a task file ending in .json, .yaml or .yml");
}

sdk::Json parse_task_text(std::string_view text, FileSyntax syntax, std::string_view label) {
  sdk::Json doc =
      syntax == FileSyntax::kJson ? parse_json_text(text, label) : yaml_to_json(text, label);
  const rapidjson::Value* tasks = &doc;
  if (doc.IsObject()) {
    const auto it = doc.FindMember("tasks");
    tasks = it != doc.MemberEnd() ? &it->value : nullptr;
  }
  if (tasks == nullptr || !tasks->IsArray()) {
    invalid(label, "expected an array of tasks or an object with a \"tasks\" array");
  }
  if (tasks->Empty()) invalid(label, "holds no tasks; add at least one");
  for (rapidjson::SizeType i = 0; i < tasks->Size(); ++i) {
    if (!(*tasks)[i].IsObject()) {
      invalid(label, "task " + std::to_string(i + 1) + " is not an object of task fields");
    }
  }
  // An object passes through whole: its tree options (failure_policy, injection,
  // parent_after_children) go to create_tree, which names any key it does not know.
  sdk::Json out = sdk::make_object();
  if (doc.IsObject()) {
    out.CopyFrom(doc, out.GetAllocator());
  } else {
    sdk::set(out, "tasks", *tasks);
  }
  return out;
}

sdk::Json load_task_file(const std::string& path) {
  const FileSyntax syntax = syntax_of(path);
  std::ifstream file(path, std::ios::binary);
  if (!file) invalid(path, std::string("cannot read it: ") + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  return parse_task_text(text.str(), syntax, path);
}

}  // namespace apflow::plugins::cli
