// EventBus: who hears what. Publishers skip writing events nobody hears, so `wants` must agree
// with what `publish` delivers.
#include "core/event_bus.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace apflow {
namespace {

TEST(EventBus, EndsOnlySubscribersHearTreeEndsOfTheirTree) {
  EventBus bus;
  std::vector<std::string> heard;
  bus.subscribe(
      "t1", [&](std::string_view e) { heard.emplace_back(e); }, /*ends_only=*/true);
  EXPECT_FALSE(bus.wants("t1", EventBus::Kind::kTask));
  EXPECT_TRUE(bus.wants("t1", EventBus::Kind::kTreeEnd));
  EXPECT_FALSE(bus.wants("t2", EventBus::Kind::kTreeEnd));
  bus.publish("t1", "started", EventBus::Kind::kTask);
  bus.publish("t2", "other tree ended", EventBus::Kind::kTreeEnd);
  bus.publish("t1", "ended", EventBus::Kind::kTreeEnd);
  EXPECT_EQ(heard, std::vector<std::string>{"ended"});
}

TEST(EventBus, AnAllTreesSubscriberHearsEveryTaskEventUntilItLeaves) {
  EventBus bus;
  int heard = 0;
  const auto id = bus.subscribe("", [&](std::string_view) { ++heard; });
  EXPECT_TRUE(bus.wants("any", EventBus::Kind::kTask));
  bus.publish("a", "e1");
  bus.publish("b", "e2", EventBus::Kind::kTreeEnd);
  bus.unsubscribe(id);
  EXPECT_FALSE(bus.wants("any", EventBus::Kind::kTask));
  bus.publish("a", "e3");
  EXPECT_EQ(heard, 2);
}

}  // namespace
}  // namespace apflow
