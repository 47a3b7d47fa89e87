#include "mcp/http_transport.h"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <optional>
#include <random>

#include "common/jsonrpc.h"
#include "common/sse.h"

namespace apflow::plugins::mcp {

namespace jsonrpc = protocols::jsonrpc;
namespace http = protocols::http;
using protocols::HttpExchange;
using protocols::HttpResponse;

namespace {

// The TS SDK's code for transport-level refusals.
constexpr int kTransportError = -32000;
constexpr int kSessionNotFound = -32001;
constexpr auto kSessionIdleLimit = std::chrono::minutes(30);
constexpr size_t kMaxSessions = 10000;

HttpResponse rpc_refusal(http::status status, int code, const std::string& message) {
  return protocols::make_response(status, jsonrpc::error("null", code, message));
}

// Whether Accept, over all its lines, takes `type`.
bool accepts(const protocols::HttpRequest& request, std::string_view type) {
  return protocols::header_lists(request, "Accept", type) ||
         protocols::header_lists(request, "Accept", "*/*");
}

// The refusal of a request that gives a one-value header of the transport more than once:
// which of them the client meant cannot be told.
std::optional<HttpResponse> check_single_headers(const protocols::HttpRequest& request) {
  for (const char* name : {"Mcp-Session-Id", "MCP-Protocol-Version", "Content-Type", "Origin"}) {
    if (protocols::header_count(request, name) > 1) {
      return rpc_refusal(http::status::bad_request, kTransportError,
                         std::string("Bad Request: the header ") + name +
                             " is given more than once; send it once");
    }
  }
  return std::nullopt;
}

// The refusal of a POST whose headers do not follow the Streamable HTTP transport, if any.
std::optional<HttpResponse> check_post_headers(const protocols::HttpRequest& request) {
  if (!accepts(request, "application/json") || !accepts(request, "text/event-stream")) {
    return rpc_refusal(http::status::not_acceptable, kTransportError,
                       "Not Acceptable: Accept must list application/json and text/event-stream");
  }
  const std::string_view type = protocols::header(request, "Content-Type");
  if (!boost::beast::iequals(type.substr(0, 16), "application/json")) {
    return rpc_refusal(http::status::unsupported_media_type, kTransportError,
                       "Unsupported Media Type: send application/json");
  }
  const std::string_view version = protocols::header(request, "MCP-Protocol-Version");
  if (!version.empty() && !is_supported_version(version)) {
    return rpc_refusal(http::status::bad_request, kTransportError,
                       "Bad Request: unsupported MCP-Protocol-Version " + std::string(version));
  }
  return std::nullopt;
}

// A session's GET stream, as the outlet of its log messages; dropping it ends the stream.
class SseOutlet final : public Outlet {
 public:
  explicit SseOutlet(std::shared_ptr<HttpExchange> exchange) : exchange_(std::move(exchange)) {}
  ~SseOutlet() override { exchange_->end(); }
  void send(const std::string& message_json) override {
    exchange_->send(protocols::sse::event(message_json));
  }

 private:
  std::shared_ptr<HttpExchange> exchange_;
};

std::string new_session_id() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) id.push_back(kHex[random() % 16]);
  return id;
}

bool is_initialize(const jsonrpc::Parsed& parsed) {
  if (parsed.batch || parsed.items.size() != 1) return false;
  const auto* message = std::get_if<jsonrpc::Message>(&parsed.items.front());
  return message != nullptr && message->kind == jsonrpc::Message::Kind::kRequest &&
         message->method == "initialize";
}

bool wants_progress(const jsonrpc::Parsed& parsed) {
  if (parsed.batch || parsed.items.size() != 1) return false;
  const auto* message = std::get_if<jsonrpc::Message>(&parsed.items.front());
  if (message == nullptr || !message->params.IsObject()) return false;
  auto meta = message->params.FindMember("_meta");
  return meta != message->params.MemberEnd() && meta->value.IsObject() &&
         meta->value.HasMember("progressToken");
}

size_t count_requests(const jsonrpc::Parsed& parsed, size_t* messages) {
  size_t requests = 0;
  for (const auto& item : parsed.items) {
    const auto* message = std::get_if<jsonrpc::Message>(&item);
    if (message == nullptr) continue;
    ++*messages;
    if (message->kind == jsonrpc::Message::Kind::kRequest) ++requests;
  }
  return requests;
}

