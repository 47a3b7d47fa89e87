// Standard base64 (RFC 4648, with padding): Basic auth headers and e-mail attachments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace apflow::plugins::common {

std::string base64_encode(std::string_view bytes);
// Ignores whitespace (line-wrapped input); nullopt when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace apflow::plugins::common
