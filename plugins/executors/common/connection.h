// One HTTP/1.1 connection, plain or TLS, driven by coroutines on the client's io_context: it
// connects (with certificate and host name verification), then carries request/response
// exchanges until either side closes it. Only the io_context's thread touches it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace apflow::plugins::common {

using Clock = std::chrono::steady_clock;
using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastParser = boost::beast::http::response_parser<boost::beast::http::string_body>;

class Connection {
 public:
  // tls: the context to use for https, nullptr for plain http.
  Connection(boost::asio::io_context& io, boost::asio::ssl::context* tls);

  // Connects to the first reachable endpoint, then does the TLS handshake (SNI and host name
  // checked against `host` when verify is on). Throws boost::system::system_error.
  boost::asio::awaitable<void> open(const boost::asio::ip::tcp::resolver::results_type& endpoints,
                                    const std::string& host, bool verify,
                                    Clock::time_point connect_deadline, Clock::time_point deadline);

  // Writes the request and reads the response into the parser, both before the deadline.
  boost::asio::awaitable<void> exchange(BeastRequest& request, BeastParser& parser,
                                        Clock::time_point deadline);

  // Closes the socket at once; pending operations end with operation_aborted.
  void close() noexcept;
  // False when the peer has already closed (or sent something unasked) while idle.
  bool looks_usable() noexcept;

  Clock::time_point idle_since{};

 private:
  boost::beast::tcp_stream& tcp() noexcept;

  std::unique_ptr<boost::beast::tcp_stream> plain_;
  std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace apflow::plugins::common
