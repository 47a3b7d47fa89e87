#include "config/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>

#include "config/expand.h"
#include "config/pointer.h"
#include "core/error.h"

namespace apflow::config::detail {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// [-+]? ( digits [. digits?] | . digits ) ( [eE] [-+]? digits )?
bool looks_like_float(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  std::size_t exponent = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, exponent);
  if (exponent != std::string_view::npos) {
    std::string_view power = text.substr(exponent + 1);
    if (!power.empty() && (power[0] == '-' || power[0] == '+')) power.remove_prefix(1);
    if (!all_digits(power)) return false;
  }
  std::size_t dot = mantissa.find('.');
  if (dot == std::string_view::npos)
    return exponent != std::string_view::npos && all_digits(mantissa);
  std::string_view whole = mantissa.substr(0, dot);
  std::string_view fraction = mantissa.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return false;
  return (whole.empty() || all_digits(whole)) && (fraction.empty() || all_digits(fraction));
}

bool typed_integer(const std::string& text, rapidjson::Value& out) {
  std::string_view digits = text;
  bool negative = !digits.empty() && digits[0] == '-';
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  if (!all_digits(digits)) return false;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  int64_t signed_value = 0;
  if (std::from_chars(begin, text.data() + text.size(), signed_value).ec == std::errc()) {
    out.SetInt64(signed_value);
    return true;
  }
  uint64_t unsigned_value = 0;
  if (!negative &&
      std::from_chars(digits.data(), digits.data() + digits.size(), unsigned_value).ec ==
          std::errc()) {
    out.SetUint64(unsigned_value);
    return true;
  }
  out.SetDouble(std::strtod(text.c_str(), nullptr));
  return true;
}

class Converter {
 public:
  Converter(const std::string* label, const Vars* vars, std::map<std::string, int>* lines,
            Allocator& allocator)
      : label_(label), vars_(vars), lines_(lines), allocator_(allocator) {}

  rapidjson::Value convert(const YAML::Node& node, const std::string& pointer,
                           const std::string& key) {
    if (node.IsMap()) return mapping(node, pointer, key);
    if (node.IsSequence()) return sequence(node, pointer, key);
    if (node.IsScalar()) return scalar(node, key);
    return rapidjson::Value(rapidjson::kNullType);
  }

 private:
  [[noreturn]] void fail(const YAML::Node& node, const std::string& key,
                         const std::string& message) const {
    std::string where = label_ == nullptr ? std::string() : *label_ + ":" + line_of(node) + ": ";
    throw Error(codes::kConfigInvalid, where + (key.empty() ? "" : "'" + key + "': ") + message);
  }

  static std::string line_of(const YAML::Node& node) {
    return std::to_string(node.Mark().line + 1);
  }

  void remember(const std::string& pointer, const YAML::Node& node) {
    if (lines_ != nullptr) (*lines_)[pointer] = node.Mark().line + 1;
  }

  rapidjson::Value mapping(const YAML::Node& node, const std::string& pointer,
                           const std::string& key) {
    rapidjson::Value object(rapidjson::kObjectType);
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) fail(entry.first, key, "keys must be plain names");
      const std::string& name = entry.first.Scalar();
      std::string child_key = key.empty() ? name : key + "." + name;
      std::string child_pointer = join_pointer(pointer, name);
      if (object.HasMember(name.c_str())) {
        std::string first =
            lines_ != nullptr ? " (first at line " + std::to_string((*lines_)[child_pointer]) + ")"
                              : "";
        fail(entry.first, "", "duplicate key '" + child_key + "'" + first);
      }
      remember(child_pointer, entry.first);
      rapidjson::Value value = convert(entry.second, child_pointer, child_key);
      object.AddMember(rapidjson::Value(name.c_str(), allocator_), value, allocator_);
    }
    return object;
  }

  rapidjson::Value sequence(const YAML::Node& node, const std::string& pointer,
                            const std::string& key) {
    rapidjson::Value array(rapidjson::kArrayType);
    for (std::size_t i = 0; i < node.size(); ++i) {
      std::string child_pointer = join_pointer(pointer, std::to_string(i));
      remember(child_pointer, node[i]);
      rapidjson::Value value = convert(node[i], child_pointer, key + "[" + std::to_string(i) + "]");
      array.PushBack(value, allocator_);
    }
    return array;
  }

  rapidjson::Value scalar(const YAML::Node& node, const std::string& key) {
    std::string text = node.Scalar();
    if (vars_ != nullptr) {
      auto expanded = expand(text, *vars_);
      if (auto* error = std::get_if<ExpandError>(&expanded)) fail(node, key, error->message);
      text = std::get<std::string>(std::move(expanded));
    }
    // Quoted scalars and !!str are strings whatever they contain.
    const std::string& tag = node.Tag();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()),
                              allocator_);
    }
    return typed_scalar(text, allocator_);
  }

  const std::string* label_;
  const Vars* vars_;
  std::map<std::string, int>* lines_;
  Allocator& allocator_;
};

std::string kind_of(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsScalar()) return "the value \"" + node.Scalar() + "\"";
  return "something else";
}

}  // namespace

rapidjson::Value typed_scalar(const std::string& text, Allocator& allocator) {
  rapidjson::Value out;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return out;
  }
  if (text == "true" || text == "false") {
    out.SetBool(text == "true");
  } else if (typed_integer(text, out)) {
    // done
  } else if (looks_like_float(text)) {
    out.SetDouble(std::strtod(text.c_str(), nullptr));
  } else {
    out.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
  }
  return out;
}

YamlDocument parse_config_yaml(const std::string& text, const std::string& label,
                               const Vars& vars) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& error) {
    std::string where = label;
    if (!error.mark.is_null()) {
      where +=
          ":" + std::to_string(error.mark.line + 1) + ":" + std::to_string(error.mark.column + 1);
    }
    throw Error(codes::kConfigInvalid, where + ": YAML syntax error: " + error.msg);
  }
  YamlDocument result;
  if (documents.size() > 1) {
    throw Error(codes::kConfigInvalid, label + ":" + std::to_string(documents[1].Mark().line + 1) +
                                           ": only one YAML document is allowed (remove '---')");
  }
  if (documents.empty() || documents[0].IsNull()) return result;
  if (!documents[0].IsMap()) {
    throw Error(codes::kConfigInvalid,
                label + ":" + std::to_string(documents[0].Mark().line + 1) +
                    ": the top level must be a mapping of sections (log:, plugins:, modules:), "
                    "got " +
                    kind_of(documents[0]));
  }
  Converter converter(&label, &vars, &result.lines, result.json.GetAllocator());
  rapidjson::Value root = converter.convert(documents[0], "", "");
  static_cast<rapidjson::Value&>(result.json) = root;
  return result;
}

std::optional<std::string> parse_yaml_value(const std::string& text, rapidjson::Value& out,
                                            Allocator& allocator) {
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return error.msg;
  }
  Converter converter(nullptr, nullptr, nullptr, allocator);
  try {
    out = converter.convert(node, "", "");
  } catch (const Error& error) {
    return std::string(error.what());
  }
  return std::nullopt;
}

}  // namespace apflow::config::detail
