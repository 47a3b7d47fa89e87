#include "common/http_client.h"

#include <apflow/sdk/error.h>
#include <openssl/ssl.h>
#include <strings.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <future>
#include <thread>

#include "common/address_guard.h"
#include "common/connection_pool.h"

namespace apflow::plugins::common {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using boost::system::system_error;

// What a waiting caller may stop; touched only on the io thread.
struct HopState {
  std::weak_ptr<Connection> connection;
  std::weak_ptr<tcp::resolver> resolver;
  bool aborted = false;

  void abort() {
    aborted = true;
    if (auto r = resolver.lock()) r->cancel();
    if (auto c = connection.lock()) c->close();
  }
};

std::string origin_of(const HttpRequest& r) {
  return r.url.scheme + "://" + r.url.host + ":" + std::to_string(r.url.port) +
         (r.verify ? "" : "#unverified");
}

BeastRequest beast_request(const HttpRequest& r, const std::string& user_agent) {
  BeastRequest out;
  const http::verb verb = http::string_to_verb(r.method);
  if (verb == http::verb::unknown) {
    out.method_string(r.method);
  } else {
    out.method(verb);
  }
  out.target(r.url.target);
  out.version(11);
  out.set(http::field::host, r.url.authority());
  out.set(http::field::user_agent, user_agent);
  out.set(http::field::accept, "*/*");
  for (const auto& [name, value] : r.headers) out.set(name, value);
  for (const auto& [name, value] : r.auth_headers) out.set(name, value);
  out.body() = r.body;
  out.keep_alive(true);
  out.prepare_payload();
  return out;
}

HttpResponse to_response(BeastParser& parser, const Url& url) {
  auto& message = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(message.result_int());
  out.url = url.to_string();
  for (const auto& field : message) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(message.body());
  return out;
}

// A pooled connection the server closed meanwhile fails like this before any response byte.
bool is_stale(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

bool is_resolve_error(const error_code& ec) {
  return ec.category() == asio::error::get_netdb_category() ||
         ec.category() == asio::error::get_addrinfo_category();
}

sdk::Error transport_error(const error_code& ec, bool timed_out, const HttpRequest& r,
                           const HttpClientSettings& settings) {
  const std::string what = r.method + " " + r.url.to_string();
  if (timed_out || ec == beast::error::timeout) {
    return sdk::Error(settings.code_prefix + "_TIMEOUT",
                      "[" + settings.label + "] Request timeout: " + what +
                          " did not finish within " + std::to_string(r.timeout.count() / 1000.0) +
                          " s; raise 'timeout' or check the server",
                      {}, sdk::Retry::kYes);
  }
  if (ec == http::error::body_limit || ec == http::error::header_limit) {
    return sdk::Error(settings.code_prefix + "_RESPONSE_TOO_LARGE",
                      "[" + settings.label + "] the response to " + what + " is larger than " +
                          settings.section + ".max_response_bytes (" +
                          std::to_string(settings.max_response_bytes) +
                          " bytes); raise the setting or ask for less",
                      {}, sdk::Retry::kNo);
  }
  if (ec.category() == asio::error::get_ssl_category() ||
      ec.category() == asio::ssl::error::get_stream_category()) {
    return sdk::Error(settings.code_prefix + "_TLS_ERROR",
                      "[" + settings.label + "] TLS with " + r.url.host +
                          " failed: " + ec.message() +
                          "; if the server's certificate comes from a private CA, set " +
                          settings.section + ".ca_file to that CA's PEM file",
                      {}, sdk::Retry::kNo);
  }
  if (is_resolve_error(ec)) {
    return sdk::Error(
        settings.code_prefix + "_RESOLVE_FAILED",
        "[" + settings.label + "] Cannot resolve hostname '" + r.url.host + "': " + ec.message(),
        {}, ec == asio::error::host_not_found_try_again ? sdk::Retry::kYes : sdk::Retry::kNo);
  }
  return sdk::Error(settings.code_prefix + "_CONNECT_FAILED",
                    "[" + settings.label + "] Connection failed: " + what + ": " + ec.message(), {},
                    sdk::Retry::kYes);
}

}  // namespace

struct HttpClient::Impl {
  HttpClientSettings settings;
  asio::io_context io;
  asio::ssl::context verifying{asio::ssl::context::tls_client};
  asio::ssl::context unverified{asio::ssl::context::tls_client};
  ConnectionPool pool;
  bool system_roots_loaded = false;  // touched by the io thread only
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::thread thread;

  explicit Impl(HttpClientSettings s)
      : settings(std::move(s)),
        pool(settings.pool_max_idle_per_host, settings.pool_idle_timeout),
        work(asio::make_work_guard(io)) {
    for (auto* context : {&verifying, &unverified}) {
      SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    }
    if (!settings.ca_file.empty()) {
      error_code ec;
      verifying.load_verify_file(settings.ca_file, ec);
      if (ec) {
        throw sdk::Error(settings.code_prefix + "_CONFIG_INVALID",
                         settings.section + ".ca_file '" + settings.ca_file +
                             "' could not be loaded (" + ec.message() +
                             "); give a readable PEM file of CA certificates");
      }
    }
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    work.reset();
    io.stop();
    thread.join();
    pool.clear();
  }

