#include "common/sse.h"

namespace apflow::plugins::protocols::sse {
namespace {

// Field values must not break the line-based framing.
std::string_view one_line(std::string_view text) {
  return text.substr(0, text.find_first_of("\r\n"));
}

}  // namespace

std::string event(std::string_view data, std::string_view event, std::string_view id) {
  std::string out;
  out.reserve(data.size() + 32);
  if (!event.empty()) out.append("event: ").append(one_line(event)).append("\n");
  if (!id.empty()) out.append("id: ").append(one_line(id)).append("\n");
  size_t start = 0;
  while (true) {
    const size_t end = data.find('\n', start);
    std::string_view line = data.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.append("data: ").append(line).append("\n");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out.append("\n");
  return out;
}

std::string comment(std::string_view text) {
  return std::string(": ").append(one_line(text)).append("\n\n");
}

}  // namespace apflow::plugins::protocols::sse
