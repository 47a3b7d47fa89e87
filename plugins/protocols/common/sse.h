// Server-Sent Events framing (text/event-stream), as MCP and A2A stream responses.
#pragma once

#include <string>
#include <string_view>

namespace apflow::plugins::protocols::sse {

// One event: "event: <event>\nid: <id>\ndata: <line>\n...\n\n". Empty event or id are left
// out; data with newlines becomes several data lines, which the client joins back.
std::string event(std::string_view data, std::string_view event = "message",
                  std::string_view id = {});
// A comment line, ignored by clients: keeps idle proxies from closing the stream.
std::string comment(std::string_view text);

}  // namespace apflow::plugins::protocols::sse
