#include "registry/module_id.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace apflow::registry {
namespace {

std::string rejection(std::string_view id, bool internal = false) {
  try {
    check_module_id(id, internal);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "INVALID_MODULE_ID");
    return e.what();
  }
  return {};
}

TEST(ModuleId, AcceptsApcoreIds) {
  for (auto id : {"apflow.task.create", "a", "executor.schema.validate", "api.acl.check",
                  "apflow.rest_executor", "x1.y_2.z3"}) {
    EXPECT_EQ(rejection(id), "") << id;
  }
}

TEST(ModuleId, RejectsEmpty) {
  EXPECT_NE(rejection("").find("it is empty"), std::string::npos);
}

TEST(ModuleId, RejectsWhatBreaksThePattern) {
  for (auto id : {"Apflow.task", "1abc", "a..b", "a.", ".a", "a-b", "a.B", "a b", "a._x"}) {
    EXPECT_NE(rejection(id).find("pattern"), std::string::npos) << id;
  }
}

TEST(ModuleId, RejectsTooLong) {
  const std::string at_limit(kMaxModuleIdLength, 'a');
  EXPECT_EQ(rejection(at_limit), "");
  EXPECT_NE(rejection(at_limit + "a").find("more than the 192"), std::string::npos);
}

TEST(ModuleId, RejectsReservedFirstSegmentOnly) {
  for (auto id : {"system.x", "internal.y", "core", "apcore.z", "plugin.p", "schema", "acl.a"}) {
    EXPECT_NE(rejection(id).find("reserved"), std::string::npos) << id;
  }
  EXPECT_EQ(rejection("my.system.thing"), "");
  EXPECT_EQ(rejection("systems.ok"), "");
}

TEST(ModuleId, SystemIsAllowedForInternalRegistrationOnly) {
  EXPECT_EQ(rejection("system.health", true), "");
  EXPECT_NE(rejection("core.health", true).find("reserved"), std::string::npos);
}

TEST(ModuleId, ChecksOrderPatternBeforeLength) {
  EXPECT_NE(rejection(std::string(300, 'A')).find("pattern"), std::string::npos);
}

TEST(SimpleId, ExecutorIdsAreOneSegment) {
  EXPECT_NO_THROW(check_simple_id("rest_executor", "executor id"));
  EXPECT_THROW(check_simple_id("rest.executor", "executor id"), Error);
  EXPECT_THROW(check_simple_id("", "executor id"), Error);
  EXPECT_THROW(check_simple_id(std::string(65, 'a'), "executor id"), Error);
  EXPECT_EQ(executor_module_id("rest_executor"), "apflow.rest_executor");
}

}  // namespace
}  // namespace apflow::registry
