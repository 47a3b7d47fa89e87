#include "cli/schema_flags.h"

#include <apflow/sdk/error.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

#include "cli/command_names.h"

namespace apflow::plugins::cli {
namespace {

constexpr size_t kMaxHelp = 1000;

std::string type_of(const rapidjson::Value& property) {
  const auto it = property.FindMember("type");
  if (it == property.MemberEnd()) return {};
  if (it->value.IsString()) return it->value.GetString();
  // ["string", "null"]: a flag can only ever give the non-null type.
  if (it->value.IsArray()) {
    for (const auto& type : it->value.GetArray()) {
      if (type.IsString() && std::string_view(type.GetString()) != "null") return type.GetString();
    }
  }
  return {};
}

FlagKind kind_of(const rapidjson::Value& property) {
  const auto values = property.FindMember("enum");
  if (values != property.MemberEnd() && values->value.IsArray() && !values->value.Empty()) {
    return FlagKind::kChoice;
  }
  const std::string type = type_of(property);
  if (type == "string") return FlagKind::kString;
  if (type == "integer") return FlagKind::kInteger;
  if (type == "number") return FlagKind::kNumber;
  if (type == "boolean") return FlagKind::kBoolean;
  if (type == "object" || type == "array") return FlagKind::kJson;
  return FlagKind::kAny;
}

std::string help_of(const rapidjson::Value& property, bool required) {
  std::string help = sdk::get_string(property, "description");
  if (help.empty()) help = sdk::get_string(property, "x-llm-description");
  if (help.size() > kMaxHelp) help = help.substr(0, kMaxHelp) + "...";
  if (required) help += help.empty() ? "[required]" : " [required]";
  return help;
}

bool is_required(const rapidjson::Value& schema, std::string_view property) {
  const auto it = schema.FindMember("required");
  if (it == schema.MemberEnd() || !it->value.IsArray()) return false;
  for (const auto& name : it->value.GetArray()) {
    if (name.IsString() && property == name.GetString()) return true;
  }
  return false;
}

void add_choices(const rapidjson::Value& property, FlagSpec& spec) {
  for (const auto& value : property["enum"].GetArray()) {
    spec.choices.push_back(choice_text(value));
    spec.choice_json.push_back(sdk::to_json(value));
  }
}

// Records every spelling a flag occupies; two properties on one spelling cannot both be set.
void claim(std::map<std::string, std::string>& taken, const std::string& flag,
           const std::string& property) {
  const auto [it, fresh] = taken.emplace(flag, property);
  if (fresh) return;
  throw sdk::Error("CLI_FLAG_COLLISION", "properties '" + it->second + "' and '" + property +
                                             "' would both be the flag --" + flag +
                                             "; pass them in a JSON object with --input -");
}

[[noreturn]] void reject(const FlagSpec& spec, std::string_view text, const std::string& wanted) {
  throw sdk::Error("GENERAL_INVALID_INPUT",
                   "--" + spec.flag + " expects " + wanted + ", got '" + std::string(text) + "'");
}

rapidjson::Value parsed_copy(const std::string& json, rapidjson::Document::AllocatorType& alloc) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  return rapidjson::Value(doc, alloc);
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

rapidjson::Value json_value(const FlagSpec& spec, std::string_view text,
                            rapidjson::Document::AllocatorType& alloc) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    throw sdk::Error("GENERAL_INVALID_INPUT", "--" + spec.flag + " is not valid JSON (offset " +
                                                  std::to_string(doc.GetErrorOffset()) + "): " +
                                                  rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return rapidjson::Value(doc, alloc);
}

}  // namespace

std::string choice_list(const FlagSpec& spec) {
  std::string out;
  for (const auto& choice : spec.choices) out += (out.empty() ? "{" : ",") + choice;
  return out.empty() ? "{}" : out + "}";
}

std::string choice_text(const rapidjson::Value& value) {
  return value.IsString() ? std::string(value.GetString(), value.GetStringLength())
                          : sdk::to_json(value);
}

std::optional<int64_t> parse_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

int64_t positive_option(const std::string& text, std::string_view option, std::string_view unit) {
  if (text.empty()) return 0;
  const auto value = parse_integer(text);
  if (!value || *value <= 0) {
    throw sdk::Error("GENERAL_INVALID_INPUT", "--" + std::string(option) +
                                                  " expects a positive number of " +
                                                  std::string(unit) + ", got '" + text + "'");
  }
  return *value;
}

std::vector<FlagSpec> flags_from_schema(const rapidjson::Value& input_schema) {
  std::vector<FlagSpec> specs;
  if (!input_schema.IsObject()) return specs;
  const auto properties = input_schema.FindMember("properties");
  if (properties == input_schema.MemberEnd() || !properties->value.IsObject()) return specs;
  std::map<std::string, std::string> taken;
  for (const auto& member : properties->value.GetObject()) {
    const std::string property(member.name.GetString(), member.name.GetStringLength());
    const auto flag = flag_name_for(property);
    if (!flag || !member.value.IsObject()) continue;
    FlagSpec spec{.property = property, .flag = *flag, .kind = kind_of(member.value)};
    spec.required = is_required(input_schema, property);
    spec.help = help_of(member.value, spec.required);
    if (spec.kind == FlagKind::kChoice) add_choices(member.value, spec);
    claim(taken, spec.flag, property);
    if (spec.kind == FlagKind::kBoolean) claim(taken, "no-" + spec.flag, property);
    specs.push_back(std::move(spec));
  }
  return specs;
}

rapidjson::Value flag_value(const FlagSpec& spec, std::string_view text,
                            rapidjson::Document::AllocatorType& alloc) {
  switch (spec.kind) {
    case FlagKind::kString:
      return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
    case FlagKind::kInteger:
      if (auto value = parse_integer(text)) return rapidjson::Value(*value);
      reject(spec, text, "an integer");
    case FlagKind::kNumber:
      if (auto value = parse_integer(text)) return rapidjson::Value(*value);
      if (auto value = parse_number(text)) return rapidjson::Value(*value);
      reject(spec, text, "a number");
    case FlagKind::kBoolean:
      if (text == "true" || text == "1") return rapidjson::Value(true);
      if (text == "false" || text == "0") return rapidjson::Value(false);
      reject(spec, text, "true or false");
    case FlagKind::kChoice:
      for (size_t i = 0; i < spec.choices.size(); ++i) {
        if (spec.choices[i] == text) return parsed_copy(spec.choice_json[i], alloc);
      }
      reject(spec, text, "one of " + choice_list(spec));
    case FlagKind::kJson:
      return json_value(spec, text, alloc);
    case FlagKind::kAny:
      break;
  }
  // Untyped: JSON when it reads as JSON, otherwise the text itself.
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (!doc.HasParseError()) return rapidjson::Value(doc, alloc);
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
}

}  // namespace apflow::plugins::cli
