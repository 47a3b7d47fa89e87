#include "cli/yaml_json.h"

#include <apflow/sdk/error.h>

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "cli/schema_flags.h"

namespace apflow::plugins::cli {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// Aliases can make a document deeper than its text; no task file needs more than this.
constexpr int kMaxDepth = 100;

bool is_one_of(const std::string& text, std::initializer_list<std::string_view> words) {
  for (auto word : words) {
    if (text == word) return true;
  }
  return false;
}

// [-+]? digits with at most one `.`, then an optional exponent: what the core schema calls a
// float, without .inf and .nan, which JSON cannot hold.
bool is_float_text(const std::string& text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.' && !dot) {
      dot = true;
    } else if (text[i] >= '0' && text[i] <= '9') {
      digits = true;
    } else {
      return false;
    }
  }
  if (!digits) return false;
  if (i == text.size()) return dot;
  ++i;  // the exponent
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

rapidjson::Value plain_scalar(const std::string& text, Allocator& alloc) {
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) return rapidjson::Value();
  if (is_one_of(text, {"true", "True", "TRUE"})) return rapidjson::Value(true);
  if (is_one_of(text, {"false", "False", "FALSE"})) return rapidjson::Value(false);
  if (const auto integer = parse_integer(text)) return rapidjson::Value(*integer);
  if (is_float_text(text)) {
    const double value = std::strtod(text.c_str(), nullptr);
    if (std::isfinite(value)) return rapidjson::Value(value);
  }
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), alloc);
}

class Converter {
 public:
  Converter(std::string_view label, Allocator& alloc) : label_(label), alloc_(alloc) {}

  rapidjson::Value value(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth) fail(node, "nested deeper than " + std::to_string(kMaxDepth));
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return scalar(node);
      case YAML::NodeType::Sequence: {
        rapidjson::Value array(rapidjson::kArrayType);
        for (const auto& item : node) array.PushBack(value(item, depth + 1), alloc_);
        return array;
      }
      case YAML::NodeType::Map:
        return mapping(node, depth);
      default:
        return rapidjson::Value();
    }
  }

 private:
  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
    const YAML::Mark mark = node.Mark();
    throw sdk::Error("GENERAL_INVALID_INPUT", std::string(label_) + ":" +
                                                  std::to_string(mark.line + 1) + ":" +
                                                  std::to_string(mark.column + 1) + ": " + what);
  }

  rapidjson::Value scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    // "!" marks a quoted (or otherwise non-plain) scalar: a string whatever it looks like.
    if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
      return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), alloc_);
    }
    return plain_scalar(text, alloc_);
  }

  rapidjson::Value mapping(const YAML::Node& node, int depth) {
    rapidjson::Value object(rapidjson::kObjectType);
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) fail(entry.first, "a mapping key must be a plain value");
      const std::string& key = entry.first.Scalar();
      if (object.HasMember(key.c_str())) fail(entry.first, "the key '" + key + "' is repeated");
      rapidjson::Value name(key.c_str(), static_cast<rapidjson::SizeType>(key.size()), alloc_);
      object.AddMember(name, value(entry.second, depth + 1), alloc_);
    }
    return object;
  }

  std::string_view label_;
  Allocator& alloc_;
};

}  // namespace

sdk::Json yaml_to_json(std::string_view text, std::string_view label) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw sdk::Error("GENERAL_INVALID_INPUT", std::string(label) + ":" +
                                                  std::to_string(e.mark.line + 1) + ":" +
                                                  std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  sdk::Json doc;
  rapidjson::Value value = Converter(label, doc.GetAllocator()).value(root, 0);
  static_cast<rapidjson::Value&>(doc) = value;
  return doc;
}

}  // namespace apflow::plugins::cli
