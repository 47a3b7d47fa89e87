#include "cli/run_render.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <sstream>

#include "cli/run_results.h"

namespace apflow::plugins::cli {
namespace {

const char* kListing = R"({"task":{"id":"r","name":"pipeline","status":"pending"},
  "children":[{"task":{"id":"a","name":"fetch","status":"pending"},"children":[]},
              {"task":{"id":"b","name":"parse","status":"pending"},"children":[]}]})";

RunEvent at(const std::string& type, const std::string& id, const std::string& extra = "") {
  return parse_event(sdk::parse_json(R"({"type":")" + type + R"(","task_id":")" + id +
                                     R"(","task_tree_id":"r","timestamp":"2030-01-01T12:00:01Z")" +
                                     extra + "}"));
}

// Clock texts are local time: pin the zone so the expectations hold anywhere.
class RunRender : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
    listing_ = sdk::parse_json(kListing);
    state_.add_tree("r", &listing_);
  }
  // Applies the event and returns its plain line.
  std::string line(const RunEvent& event) {
    state_.apply(event);
    return plain_line(event, state_);
  }

  sdk::Json listing_;
  RunState state_;
};

TEST_F(RunRender, ClockTextIsTheLocalTimeOfTheTimestamp) {
  EXPECT_EQ(clock_text("2030-01-01T12:00:01.123Z"), "12:00:01");
  EXPECT_EQ(clock_text("2030-01-01T12:00:01+02:00"), "10:00:01");
  EXPECT_EQ(clock_text("not a time").size(), 8u);
}

TEST_F(RunRender, PlainLinesForAFakeRun) {
  EXPECT_EQ(line(at("task_started", "a")), "[12:00:01] started  fetch (a)");
  EXPECT_EQ(line(at("task_progress", "a", R"(,"progress":0.5)")), "");
  EXPECT_EQ(line(at("task_progress", "a", R"(,"progress":0.5,"message":"page 2")")),
            "[12:00:01] progress fetch (a) 50%: page 2");
  EXPECT_EQ(line(at("task_completed", "a")), "[12:00:01] completed fetch (a)");
  EXPECT_EQ(line(at("task_failed", "b", R"(,"name":"parse","error":"bad row 3")")),
            "[12:00:01] failed   parse (b): bad row 3");
  EXPECT_EQ(line(at("task_cancelled", "r")), "[12:00:01] cancelled pipeline (r)");
  EXPECT_EQ(line(at("tree_failed", "r", R"(,"name":"pipeline","error":"parse failed")")),
            "[12:00:01] tree     pipeline (r) failed, 3/3 tasks ended: parse failed");
}

TEST_F(RunRender, ATerminalFrameHasABarPerTree) {
  RunState state;
  const sdk::Json other = sdk::parse_json(R"({"task":{"id":"s","name":"solo"},"children":[]})");
  state.add_tree("r", &listing_);
  state.add_tree("s", &other);
  state.apply(at("task_completed", "a"));
  state.apply(at("task_started", "b"));
  state.apply(parse_event(
      sdk::parse_json(R"({"type":"task_completed","task_id":"s","task_tree_id":"s"})")));
  state.apply(parse_event(sdk::parse_json(
      R"({"type":"tree_completed","task_id":"s","task_tree_id":"s","name":"solo"})")));
  EXPECT_EQ(tty_frame(state, 120),
            (std::vector<std::string>{"pipeline [######--------------] 1/3  running: parse",
                                      "solo     [####################] 1/1  completed"}));
  EXPECT_EQ(tty_frame(state, 20),
            (std::vector<std::string>{"pipeline [######---", "solo     [#########"}));
}

TEST_F(RunRender, PlainViewWritesLinesAndTerminalViewRedrawsInPlace) {
  std::ostringstream plain;
  ProgressView plain_view(plain, false, 80);
  state_.apply(at("task_started", "a"));
  plain_view.on_event(at("task_started", "a"), state_);
  plain_view.refresh(state_);
  plain_view.finish(state_);
  EXPECT_EQ(plain.str(), "[12:00:01] started  fetch (a)\n");

  std::ostringstream tty;
  ProgressView tty_view(tty, true, 80);
  tty_view.refresh(state_);
  state_.apply(at("task_completed", "a"));
  tty_view.refresh(state_);
  tty_view.finish(state_);
  EXPECT_EQ(tty.str(),
            "pipeline [--------------------] 0/3  running: fetch"
            "\r\x1b[2Kpipeline [######--------------] 1/3  waiting"
            "\r\x1b[2Kpipeline [######--------------] 1/3  waiting\n");
}

const char* kFinished = R"({"task":{"id":"r","name":"pipeline","status":"failed",
    "error":"parse failed","result":null},
  "children":[{"task":{"id":"a","name":"fetch","status":"completed","result":{"rows":3}},
               "children":[]},
              {"task":{"id":"b","name":"parse","status":"failed","error":{"message":"bad row"}},
               "children":[]}]})";

TEST(RunResults, TableShowsEveryTaskUnderItsParent) {
  std::vector<sdk::Json> trees;
  trees.push_back(sdk::parse_json(kFinished));
  EXPECT_EQ(results_table(trees),
            "TASK      STATUS     RESULT\n"
            "pipeline  failed     error: parse failed\n"
            "  fetch   completed  {\"rows\":3}\n"
            "  parse   failed     error: bad row\n"
            "1 completed, 2 failed\n");
  EXPECT_FALSE(all_completed(trees));
}

TEST(RunResults, JsonHoldsTheTreesAsTheEngineGaveThem) {
  std::vector<sdk::Json> trees;
  trees.push_back(sdk::parse_json(R"({"task":{"id":"r","status":"completed"},"children":[]})"));
  EXPECT_EQ(results_json(trees),
            "{\n  \"trees\": [\n    {\n      \"task\": {\n        \"id\": \"r\",\n"
            "        \"status\": \"completed\"\n      },\n      \"children\": []\n    }\n  ]\n}");
  EXPECT_TRUE(all_completed(trees));
  EXPECT_FALSE(all_completed({}));
  EXPECT_EQ(status_summary({}), "no tasks");
}

}  // namespace
}  // namespace apflow::plugins::cli
