#include "common/address_guard.h"

#include <apflow/sdk/error.h>
#include <gtest/gtest.h>

namespace apflow::plugins::common {
namespace {

AddressKind kind(const char* text) {
  return classify(boost::asio::ip::make_address(text));
}

TEST(AddressGuard, ClassifiesIpv4Ranges) {
  EXPECT_EQ(kind("127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(kind("10.0.0.1"), AddressKind::kPrivate);
  EXPECT_EQ(kind("172.31.255.255"), AddressKind::kPrivate);
  EXPECT_EQ(kind("172.32.0.1"), AddressKind::kPublic);
  EXPECT_EQ(kind("192.168.1.1"), AddressKind::kPrivate);
  EXPECT_EQ(kind("100.64.0.1"), AddressKind::kPrivate);
  EXPECT_EQ(kind("169.254.169.254"), AddressKind::kLinkLocal);
  EXPECT_EQ(kind("0.0.0.0"), AddressKind::kReserved);
  EXPECT_EQ(kind("224.0.0.1"), AddressKind::kReserved);
  EXPECT_EQ(kind("255.255.255.255"), AddressKind::kReserved);
  EXPECT_EQ(kind("8.8.8.8"), AddressKind::kPublic);
}

TEST(AddressGuard, ClassifiesIpv6IncludingMappedIpv4) {
  EXPECT_EQ(kind("::1"), AddressKind::kLoopback);
  EXPECT_EQ(kind("::"), AddressKind::kReserved);
  EXPECT_EQ(kind("fd00::1"), AddressKind::kPrivate);
  EXPECT_EQ(kind("fe80::1"), AddressKind::kLinkLocal);
  EXPECT_EQ(kind("ff02::1"), AddressKind::kReserved);
  EXPECT_EQ(kind("::ffff:127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(kind("::ffff:10.1.1.1"), AddressKind::kPrivate);
  EXPECT_EQ(kind("2001:db8::1"), AddressKind::kReserved);
  EXPECT_EQ(kind("2606:4700::1111"), AddressKind::kPublic);
}

TEST(AddressGuard, RefusalNamesHostAddressAndTheSettingToChange) {
  HttpClientSettings settings;
  try {
    check_address("metadata", boost::asio::ip::make_address("169.254.169.254"), settings);
    FAIL() << "not refused";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.code(), "REST_ADDRESS_REFUSED");
    EXPECT_NE(std::string(e.what()).find("metadata -> 169.254.169.254"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("plugins.rest.allow_link_local"), std::string::npos);
  }
  settings.allow_loopback = true;
  EXPECT_NO_THROW(check_address("h", boost::asio::ip::make_address("127.0.0.1"), settings));
  EXPECT_THROW(check_address("h", boost::asio::ip::make_address("10.0.0.1"), settings), sdk::Error);
  settings.allow_private = settings.allow_link_local = true;
  EXPECT_THROW(check_address("h", boost::asio::ip::make_address("0.0.0.0"), settings), sdk::Error);
}

}  // namespace
}  // namespace apflow::plugins::common
