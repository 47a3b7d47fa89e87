#include "common/address_guard.h"

#include <apflow/sdk/error.h>

#include <array>
#include <cstdint>

namespace apflow::plugins::common {
namespace {

using boost::asio::ip::address_v4;
using boost::asio::ip::address_v6;

struct V4Range {
  uint32_t base;
  int prefix;
  AddressKind kind;
};

constexpr uint32_t ip4(int a, int b, int c, int d) {
  return (static_cast<uint32_t>(a) << 24) | (static_cast<uint32_t>(b) << 16) |
         (static_cast<uint32_t>(c) << 8) | static_cast<uint32_t>(d);
}

// IANA special-purpose IPv4 registry, reduced to what matters for outgoing requests.
constexpr std::array<V4Range, 14> kV4Ranges{{
    {ip4(127, 0, 0, 0), 8, AddressKind::kLoopback},
    {ip4(10, 0, 0, 0), 8, AddressKind::kPrivate},
    {ip4(172, 16, 0, 0), 12, AddressKind::kPrivate},
    {ip4(192, 168, 0, 0), 16, AddressKind::kPrivate},
    {ip4(100, 64, 0, 0), 10, AddressKind::kPrivate},  // carrier-grade NAT
    {ip4(169, 254, 0, 0), 16, AddressKind::kLinkLocal},
    {ip4(0, 0, 0, 0), 8, AddressKind::kReserved},
    {ip4(192, 0, 0, 0), 24, AddressKind::kReserved},
    {ip4(192, 0, 2, 0), 24, AddressKind::kReserved},
    {ip4(198, 18, 0, 0), 15, AddressKind::kReserved},
    {ip4(198, 51, 100, 0), 24, AddressKind::kReserved},
    {ip4(203, 0, 113, 0), 24, AddressKind::kReserved},
    {ip4(224, 0, 0, 0), 4, AddressKind::kReserved},  // multicast
    {ip4(240, 0, 0, 0), 4, AddressKind::kReserved},  // reserved and broadcast
}};

AddressKind classify_v4(const address_v4& address) {
  const uint32_t value = address.to_uint();
  for (const auto& range : kV4Ranges) {
    const uint32_t mask = range.prefix == 0 ? 0 : ~uint32_t{0} << (32 - range.prefix);
    if ((value & mask) == range.base) return range.kind;
  }
  return AddressKind::kPublic;
}

AddressKind classify_v6(const address_v6& address) {
  if (address.is_v4_mapped()) {
    return classify_v4(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address));
  }
  if (address.is_loopback()) return AddressKind::kLoopback;
  if (address.is_unspecified() || address.is_multicast()) return AddressKind::kReserved;
  const auto bytes = address.to_bytes();
  if ((bytes[0] & 0xfe) == 0xfc) return AddressKind::kPrivate;                        // fc00::/7
  if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) return AddressKind::kLinkLocal;  // fe80::/10
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8) {
    return AddressKind::kReserved;  // 2001:db8::/32, documentation
  }
  if (bytes[0] == 0x00 || bytes[0] == 0x01) return AddressKind::kReserved;  // IPv4-compatible etc.
  return AddressKind::kPublic;
}

const char* describe(AddressKind kind) {
  switch (kind) {
    case AddressKind::kLoopback:
      return "a loopback address";
    case AddressKind::kPrivate:
      return "a private address";
    case AddressKind::kLinkLocal:
      return "a link-local address";
    case AddressKind::kReserved:
      return "a reserved address";
    case AddressKind::kPublic:
      break;
  }
  return "a public address";
}

const char* setting_for(AddressKind kind) {
  switch (kind) {
    case AddressKind::kLoopback:
      return "allow_loopback";
    case AddressKind::kPrivate:
      return "allow_private";
    case AddressKind::kLinkLocal:
      return "allow_link_local";
    default:
      return nullptr;
  }
}

}  // namespace

AddressKind classify(const boost::asio::ip::address& address) {
  return address.is_v4() ? classify_v4(address.to_v4()) : classify_v6(address.to_v6());
}

void check_address(const std::string& host, const boost::asio::ip::address& address,
                   const HttpClientSettings& settings) {
  const AddressKind kind = classify(address);
  const bool allowed = kind == AddressKind::kPublic ||
                       (kind == AddressKind::kLoopback && settings.allow_loopback) ||
                       (kind == AddressKind::kPrivate && settings.allow_private) ||
                       (kind == AddressKind::kLinkLocal && settings.allow_link_local);
  if (allowed) return;
  std::string message = "[" + settings.label + "] URL targets a private/reserved address: " + host +
                        " -> " + address.to_string() + " is " + describe(kind);
  if (const char* key = setting_for(kind)) {
    message +=
        "; if this is intended, set " + settings.section + "." + key + ": true in apflow.yaml";
  } else {
    message += ", which is never allowed";
  }
  throw sdk::Error(settings.code_prefix + "_ADDRESS_REFUSED", message);
}

}  // namespace apflow::plugins::common
