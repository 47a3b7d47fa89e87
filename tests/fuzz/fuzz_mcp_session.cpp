// libFuzzer target: one MCP session (plugins/protocols/mcp) fed arbitrary bytes as one message,
// before and after initialize, with tools from a fake host. Answers must be JSON.
#include <cstdint>
#include <memory>
#include <string>

#include "fake_host.h"
#include "fuzz_check.h"
#include "mcp/mcp_session.h"
#include "mcp/stdio_transport.h"

namespace mcp = apflow::plugins::mcp;

namespace {

const mcp::McpContext& context() {
  static const mcp::ToolCatalog catalog(apflow::fake::fake_modules());
  static const mcp::McpContext instance{apflow::fake::fake_host(), catalog, {2, 0}};
  return instance;
}

void check(std::string answer) {
  apflow::fuzz::expect_json_or_empty(answer);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fresh = std::make_shared<mcp::McpSession>(context());
  mcp::handle_message(*fresh, text, check);
  auto ready = std::make_shared<mcp::McpSession>(context());
  mcp::handle_message(*ready,
                      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":)"
                      R"({"protocolVersion":"2025-03-26","capabilities":{}}})",
                      check);
  mcp::handle_message(*ready,
                      R"({"jsonrpc":"2.0","id":1,"method":"logging/setLevel",)"
                      R"("params":{"level":"debug"}})",
                      check);
  mcp::handle_message(*ready, text, check);
  return 0;
}
