// libFuzzer target: JSON-RPC 2.0 parsing and dispatch of plugins/protocols/common on arbitrary
// bytes. Every input must get exactly one answer (possibly empty), and it must be JSON.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/jsonrpc.h"
#include "common/jsonrpc_dispatch.h"
#include "fuzz_check.h"

namespace jsonrpc = apflow::plugins::protocols::jsonrpc;

namespace {

const jsonrpc::Dispatcher& dispatcher() {
  static const jsonrpc::Dispatcher instance = [] {
    jsonrpc::Dispatcher d;
    d.on_request("echo", [](const jsonrpc::Message& m, jsonrpc::Reply reply) {
      reply.notify(jsonrpc::notification("notifications/progress", "{}"));
      reply.ok(m.params.IsNull() ? "null" : apflow::sdk::to_json(m.params));
    });
    d.on_request("fail", [](const jsonrpc::Message&, jsonrpc::Reply) {
      throw jsonrpc::RpcError(jsonrpc::kInvalidParams, "bad", R"({"x":1})");
    });
    d.on_request("crash",
                 [](const jsonrpc::Message&, jsonrpc::Reply) { throw std::runtime_error("boom"); });
    d.on_request("drop", [](const jsonrpc::Message&, jsonrpc::Reply reply) { reply.drop(); });
    d.on_notification("note", [](const jsonrpc::Message&) { throw std::runtime_error("x"); });
    return d;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  int answers = 0;
  jsonrpc::answer(
      jsonrpc::parse(text),
      [](const jsonrpc::Message& message, jsonrpc::Sink sink) {
        dispatcher().handle(message, std::move(sink));
      },
      [&answers](std::string answer) {
        ++answers;
        apflow::fuzz::expect_json_or_empty(answer);
      },
      [](std::string related) { apflow::fuzz::expect_json_or_empty(related); });
  if (answers != 1) std::abort();
  return 0;
}
