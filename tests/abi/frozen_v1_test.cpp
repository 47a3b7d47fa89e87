// The frozen ABI v1 plugin keeps loading and running in today's host.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <future>

#include "config/config.h"
#include "plugins/plugin_host.h"
#include "process.h"
#include "registry/call_pipeline.h"

namespace apflow {
namespace {

class FrozenV1 : public ::testing::Test {
 protected:
  FrozenV1()
      : config_(config::Config::defaults()),
        pipeline_(registry_, 5000, 2),
        host_(registry_, pipeline_, events_, config_) {
    host_.load_all({FROZEN_PLUGIN_DIR});
  }
  ~FrozenV1() override { pipeline_.drain(); }

  config::Config config_;
  registry::Registry registry_;
  registry::CallPipeline pipeline_;
  EventBus events_;
  plugins::PluginHost host_;
};

TEST_F(FrozenV1, LoadsWithItsMetadata) {
  ASSERT_EQ(host_.plugins().size(), 1u);
  const auto& plugin = host_.plugins().front();
  EXPECT_EQ(plugin.status, plugins::PluginStatus::kLoaded) << plugin.reason;
  EXPECT_EQ(plugin.abi_major, 1u);
  auto module = registry_.find("apflow.frozen_upper");
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(module->kind, registry::ModuleKind::kExecutor);
  EXPECT_TRUE(module->annotations.readonly);
}

TEST_F(FrozenV1, RunsAndReportsThroughTheCallObject) {
  std::vector<double> progress;
  std::promise<registry::CallOutcome> done;
  registry::CallObserver observer;
  observer.on_progress = [&](double f, std::string_view) { progress.push_back(f); };
  observer.on_done = [&](const registry::CallOutcome& o) { done.set_value(o); };
  pipeline_.start({.module_id = "apflow.frozen_upper", .input_json = R"({"text":"abi v1"})"},
                  std::move(observer));
  auto outcome = done.get_future().get();
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_EQ(outcome.output_json, R"({"upper":"ABI V1","cancelled":false})");
  EXPECT_EQ(progress, std::vector<double>{0.5});
}

TEST_F(FrozenV1, ErrorsCrossTheLineIntact) {
  auto outcome = pipeline_.call({.module_id = "frozen.refuse", .input_json = "{}"});
  EXPECT_EQ(outcome.error_code, "FROZEN_REFUSED");
  EXPECT_EQ(outcome.error_message, "the frozen plugin refuses politely");
  EXPECT_EQ(outcome.error_details_json, R"({"why":"testing"})");
  EXPECT_FALSE(outcome.retryable);
}

TEST(FrozenV1Binary, ListedByApflowInfo) {
  auto result = testing::run_process(
      {testing::apflow_binary(), "info", "--json", "--plugin-dir", FROZEN_PLUGIN_DIR},
      {.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH"}, .cwd = "/"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(R"("id": "apflow.frozen_upper")"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace apflow
