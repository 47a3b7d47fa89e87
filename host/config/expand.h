// ${VAR} / ${VAR:-default} / $$ expansion inside apflow.yaml string scalars. Internal.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace apflow::config::detail {

struct ExpandError {
  std::string message;  // says which variable or which part of the text is wrong
};

// ${VAR} is the variable's value (an error when unset); ${VAR:-text} falls back to `text` when
// VAR is unset or empty; $$ is a literal $; any other $ is kept as it is.
std::variant<std::string, ExpandError> expand(std::string_view text,
                                              const std::map<std::string, std::string>& vars);

}  // namespace apflow::config::detail
