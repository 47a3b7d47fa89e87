// Scheduled tasks through the engine on a real SQLite store: creation with a schedule, the
// scheduled listing, updates that move the next run, and due tasks started by run_due.
#include <chrono>
#include <thread>

#include "core/error.h"
#include "engine/clock.h"
#include "engine/schedule.h"
#include "engine_fixture.h"

namespace apflow::testing {
namespace {

class ScheduleTest : public EngineTest {
 protected:
  Json scheduled(const std::string& input = "{}") { return engine_->scheduled(parse(input)); }
  Json run_due() { return engine_->run_due(parse("{}")); }
  std::string create_error(const std::string& extra) {
    try {
      create(R"({"tasks":[)" + task("nightly", extra) + "]}");
    } catch (const Error& e) {
      return e.what();
    }
    return "created";
  }
  // Calls run_due until it starts something or two seconds pass.
  Json run_due_when_ready() {
    for (int i = 0; i < 40; ++i) {
      auto out = run_due();
      if (out["started"].Size() > 0) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return run_due();
  }
};

TEST_F(ScheduleTest, CreationWorksOutTheNextRunAndTheListingShowsOnlyScheduledTasks) {
  const int64_t before = engine::now_ms();
  create(R"({"tasks":[)" +
         task("nightly", R"("schedule_type":"cron","schedule_expression":"0 3 * * *")") + "," +
         task("plain") + "]}");
  auto list = scheduled();
  ASSERT_EQ(list["count"].GetInt(), 1);
  EXPECT_EQ(list["total"].GetInt(), 1);
  const auto& t = list["tasks"][0];
  EXPECT_EQ(dump(t["id"]), R"("nightly")");
  EXPECT_TRUE(t["schedule_enabled"].GetBool());
  EXPECT_EQ(t["run_count"].GetInt(), 0);
  const auto next = engine::schedule::parse_iso(t["next_run_at"].GetString());
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(*next, before);
  EXPECT_LE(*next, before + 24LL * 3600 * 1000);
  EXPECT_EQ(engine::iso_utc(*next).substr(11), "03:00:00.000Z");
}

TEST_F(ScheduleTest, DisabledSchedulesAreListedOnlyWhenAskedFor) {
  create(R"({"tasks":[)" +
         task("paused",
              R"("schedule_type":"interval","schedule_expression":"60","schedule_enabled":false)") +
         "]}");
  EXPECT_EQ(scheduled()["count"].GetInt(), 0);
  auto all = scheduled(R"({"enabled_only":false})");
  ASSERT_EQ(all["count"].GetInt(), 1);
  EXPECT_TRUE(all["tasks"][0]["next_run_at"].IsNull());
}

TEST_F(ScheduleTest, BadSchedulesAreRefusedWithWhatToWrite) {
  EXPECT_NE(create_error(R"("schedule_type":"cron","schedule_expression":"0 25 * * *")")
                .find("'25' in the hour field (allowed 0-23)"),
            std::string::npos);
  EXPECT_NE(create_error(R"("schedule_type":"cron")").find("give both schedule_type"),
            std::string::npos);
  EXPECT_NE(create_error(R"("schedule_type":"once","schedule_expression":"2020-01-01T00:00:00Z")")
                .find("already past"),
            std::string::npos);
  EXPECT_NE(create_error(R"("schedule_type":"daily","schedule_expression":"09:00",)"
                         R"("schedule_start_at":"2030-01-02T00:00:00Z",)"
                         R"("schedule_end_at":"2030-01-01T00:00:00Z")")
                .find("window would be empty"),
            std::string::npos);
  EXPECT_EQ(scheduled(R"({"enabled_only":false})")["count"].GetInt(), 0);  // nothing written
}

TEST_F(ScheduleTest, TheWindowStartDelaysTheFirstRun) {
  create(R"({"tasks":[)" +
         task("later", R"("schedule_type":"daily","schedule_expression":"09:00",)"
                       R"("schedule_start_at":"2030-06-01T12:00:00Z")") +
         "]}");
  EXPECT_EQ(std::string(scheduled()["tasks"][0]["next_run_at"].GetString()),
            "2030-06-02T09:00:00.000Z");
}

TEST_F(ScheduleTest, UpdatingTheScheduleRecomputesTheNextRun) {
  create(R"({"tasks":[)" + task("job", R"("schedule_type":"daily","schedule_expression":"09:00")") +
         "]}");
  auto updated = engine_->update(
      parse(R"({"task_id":"job","schedule_type":"monthly","schedule_expression":"1 06:30"})"));
  EXPECT_EQ(std::string(updated["schedule_type"].GetString()), "monthly");
  EXPECT_EQ(std::string(updated["next_run_at"].GetString()).substr(8), "01T06:30:00.000Z");
  try {
    engine_->update(parse(R"({"task_id":"job","schedule_expression":"every day"})"));
    FAIL() << "a bad expression was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Invalid monthly expression 'every day'"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(ScheduleTest, DueTasksRunAndTheirScheduleMovesOn) {
  create(R"({"tasks":[)" +
         task("tick", R"("schedule_type":"interval","schedule_expression":"1","max_runs":2)") +
         "]}");
  EXPECT_EQ(run_due()["started"].Size(), 0u);  // not due for a second
  auto first = run_due_when_ready();
  ASSERT_EQ(first["started"].Size(), 1u) << dump(first);
  EXPECT_EQ(dump(first["started"][0]["task_id"]), R"("tick")");
  for (int i = 0; i < 100 && status("tick") != "completed"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status("tick"), "completed");
  auto row = get("tick");
  EXPECT_EQ(row["run_count"].GetInt(), 1);
  EXPECT_TRUE(row["last_run_at"].IsString());
  EXPECT_TRUE(row["schedule_enabled"].GetBool());
  EXPECT_EQ(run_due()["started"].Size(), 0u);  // this slot ran already

  auto second = run_due_when_ready();
  ASSERT_EQ(second["started"].Size(), 1u);
  row = get("tick");
  EXPECT_EQ(row["run_count"].GetInt(), 2);
  EXPECT_FALSE(row["schedule_enabled"].GetBool());  // max_runs reached
  EXPECT_TRUE(row["next_run_at"].IsNull());
  EXPECT_EQ(scheduled()["count"].GetInt(), 0);
}

}  // namespace
}  // namespace apflow::testing
