#include "config/expand.h"

namespace apflow::config::detail {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::variant<std::string, ExpandError> expand(std::string_view text,
                                              const std::map<std::string, std::string>& vars) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos || dollar + 1 >= text.size()) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, dollar - pos));
    char next = text[dollar + 1];
    if (next == '$') {
      out += '$';
      pos = dollar + 2;
      continue;
    }
    if (next != '{') {
      out += '$';
      pos = dollar + 1;
      continue;
    }
    std::size_t close = text.find('}', dollar + 2);
    if (close == std::string_view::npos) {
      return ExpandError{"unterminated '${' in \"" + std::string(text) +
                         "\" (add the closing '}')"};
    }
    std::string_view inside = text.substr(dollar + 2, close - dollar - 2);
    std::size_t fallback_at = inside.find(":-");
    std::string_view name = inside.substr(0, fallback_at);
    if (!valid_name(name)) {
      return ExpandError{"'${" + std::string(inside) +
                         "}' is not a variable reference (names are letters, digits and _, "
                         "not starting with a digit; write $$ for a literal $)"};
    }
    auto found = vars.find(std::string(name));
    if (fallback_at != std::string_view::npos) {
      bool use_fallback = found == vars.end() || found->second.empty();
      out.append(use_fallback ? inside.substr(fallback_at + 2) : std::string_view(found->second));
    } else if (found == vars.end()) {
      return ExpandError{"environment variable '" + std::string(name) +
                         "' is not set (set it, or give a default: ${" + std::string(name) +
                         ":-value})"};
    } else {
      out.append(found->second);
    }
    pos = close + 1;
  }
  return out;
}

}  // namespace apflow::config::detail
