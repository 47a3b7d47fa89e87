#include "schema/json_util.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace apflow::schema::detail {

std::string type_name(const rapidjson::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "boolean";
  if (value.IsObject()) return "object";
  if (value.IsArray()) return "array";
  if (value.IsString()) return "string";
  if (value.IsInt64() || value.IsUint64()) return "integer";
  return "number";
}

std::string render(const rapidjson::Value& value, std::size_t max_chars) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  std::string text(buffer.GetString(), buffer.GetSize());
  if (text.size() > max_chars) {
    // Cut on a UTF-8 boundary so the message stays valid text.
    std::size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += "...";
  }
  return text;
}

std::string describe_actual(const rapidjson::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsObject()) return "object";
  if (value.IsArray()) return "array of " + plural(value.Size(), "item");
  return type_name(value) + " " + render(value);
}

std::string render_bare(const rapidjson::Value& value) {
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  return render(value);
}

namespace {

std::string escape_token(std::string_view token) {
  std::string out;
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

std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

bool parse_index(const std::string& token, rapidjson::SizeType* index) {
  if (token.empty() || token.size() > 9) return false;
  if (token.size() > 1 && token[0] == '0') return false;
  rapidjson::SizeType value = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<rapidjson::SizeType>(c - '0');
  }
  *index = value;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::string join_pointer(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  out += escape_token(token);
  return out;
}

std::string parent_pointer(std::string_view pointer) {
  auto slash = pointer.rfind('/');
  if (slash == std::string_view::npos) return "";
  return std::string(pointer.substr(0, slash));
}

std::vector<std::string> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  std::size_t start = pointer.front() == '/' ? 1 : 0;
  while (true) {
    auto slash = pointer.find('/', start);
    tokens.push_back(unescape_token(pointer.substr(start, slash - start)));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return tokens;
}

const rapidjson::Value* resolve_pointer(const rapidjson::Value& root, std::string_view pointer) {
  const rapidjson::Value* current = &root;
  for (const auto& token : split_pointer(pointer)) {
    if (current->IsObject()) {
      auto member = current->FindMember(rapidjson::StringRef(token.data(), token.size()));
      if (member == current->MemberEnd()) return nullptr;
      current = &member->value;
    } else if (current->IsArray()) {
      rapidjson::SizeType index = 0;
      if (!parse_index(token, &index) || index >= current->Size()) return nullptr;
      current = &(*current)[index];
    } else {
      return nullptr;
    }
  }
  return current;
}

const rapidjson::Value* resolve_ref(const rapidjson::Value& root, std::string_view ref) {
  if (ref.empty() || ref.front() != '#') return nullptr;
  return resolve_pointer(root, percent_decode(ref.substr(1)));
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string plural(std::size_t count, std::string_view noun) {
  std::string word(noun);
  if (count != 1) {
    word = word.back() == 'y' ? word.substr(0, word.size() - 1) + "ies" : word + "s";
  }
  return std::to_string(count) + " " + word;
}

std::size_t code_points(std::string_view utf8) {
  std::size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace apflow::schema::detail
