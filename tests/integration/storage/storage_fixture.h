// A fixture with one store in a fresh database file, and short helpers for requests.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "storage_client.h"

namespace apflow::testing {

// One task row: {"id": id, "name": "task <id>"} plus `extra` members ("\"priority\":0").
inline std::string task(const std::string& id, const std::string& extra = "") {
  return R"({"id":")" + id + R"(","name":"task )" + id + "\"" + (extra.empty() ? "" : ",") + extra +
         "}";
}

inline std::string edge(const std::string& task_id, const std::string& depends_on,
                        const std::string& kind = "required") {
  return R"({"task_id":")" + task_id + R"(","depends_on":")" + depends_on + R"(","kind":")" + kind +
         "\"}";
}

inline std::string str(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : "<not a string>";
}

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : store_(sqlite_config(dir_.file("apflow.db"))) {
    EXPECT_TRUE(store_.ok()) << store_.error_code() << ": " << store_.error_message();
  }

  rapidjson::Document call(StorageOp op, const std::string& request) {
    return store_.ok_call(op, request);
  }
  StorageReply attempt(StorageOp op, const std::string& request) {
    return store_.call(op, request);
  }

  // tasks and edges are JSON array bodies without brackets.
  void create(const std::string& tasks, const std::string& edges = "") {
    auto r = call(&apflow_storage_ops::create_tasks,
                  "{\"tasks\":[" + tasks + "],\"edges\":[" + edges + "]}");
    ASSERT_TRUE(r.IsObject());
  }

  // The stored row of `id` (a null document when it is absent).
  rapidjson::Document row(const std::string& id) {
    auto r = call(&apflow_storage_ops::get_tasks, R"({"ids":[")" + id + "\"]}");
    rapidjson::Document out;
    if (r.IsObject() && r["tasks"].Size() == 1) out.CopyFrom(r["tasks"][0], out.GetAllocator());
    return out;
  }
  std::string status(const std::string& id) {
    auto r = row(id);
    return r.IsObject() ? str(r["status"]) : "<missing>";
  }
  std::string error(const std::string& id) {
    auto r = row(id);
    return r.IsObject() && r["error"].IsString() ? str(r["error"]) : "<null>";
  }

  rapidjson::Document queue(const std::string& ids, bool reset = false) {
    return call(&apflow_storage_ops::queue_tasks,
                "{\"ids\":[" + ids + "],\"reset\":" + (reset ? "true" : "false") + "}");
  }
  std::vector<std::string> claim(const std::string& node, int limit, long long now_ms = 1000,
                                 long long lease_ms = 60000) {
    auto r =
        call(&apflow_storage_ops::claim_tasks,
             R"({"node":")" + node + R"(","limit":)" + std::to_string(limit) + R"(,"lease_ms":)" +
                 std::to_string(lease_ms) + R"(,"now_ms":)" + std::to_string(now_ms) + "}");
    std::vector<std::string> ids;
    for (const auto& t : r["tasks"].GetArray()) ids.push_back(str(t["id"]));
    return ids;
  }
  // results: JSON array body, e.g. {"id":"a","status":"completed"}
  rapidjson::Document finish(const std::string& node, const std::string& results) {
    return call(&apflow_storage_ops::finish_tasks,
                R"({"node":")" + node + R"(","results":[)" + results + "]}");
  }
  // Queues, claims and finishes one task as `node`.
  void run_to(const std::string& id, const std::string& outcome, const std::string& error = "") {
    queue("\"" + id + "\"");
    ASSERT_EQ(claim("worker", 1), std::vector<std::string>{id});
    finish("worker", R"({"id":")" + id + R"(","status":")" + outcome + "\"" +
                         (error.empty() ? "" : R"(,"error":")" + error + "\"") + "}");
  }

  TempDir dir_;
  StoreHandle store_;
};

}  // namespace apflow::testing
