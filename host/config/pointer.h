// JSON pointer helpers for host/config: building pointers, and turning them into the dotted keys
// ("plugins.paths[0]") that configuration errors show. Internal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace apflow::config::detail {

std::string join_pointer(std::string_view base, std::string_view token);
std::vector<std::string> split_pointer(std::string_view pointer);
// Member or item at `pointer`, nullptr when absent.
const rapidjson::Value* find_value(const rapidjson::Value& root, std::string_view pointer);
// "plugins.paths[0]": a token is shown as an index where `root` holds an array at that level.
std::string dotted_key(const rapidjson::Value& root, std::string_view pointer);

}  // namespace apflow::config::detail
