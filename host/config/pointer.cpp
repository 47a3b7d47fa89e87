#include "config/pointer.h"

namespace apflow::config::detail {
namespace {

bool is_index(const std::string& token) {
  if (token.empty() || token.size() > 9) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return token.size() == 1 || token[0] != '0';
}

const rapidjson::Value* child(const rapidjson::Value& parent, const std::string& token) {
  if (parent.IsObject()) {
    auto found = parent.FindMember(rapidjson::StringRef(token.data(), token.size()));
    return found == parent.MemberEnd() ? nullptr : &found->value;
  }
  if (parent.IsArray() && is_index(token)) {
    auto index = static_cast<rapidjson::SizeType>(std::stoul(token));
    return index < parent.Size() ? &parent[index] : nullptr;
  }
  return nullptr;
}

}  // namespace

std::string join_pointer(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  std::size_t start = pointer.front() == '/' ? 1 : 0;
  while (true) {
    std::size_t slash = pointer.find('/', start);
    std::string_view raw = pointer.substr(start, slash - start);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[++i] == '0' ? '~' : '/';
      } else {
        token += raw[i];
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return tokens;
}

const rapidjson::Value* find_value(const rapidjson::Value& root, std::string_view pointer) {
  const rapidjson::Value* current = &root;
  for (const auto& token : split_pointer(pointer)) {
    current = child(*current, token);
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::string dotted_key(const rapidjson::Value& root, std::string_view pointer) {
  std::string key;
  const rapidjson::Value* current = &root;
  for (const auto& token : split_pointer(pointer)) {
    if (current != nullptr && current->IsArray()) {
      key += "[" + token + "]";
    } else {
      key += (key.empty() ? "" : ".") + token;
    }
    current = current == nullptr ? nullptr : child(*current, token);
  }
  return key;
}

}  // namespace apflow::config::detail
