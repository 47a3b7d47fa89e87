#include "explorer/explorer_assets.h"

#include <algorithm>
#include <array>
#include <utility>

namespace apflow::plugins::explorer {

const EmbeddedAsset* find_asset(std::string_view name) {
  const auto assets = embedded_assets();
  const auto it = std::find_if(assets.begin(), assets.end(),
                               [name](const EmbeddedAsset& asset) { return asset.name == name; });
  return it == assets.end() ? nullptr : &*it;
}

std::string_view content_type_for(std::string_view name) {
  // JavaScript modules are refused by browsers unless served with a JavaScript type.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (name.size() > extension.size() && name.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

}  // namespace apflow::plugins::explorer