  asio::awaitable<std::shared_ptr<Connection>> connect(const HttpRequest& request,
                                                       Clock::time_point deadline,
                                                       std::shared_ptr<HopState> state) {
    auto resolver = std::make_shared<tcp::resolver>(io);
    state->resolver = resolver;
    const auto endpoints = co_await resolver->async_resolve(
        request.url.host, std::to_string(request.url.port), asio::use_awaitable);
    if (state->aborted) throw system_error(asio::error::operation_aborted);
    // Every address is checked, and only these are connected to: no second lookup.
    for (const auto& entry : endpoints) {
      check_address(request.url.host, entry.endpoint().address(), settings);
    }
    asio::ssl::context* tls = nullptr;
    if (request.url.scheme == "https") tls = request.verify ? &verifying : &unverified;
    if (tls == &verifying && !system_roots_loaded) {
      // Parsing the system CA bundle costs ~250 M instructions (tens of ms): paid by the first
      // verified https call, not by every process that loads the plugin. Only the io thread
      // gets here, and before any verified connection exists.
      verifying.set_default_verify_paths();
      system_roots_loaded = true;
    }
    auto connection = std::make_shared<Connection>(io, tls);
    state->connection = connection;
    co_await connection->open(endpoints, request.url.host, request.verify,
                              Clock::now() + settings.connect_timeout, deadline);
    co_return connection;
  }

  asio::awaitable<HttpResponse> fetch(HttpRequest request, Clock::time_point deadline,
                                      std::shared_ptr<HopState> state) {
    const std::string origin = origin_of(request);
    for (int attempt = 0;; ++attempt) {
      std::shared_ptr<Connection> connection = attempt == 0 ? pool.take(origin) : nullptr;
      const bool reused = connection != nullptr;
      if (!reused) connection = co_await connect(request, deadline, state);
      state->connection = connection;
      if (state->aborted) throw system_error(asio::error::operation_aborted);
      BeastRequest message = beast_request(request, settings.user_agent);
      BeastParser parser;
      parser.body_limit(settings.max_response_bytes);
      parser.header_limit(64 * 1024);
      if (request.method == "HEAD") parser.skip(true);
      bool stale = false;
      try {
        co_await connection->exchange(message, parser, deadline);
      } catch (const system_error& e) {
        // A reused connection the server dropped while idle: once more on a fresh one.
        if (!reused || state->aborted || !is_stale(e.code())) throw;
        stale = true;
      }
      if (stale) {
        connection->close();
        continue;
      }
      HttpResponse response = to_response(parser, request.url);
      if (parser.get().keep_alive() && settings.pool_max_idle_per_host > 0) {
        pool.give(origin, std::move(connection));
      } else {
        connection->close();
      }
      co_return response;
    }
  }

  HttpResponse run_hop(const HttpRequest& request, Clock::time_point deadline,
                       const std::function<bool()>& cancelled) {
    auto state = std::make_shared<HopState>();
    auto future = asio::co_spawn(io, fetch(request, deadline, state), asio::use_future);
    enum class Stop { kNo, kCancelled, kTimedOut } stop = Stop::kNo;
    // The io thread enforces the deadline on sockets; this also covers DNS, which it cannot.
    while (future.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
      if (stop != Stop::kNo) continue;
      if (cancelled()) {
        stop = Stop::kCancelled;
      } else if (Clock::now() > deadline + std::chrono::milliseconds(100)) {
        stop = Stop::kTimedOut;
      } else {
        continue;
      }
      asio::post(io, [state] { state->abort(); });
    }
    try {
      return future.get();
    } catch (const system_error& e) {
      if (stop == Stop::kCancelled)
        throw sdk::Error("EXECUTION_CANCELLED", "the request was cancelled");
      throw transport_error(e.code(), stop == Stop::kTimedOut, request, settings);
    }
  }
};

HttpClient::HttpClient(HttpClientSettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::perform(const HttpRequest& request,
                                 const std::function<bool()>& cancelled) {
  const auto deadline = Clock::now() + request.timeout;
  const HttpClientSettings& settings = impl_->settings;
  HttpRequest current = request;
  for (int hop = 0;; ++hop) {
    HttpResponse response = impl_->run_hop(current, deadline, cancelled);
    if (!current.follow_redirects || !is_redirect(response.status)) return response;
    std::string location;
    for (const auto& [name, value] : response.headers) {
      if (name.size() == 8 && strncasecmp(name.c_str(), "location", 8) == 0) location = value;
    }
    if (location.empty()) return response;
    if (hop >= current.max_redirects) {
      throw sdk::Error(settings.code_prefix + "_TOO_MANY_REDIRECTS",
                       "[" + settings.label + "] more than " +
                           std::to_string(current.max_redirects) + " redirects starting at " +
                           request.url.to_string() + " (the last pointed to " + location +
                           "); raise max_redirects or call the final URL",
                       {}, sdk::Retry::kNo);
    }
    current = redirected(current, response.status, location, settings.label, settings.code_prefix);
  }
}

}  // namespace apflow::plugins::common
