// The SSRF guard: a URL's host is resolved first and refused when any address it resolves to is
// loopback, private, link-local or reserved, unless the executor's settings allow that kind.
// Connections go only to the addresses checked here, so a second DNS answer cannot slip past.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>

#include "common/http_settings.h"

namespace apflow::plugins::common {

enum class AddressKind { kPublic, kLoopback, kPrivate, kLinkLocal, kReserved };

AddressKind classify(const boost::asio::ip::address& address);

// Throws sdk::Error(<code_prefix>_ADDRESS_REFUSED) naming host, address, kind and the setting to
// change.
void check_address(const std::string& host, const boost::asio::ip::address& address,
                   const HttpClientSettings& settings);

}  // namespace apflow::plugins::common
