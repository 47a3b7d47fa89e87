// The explorer's files (HTML, CSS, JavaScript), embedded in the binary at build time by
// embed_assets.cmake so that the page needs nothing from the network, and what they are
// served as.
#pragma once

#include <span>
#include <string_view>

namespace apflow::plugins::explorer {

struct EmbeddedAsset {
  std::string_view name;  // the file name under assets/, e.g. "app.js"
  std::string_view body;
  std::string_view etag;  // a quoted strong ETag made from the content's SHA-256
};

// Every embedded file (defined in the generated explorer_assets_data.cpp).
std::span<const EmbeddedAsset> embedded_assets();

// The file with this name, or nullptr.
const EmbeddedAsset* find_asset(std::string_view name);

// The Content-Type to serve a file with, from its extension (application/octet-stream when
// unknown, which browsers will not run or render).
std::string_view content_type_for(std::string_view name);

}  // namespace apflow::plugins::explorer
