// Registers an executor id that testkit already holds: its init must fail and its other
// registration (dupe.first) must be rolled back.
#include <apflow/sdk/sdk.h>

namespace {

class First final : public apflow::sdk::BlockingModule {
 public:
  static constexpr std::string_view kId = "dupe.first";
  static constexpr std::string_view kDescription = "Registered before the clash.";
  apflow::sdk::Json run(const apflow::sdk::Json&, apflow::sdk::Call&) override {
    return apflow::sdk::make_object();
  }
};

class Clash final : public apflow::sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "echo_executor";
  static constexpr std::string_view kDescription = "Clashes with testkit's executor.";
  apflow::sdk::Json run(const apflow::sdk::Json&, apflow::sdk::Call&) override {
    return apflow::sdk::make_object();
  }
};

}  // namespace

APFLOW_PLUGIN("dupe", "1.0.0", APFLOW_MODULE(First), APFLOW_EXECUTOR(Clash))
