#include "common/connection.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace apflow::plugins::common {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Connection::Connection(asio::io_context& io, asio::ssl::context* tls) {
  if (tls != nullptr) {
    tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io, *tls);
  } else {
    plain_ = std::make_unique<beast::tcp_stream>(io);
  }
}

beast::tcp_stream& Connection::tcp() noexcept {
  return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

asio::awaitable<void> Connection::open(const asio::ip::tcp::resolver::results_type& endpoints,
                                       const std::string& host, bool verify,
                                       Clock::time_point connect_deadline,
                                       Clock::time_point deadline) {
  tcp().expires_at(std::min(connect_deadline, deadline));
  co_await tcp().async_connect(endpoints, asio::use_awaitable);
  if (!tls_) co_return;
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  const bool is_ip = !ec;
  // SNI carries names only (RFC 6066 §3); IP literals are checked against the certificate's
  // IP subjectAltName by host_name_verification.
  if (!is_ip && SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str()) != 1) {
    throw boost::system::system_error(static_cast<int>(::ERR_get_error()),
                                      asio::error::get_ssl_category());
  }
  if (verify) {
    tls_->set_verify_mode(asio::ssl::verify_peer);
    tls_->set_verify_callback(asio::ssl::host_name_verification(host));
  } else {
    tls_->set_verify_mode(asio::ssl::verify_none);
  }
  co_await tls_->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
}

asio::awaitable<void> Connection::exchange(BeastRequest& request, BeastParser& parser,
                                           Clock::time_point deadline) {
  tcp().expires_at(deadline);
  if (tls_) {
    co_await http::async_write(*tls_, request, asio::use_awaitable);
    co_await http::async_read(*tls_, buffer_, parser, asio::use_awaitable);
  } else {
    co_await http::async_write(*plain_, request, asio::use_awaitable);
    co_await http::async_read(*plain_, buffer_, parser, asio::use_awaitable);
  }
  tcp().expires_never();
}

void Connection::close() noexcept {
  boost::system::error_code ec;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  tcp().socket().close(ec);
}

bool Connection::looks_usable() noexcept {
  if (!tcp().socket().is_open() || buffer_.size() != 0) return false;
  // Readable while idle means the server closed the connection (EOF) or broke protocol.
  pollfd p{tcp().socket().native_handle(), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

}  // namespace apflow::plugins::common
