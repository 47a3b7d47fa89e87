// libFuzzer target: the A2A JSON-RPC service (plugins/protocols/a2a) on arbitrary bytes, as
// A2aServer hands a POST body to it: streaming methods to stream(), the rest to the dispatcher.
#include <cstdint>
#include <string>

#include "a2a/a2a_service.h"
#include "common/jsonrpc.h"
#include "fake_host.h"
#include "fuzz_check.h"

namespace a2a = apflow::plugins::a2a;
namespace jsonrpc = apflow::plugins::protocols::jsonrpc;

namespace {

void stream(a2a::A2aService& service, const jsonrpc::Message& message, const a2a::Method& method) {
  a2a::StreamSink sink{
      [](const std::string& result) { apflow::fuzz::expect_json_or_empty(result); }, [] {}};
  try {
    service.stream(
        method, message.params, [] {}, std::move(sink));
  } catch (const jsonrpc::RpcError& e) {
    apflow::fuzz::expect_json_or_empty(
        jsonrpc::error(message.id, e.code(), e.what(), e.data_json()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  a2a::A2aService service(apflow::fake::fake_host(), apflow::fake::fake_modules());
  jsonrpc::Parsed parsed = jsonrpc::parse(text);
  if (!parsed.batch && parsed.items.size() == 1) {
    const auto* message = std::get_if<jsonrpc::Message>(&parsed.items.front());
    if (message != nullptr && message->kind == jsonrpc::Message::Kind::kRequest) {
      const auto method = a2a::find_method(message->method);
      if (method && method->streams()) {
        stream(service, *message, *method);
        return 0;
      }
    }
  }
  jsonrpc::answer(
      std::move(parsed),
      [&service](const jsonrpc::Message& message, jsonrpc::Sink sink) {
        service.dispatcher().handle(message, std::move(sink));
      },
      [](std::string answer) { apflow::fuzz::expect_json_or_empty(answer); });
  return 0;
}
