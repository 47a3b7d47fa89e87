#include "a2a/a2a_server.h"

#include "a2a/a2a_errors.h"
#include "a2a/agent_card.h"
#include "common/jsonrpc.h"
#include "common/sse.h"

namespace apflow::plugins::a2a {
namespace {

namespace jsonrpc = protocols::jsonrpc;
namespace http = protocols::http;
using protocols::HttpExchange;
using protocols::HttpResponse;

// JSON-RPC errors travel in 200 responses: the HTTP exchange itself went fine.
HttpResponse rpc_response(std::string text) {
  return protocols::make_response(http::status::ok, std::move(text));
}

// No A2A-Version header means 0.3; 1.0 is the current one.
bool supported_version(std::string_view version) {
  return version.empty() || version == "0.3" || version == "0.3.0" || version == "1.0" ||
         version == "1";
}

}  // namespace

A2aServer::A2aServer(sdk::Host host, protocols::HttpConfig config)
    : host_(host),
      modules_(host.list_modules()),
      service_(host, modules_),
      server_(
          [&config] {
            // The card and health stay readable without the token: clients discover auth there.
            for (const char* path :
                 {"/health", "/.well-known/agent-card.json", "/.well-known/agent.json"}) {
              config.public_paths.emplace_back(path);
            }
            return std::move(config);
          }(),
          [this](std::shared_ptr<HttpExchange> exchange) { handle(exchange); }) {}

void A2aServer::listen() {
  server_.listen();
  CardSettings settings{url(), std::string(host_.host_version()), !server_.config().token.empty()};
  card_ = agent_card(modules_, settings);
  legacy_card_ = legacy_agent_card(modules_, settings);
}

std::string A2aServer::url() const {
  const std::string& host = server_.config().host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(server_.port()) + "/";
}

void A2aServer::run() {
  server_.run();
  // Whatever outlived the drain time is stopped; nothing may still run once we return.
  service_.tasks().abort_all();
}

void A2aServer::handle(const std::shared_ptr<HttpExchange>& exchange) {
  const auto& request = exchange->request();
  const std::string_view path = protocols::path_of(request);
  const bool get = request.method() == http::verb::get;
  if (explorer_ != nullptr && explorer_->handles(path)) return explorer_->handle(exchange);
  if (get && (path == "/.well-known/agent-card.json" || path == "/.well-known/agent.json")) {
    return card(exchange, path == "/.well-known/agent.json");
  }
  if (get && path == "/health") {
    return exchange->respond(protocols::make_response(
        http::status::ok, R"({"status":"healthy","skills":)" +
                              std::to_string(service_.skill_count()) + R"(,"tasks":)" +
                              std::to_string(service_.tasks().size()) + "}"));
  }
  if (path != "/") {
    return exchange->respond(
        protocols::error_response(http::status::not_found,
                                  "Not Found: A2A JSON-RPC is served at /, the card at "
                                  "/.well-known/agent-card.json"));
  }
  if (request.method() != http::verb::post) {
    HttpResponse refusal =
        protocols::error_response(http::status::method_not_allowed, "Method Not Allowed: POST");
    refusal.set(http::field::allow, "POST");
    return exchange->respond(std::move(refusal));
  }
  post(exchange);
}

void A2aServer::card(const std::shared_ptr<HttpExchange>& exchange, bool legacy) {
  HttpResponse response = protocols::make_response(http::status::ok, legacy ? legacy_card_ : card_);
  // The skills change only when the server restarts with other plugins.
  response.set(http::field::cache_control, "public, max-age=60");
  exchange->respond(std::move(response));
}

void A2aServer::post(const std::shared_ptr<HttpExchange>& exchange) {
  const std::string_view version = protocols::header(exchange->request(), "A2A-Version");
  if (!supported_version(version)) {
    return exchange->respond(rpc_response(jsonrpc::error(
        "null", kVersionNotSupported,
        "Version not supported: A2A-Version " + std::string(version) + " (use 1.0 or 0.3)")));
  }
  jsonrpc::Parsed parsed = jsonrpc::parse(exchange->request().body());
  if (!parsed.batch && parsed.items.size() == 1) {
    const auto* message = std::get_if<jsonrpc::Message>(&parsed.items.front());
    if (message != nullptr && message->kind == jsonrpc::Message::Kind::kRequest) {
      const auto method = find_method(message->method);
      if (method && method->streams()) return stream(exchange, *message, *method);
    }
  }
  jsonrpc::answer(
      std::move(parsed),
      [this](const jsonrpc::Message& message, jsonrpc::Sink sink) {
        service_.dispatcher().handle(message, std::move(sink));
      },
      [exchange](std::string text) {
        exchange->respond(text.empty() ? protocols::make_response(http::status::no_content, {})
                                       : rpc_response(std::move(text)));
      });
}

void A2aServer::stream(const std::shared_ptr<HttpExchange>& exchange,
                       const jsonrpc::Message& message, const Method& method) {
  const std::string id = message.id;
  bool started = false;
  auto begin = [&] {
    HttpResponse head = protocols::make_response(http::status::ok, {}, "text/event-stream");
    head.set(http::field::cache_control, "no-cache");
    exchange->start_stream(std::move(head));
    started = true;
  };
  StreamSink sink{[exchange, id](const std::string& result) {
                    exchange->send(protocols::sse::event(jsonrpc::result(id, result)));
                  },
                  [exchange] { exchange->end(); }};
  try {
    service_.stream(method, message.params, begin, std::move(sink));
  } catch (const jsonrpc::RpcError& e) {
    if (!started)
      exchange->respond(rpc_response(jsonrpc::error(id, e.code(), e.what(), e.data_json())));
    if (started) exchange->end();
  } catch (const std::exception& e) {
    host_.log(sdk::LogLevel::kError, std::string("A2A stream failed: ") + e.what());
    if (!started) {
      exchange->respond(rpc_response(
          jsonrpc::error(id, jsonrpc::kInternalError, std::string("Internal error: ") + e.what())));
    }
    if (started) exchange->end();
  }
}

}  // namespace apflow::plugins::a2a