// Sends the parsed messages to the session and the answer back: as one JSON body, or, when
// progress was asked for, as an event stream carrying the notifications and then the answer.
void answer(const std::shared_ptr<McpSession>& session, jsonrpc::Parsed parsed,
            const std::shared_ptr<HttpExchange>& exchange, const std::string& session_id,
            http::status status) {
  auto each = [session](const jsonrpc::Message& message, jsonrpc::Sink sink) {
    session->handle(message, std::move(sink));
  };
  if (wants_progress(parsed)) {
    HttpResponse head = protocols::make_response(http::status::ok, {}, "text/event-stream");
    head.set(http::field::cache_control, "no-cache");
    head.set("Mcp-Session-Id", session_id);
    exchange->start_stream(std::move(head));
    auto send = [exchange](std::string text) { exchange->send(protocols::sse::event(text)); };
    jsonrpc::answer(
        std::move(parsed), each,
        [exchange](std::string text) {
          if (!text.empty()) exchange->send(protocols::sse::event(text));
          exchange->end();
        },
        send);
    return;
  }
  jsonrpc::answer(std::move(parsed), each, [exchange, session_id, status](std::string text) {
    // A cancelled request gets no answer; the HTTP request still needs one.
    HttpResponse response = text.empty() ? protocols::make_response(http::status::accepted, {})
                                         : protocols::make_response(status, std::move(text));
    response.set("Mcp-Session-Id", session_id);
    exchange->respond(std::move(response));
  });
}

}  // namespace

HttpTransport::HttpTransport(const McpContext& context, protocols::HttpConfig config,
                             std::vector<std::string> allowed_origins)
    : context_(context),
      allowed_origins_(std::move(allowed_origins)),
      server_(std::move(config),
              [this](std::shared_ptr<HttpExchange> exchange) { handle(exchange); }) {}

void HttpTransport::listen() {
  server_.listen();
}

std::string HttpTransport::url() const {
  const std::string& host = server_.config().host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(server_.port()) +
         "/mcp";
}

void HttpTransport::run() {
  server_.run();
  std::map<std::string, Entry, std::less<>> sessions;
  {
    std::lock_guard lock(mutex_);
    sessions.swap(sessions_);
  }
  // Whatever outlived the drain time is cancelled; nothing may still run once we return.
  for (auto& [id, entry] : sessions) entry.session->cancel_all();
}

bool HttpTransport::origin_allowed(std::string_view origin) const {
  if (origin.empty() || protocols::is_local_origin(origin)) return true;
  const auto& cors = server_.config().cors_origins;
  auto match = [origin](const std::string& allowed) { return allowed == "*" || allowed == origin; };
  return std::any_of(allowed_origins_.begin(), allowed_origins_.end(), match) ||
         std::any_of(cors.begin(), cors.end(), match);
}

void HttpTransport::handle(const std::shared_ptr<HttpExchange>& exchange) {
  const auto& request = exchange->request();
  const std::string_view path = protocols::path_of(request);
  if (explorer_ != nullptr && explorer_->handles(path)) return explorer_->handle(exchange);
  if (path == "/health" && request.method() == http::verb::get) {
    return exchange->respond(protocols::make_response(
        http::status::ok,
        R"({"status":"ok","tools":)" + std::to_string(context_.catalog.size()) + "}"));
  }
  if (path != "/mcp") {
    return exchange->respond(
        protocols::error_response(http::status::not_found, "Not Found: MCP is served at /mcp"));
  }
  if (auto refusal = check_single_headers(request)) return exchange->respond(std::move(*refusal));
  const std::string_view origin = protocols::header(request, "Origin");
  if (!origin_allowed(origin)) {
    return exchange->respond(protocols::error_response(
        http::status::forbidden, "Forbidden: origin " + std::string(origin) + " is not allowed"));
  }
  if (request.method() == http::verb::post) return post(exchange);
  if (request.method() == http::verb::delete_) return remove(exchange);
  if (request.method() == http::verb::get) return listen_stream(exchange);
  HttpResponse refusal =
      protocols::error_response(http::status::method_not_allowed, "Method Not Allowed");
  refusal.set(http::field::allow, "GET, POST, DELETE");
  exchange->respond(std::move(refusal));
}

