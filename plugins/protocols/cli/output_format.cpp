#include "cli/output_format.h"

#include <apflow/sdk/error.h>

#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <vector>

namespace apflow::plugins::cli {
namespace {

// Continuation lines of a multi-line value start under the value column.
std::string indent_lines(const std::string& text, size_t column) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(column, ' ');
  }
  return out;
}

std::string padded(std::string_view text, size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

}  // namespace

Format parse_format(std::string_view text, bool to_terminal) {
  if (text.empty()) return to_terminal ? Format::kTable : Format::kJson;
  if (text == "json") return Format::kJson;
  if (text == "table") return Format::kTable;
  throw sdk::Error("GENERAL_INVALID_INPUT",
                   "--format must be json or table, got '" + std::string(text) + "'");
}

std::string pretty_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string plain_text(const rapidjson::Value& value) {
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  return sdk::to_json(value);
}

std::string table_text(const rapidjson::Value& object) {
  if (!object.IsObject()) return plain_text(object) + "\n";
  if (object.MemberCount() == 0) return "(no output)\n";
  size_t width = 3;  // "Key"
  for (const auto& member : object.GetObject()) {
    width = std::max<size_t>(width, member.name.GetStringLength());
  }
  const size_t column = width + 2;
  std::string out = padded("Key", column) + "Value\n";
  out += std::string(width, '-') + "  " + std::string(5, '-') + "\n";
  for (const auto& member : object.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    std::string line = padded(key, column) + indent_lines(plain_text(member.value), column);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace apflow::plugins::cli