void HttpTransport::post(const std::shared_ptr<HttpExchange>& exchange) {
  const auto& request = exchange->request();
  if (auto refusal = check_post_headers(request)) return exchange->respond(std::move(*refusal));
  jsonrpc::Parsed parsed = jsonrpc::parse(request.body());
  const auto* first = std::get_if<jsonrpc::Invalid>(&parsed.items.front());
  if (first != nullptr && first->code == jsonrpc::kParseError) {
    return exchange->respond(
        protocols::make_response(http::status::bad_request, jsonrpc::error(*first)));
  }
  std::shared_ptr<McpSession> session;
  std::string session_id(protocols::header(request, "Mcp-Session-Id"));
  if (is_initialize(parsed) && !session_id.empty() && find_session(session_id)) {
    return exchange->respond(rpc_refusal(http::status::bad_request, jsonrpc::kInvalidRequest,
                                         "Invalid Request: this session is already initialized"));
  }
  if (is_initialize(parsed)) {
    session = std::make_shared<McpSession>(context_);
    session_id = open_session(session);
    if (session_id.empty()) {
      return exchange->respond(rpc_refusal(http::status::service_unavailable, kTransportError,
                                           "Service Unavailable: too many MCP sessions; end "
                                           "unused ones with DELETE"));
    }
  } else if (session_id.empty()) {
    return exchange->respond(rpc_refusal(http::status::bad_request, kTransportError,
                                         "Bad Request: Mcp-Session-Id header is required"));
  } else if (!(session = find_session(session_id))) {
    return exchange->respond(
        rpc_refusal(http::status::not_found, kSessionNotFound, "Session not found"));
  }
  if (parsed.batch && !session->batches_allowed()) {
    return exchange->respond(rpc_refusal(
        http::status::bad_request, jsonrpc::kInvalidRequest,
        "Invalid Request: JSON-RPC batches are not part of MCP " + session->protocol_version()));
  }
  size_t messages = 0;
  if (count_requests(parsed, &messages) == 0 && messages == parsed.items.size()) {
    answer(session, std::move(parsed), exchange, session_id, http::status::accepted);
    return;
  }
  // A body with nothing processable (e.g. "jsonrpc" missing) is the client's fault: 400.
  answer(session, std::move(parsed), exchange, session_id,
         messages == 0 ? http::status::bad_request : http::status::ok);
}

// One stream per session: a new GET replaces the previous stream (which ends), since a client
// whose connection broke silently must be able to listen again, and MCP sends each message on
// one stream only. Last-Event-ID is not honoured: log messages are not replayed.
void HttpTransport::listen_stream(const std::shared_ptr<HttpExchange>& exchange) {
  const auto& request = exchange->request();
  if (!accepts(request, "text/event-stream")) {
    return exchange->respond(rpc_refusal(http::status::not_acceptable, kTransportError,
                                         "Not Acceptable: Accept must list text/event-stream"));
  }
  const std::string_view version = protocols::header(request, "MCP-Protocol-Version");
  if (!version.empty() && !is_supported_version(version)) {
    return exchange->respond(
        rpc_refusal(http::status::bad_request, kTransportError,
                    "Bad Request: unsupported MCP-Protocol-Version " + std::string(version)));
  }
  const std::string session_id(protocols::header(request, "Mcp-Session-Id"));
  if (session_id.empty()) {
    return exchange->respond(rpc_refusal(http::status::bad_request, kTransportError,
                                         "Bad Request: Mcp-Session-Id header is required"));
  }
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(session_id);
  if (stopping_ || it == sessions_.end()) {
    return exchange->respond(
        rpc_refusal(http::status::not_found, kSessionNotFound, "Session not found"));
  }
  it->second.last_used = std::chrono::steady_clock::now();
  HttpResponse head = protocols::make_response(http::status::ok, {}, "text/event-stream");
  head.set(http::field::cache_control, "no-cache");
  head.set("Mcp-Session-Id", session_id);
  exchange->start_stream(std::move(head));
  // Under mutex_, so that stop() cannot miss a stream opening now.
  it->second.session->log().attach(std::make_shared<SseOutlet>(exchange));
}

void HttpTransport::stop() noexcept {
  std::vector<std::shared_ptr<McpSession>> sessions;
  try {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, entry] : sessions_) sessions.push_back(entry.session);
  } catch (const std::exception&) {  // out of memory: the drain time still ends the streams
  }
  for (auto& session : sessions) session->log().detach();
  server_.stop();
}

void HttpTransport::remove(const std::shared_ptr<HttpExchange>& exchange) {
  const std::string_view id = protocols::header(exchange->request(), "Mcp-Session-Id");
  if (id.empty()) {
    return exchange->respond(rpc_refusal(http::status::bad_request, kTransportError,
                                         "Bad Request: Mcp-Session-Id header is required"));
  }
  std::shared_ptr<McpSession> session;
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it != sessions_.end()) {
      session = std::move(it->second.session);
      sessions_.erase(it);
    }
  }
  if (!session) {
    return exchange->respond(
        rpc_refusal(http::status::not_found, kSessionNotFound, "Session not found"));
  }
  // Dropping the last reference cancels the session's calls without waiting for them; its GET
  // stream ends now, even if a call still holds the log.
  session->log().detach();
  exchange->respond(protocols::make_response(http::status::no_content, {}));
}

std::shared_ptr<McpSession> HttpTransport::find_session(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  it->second.last_used = std::chrono::steady_clock::now();
  return it->second.session;
}

std::string HttpTransport::open_session(std::shared_ptr<McpSession> session) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [now](const auto& item) {
    return now - item.second.last_used > kSessionIdleLimit && !item.second.session->busy();
  });
  if (sessions_.size() >= kMaxSessions) return {};
  std::string id = new_session_id();
  while (sessions_.count(id) != 0) id = new_session_id();
  sessions_.emplace(id, Entry{std::move(session), now});
  return id;
}

}  // namespace apflow::plugins::mcp
