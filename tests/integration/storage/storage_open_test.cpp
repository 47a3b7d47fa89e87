// Opening stores: path forms, directories, unwritable paths, configuration, migrations, data
// surviving a reopen, concurrent claimers, readers beside the writer, and one timed 10,000-task
// cycle (printed, not asserted).
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "storage_fixture.h"

namespace apflow::testing {
namespace {

using Ops = apflow_storage_ops;

// Runs a query on the file with SQLite itself and returns the first column of the first row.
std::string peek(const std::string& file, const std::string& query) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

// Appends one element to a comma-separated JSON list body.
void append_item(std::string& list, const std::string& item) {
  if (!list.empty()) list += ',';
  list += item;
}

std::string quote(const std::string& id) {
  return '"' + id + '"';
}

// "t<i>", built by appending: GCC 12 at -O3 warns falsely on const char* + std::string&&.
std::string numbered(int i) {
  std::string id = "t";
  id += std::to_string(i);
  return id;
}

TEST(Open, RegistersTheSqliteBackendWithItsConfigSchema) {
  const auto& def = sqlite_backend();
  EXPECT_STREQ(def.id, "sqlite");
  ASSERT_NE(def.config_schema_json, nullptr);
  EXPECT_NE(std::string(def.config_schema_json).find("\"synchronous\""), std::string::npos);
  EXPECT_GE(def.ops->struct_size, APFLOW_STORAGE_OPS_V1_2_SIZE);
}

TEST(Open, DataSurvivesCloseAndReopen) {
  TempDir dir;
  const std::string file = dir.file("apflow.db");
  {
    StoreHandle store(sqlite_config(file));
    ASSERT_TRUE(store.ok()) << store.error_message();
    store.ok_call(&Ops::create_tasks, "{\"tasks\":[" + task("a") + "]}");
    store.ok_call(&Ops::queue_tasks, R"({"ids":["a"]})");
  }
  StoreHandle again(sqlite_config(file));
  ASSERT_TRUE(again.ok()) << again.error_message();
  auto r = again.ok_call(&Ops::get_tasks, R"({"ids":["a"]})");
  ASSERT_EQ(r["tasks"].Size(), 1u);
  EXPECT_TRUE(r["tasks"][0]["queued"].GetBool());
  EXPECT_EQ(peek(file, "PRAGMA journal_mode"), "wal");
}

TEST(Open, MigrationsAreAppliedOnceAndRecorded) {
  TempDir dir;
  const std::string file = dir.file("apflow.db");
  for (int i = 0; i < 3; ++i) {
    StoreHandle store(sqlite_config(file));
    ASSERT_TRUE(store.ok()) << store.error_message();
  }
  EXPECT_EQ(peek(file, "SELECT COUNT(*) FROM apflow_schema_migrations"), "4");
  EXPECT_EQ(peek(file,
                 "SELECT group_concat(id, ',') FROM "
                 "(SELECT id FROM apflow_schema_migrations ORDER BY id)"),
            "001_task_store,002_schedules,003_retries,004_lease_expiries");
  EXPECT_EQ(peek(file,
                 "SELECT COUNT(*) FROM pragma_table_info('apflow_tasks') "
                 "WHERE name = 'next_run_at'"),
            "1");
  EXPECT_FALSE(peek(file, "SELECT apflow_version FROM apflow_schema_migrations").empty());
  EXPECT_EQ(peek(file, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'task_checkpoints'"), "1");
}

TEST(Open, AcceptsUrlsAndInMemoryStores) {
  TempDir dir;
  const std::string file = dir.file("url.db");
  {
    StoreHandle store(sqlite_config("sqlite://" + file));
    ASSERT_TRUE(store.ok()) << store.error_message();
  }
  EXPECT_TRUE(std::filesystem::exists(file));
  StoreHandle one(sqlite_config(":memory:"));
  StoreHandle two(sqlite_config("sqlite://:memory:"));
  ASSERT_TRUE(one.ok() && two.ok());
  one.ok_call(&Ops::create_tasks, "{\"tasks\":[" + task("a") + "]}");
  EXPECT_EQ(one.ok_call(&Ops::get_tasks, R"({"ids":["a"]})")["tasks"].Size(), 1u);
  EXPECT_EQ(two.ok_call(&Ops::get_tasks, R"({"ids":["a"]})")["tasks"].Size(), 0u);
}

TEST(Open, CreatesMissingParentDirectories) {
  TempDir dir;
  const std::string file = dir.file("a/b/c/apflow.db");
  StoreHandle store(sqlite_config(file));
  ASSERT_TRUE(store.ok()) << store.error_message();
  EXPECT_TRUE(std::filesystem::exists(file));
}

TEST(Open, RefusesAnUnwritablePathNamingIt) {
  TempDir dir;
  std::ofstream(dir.file("plain-file")) << "x";
  const std::string under_file = dir.file("plain-file/apflow.db");
  StoreHandle store(sqlite_config(under_file));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error_code(), "STORAGE_ERROR");
  EXPECT_NE(store.error_message().find(under_file), std::string::npos) << store.error_message();
  StoreHandle directory(sqlite_config(dir.path().string()));
  EXPECT_FALSE(directory.ok());
  EXPECT_NE(directory.error_message().find(dir.path().string()), std::string::npos);
}

TEST(Open, RefusesBadConfiguration) {
  TempDir dir;
  const std::string path = dir.file("x.db");
  StoreHandle unknown(R"({"backend":"sqlite","path":")" + path + R"(","colour":"red"})");
  EXPECT_EQ(unknown.error_code(), "STORAGE_INVALID_REQUEST");
  EXPECT_NE(unknown.error_message().find("colour"), std::string::npos);
  StoreHandle sync(R"({"path":")" + path + R"(","synchronous":"OFF"})");
  EXPECT_NE(sync.error_message().find("synchronous"), std::string::npos);
  StoreHandle postgres(R"({"path":"postgresql://localhost/apflow"})");
  EXPECT_NE(postgres.error_message().find("postgresql://"), std::string::npos);
  StoreHandle normal(R"({"path":")" + path + R"(","synchronous":"NORMAL"})");
  EXPECT_TRUE(normal.ok()) << normal.error_message();
}

TEST(Open, TwoThreadsClaimingNeverGetTheSameTask) {
  TempDir dir;
  StoreHandle store(sqlite_config(dir.file("apflow.db")));
  ASSERT_TRUE(store.ok());
  constexpr int kTasks = 600;
  std::string tasks, ids;
  for (int i = 0; i < kTasks; ++i) {
    append_item(tasks, task(numbered(i)));
    append_item(ids, quote(numbered(i)));
  }
  store.ok_call(&Ops::create_tasks, "{\"tasks\":[" + tasks + "]}");
  store.ok_call(&Ops::queue_tasks, "{\"ids\":[" + ids + "]}");
  std::vector<std::string> claimed[2];
  auto worker = [&](int n) {
    const std::string node = "node" + std::to_string(n);
    for (int round = 0; round < kTasks; ++round) {
      auto r = store.call(&Ops::claim_tasks, R"({"node":")" + node + R"(","limit":7})");
      if (!r.ok || r.body["tasks"].Empty()) break;
      for (const auto& t : r.body["tasks"].GetArray()) claimed[n].push_back(str(t["id"]));
    }
  };
  std::thread first(worker, 0), second(worker, 1);
  first.join();
  second.join();
  std::set<std::string> all(claimed[0].begin(), claimed[0].end());
  for (const auto& id : claimed[1]) EXPECT_TRUE(all.insert(id).second) << id << " claimed twice";
  EXPECT_EQ(all.size(), static_cast<size_t>(kTasks));
}

// 10,000 independent tasks: created and queued in batches of 1,000, then claimed and finished in
// batches of 500, at synchronous=FULL. The rate is printed for docs/performance.md.
// Commits append to the write-ahead log, which is copied into the database file while the store
// stays open (a checkpoint every ~1,000 pages), so the log does not grow without bound.
TEST(Open, TheLogReachesTheDatabaseFileWhileTheStoreIsOpen) {
  TempDir dir;
  const std::string file = dir.file("apflow.db");
  StoreHandle store(sqlite_config(file));
  ASSERT_TRUE(store.ok()) << store.error_message();
  const auto file_size = [&file] {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    return ec ? 0 : size;
  };
  const auto before = file_size();
  // ~6 MB of rows in batches: about 1,500 pages of log, past the 1,000 that start a checkpoint.
  const std::string pad(1000, 'x');
  for (int b = 0; b < 6; ++b) {
    std::string tasks;
    for (int i = b * 1000; i < (b + 1) * 1000; ++i) {
      append_item(tasks, task(numbered(i), R"("inputs":{"pad":")" + pad + "\"}"));
    }
    store.ok_call(&Ops::create_tasks, "{\"tasks\":[" + tasks + "]}");
  }
  for (int i = 0; i < 1000 && file_size() < before + 4'000'000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(file_size(), before + 4'000'000) << "the log was not checkpointed into " << file;
  EXPECT_EQ(peek(file, "SELECT COUNT(*) FROM apflow_tasks"), "6000");
}

TEST(Open, TenThousandTaskCycleCompletesEveryTask) {
  TempDir dir;
  StoreHandle store(sqlite_config(dir.file("apflow.db")));
  ASSERT_TRUE(store.ok());
  constexpr int kTasks = 10000, kBatch = 1000, kClaim = 500;
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < kTasks / kBatch; ++b) {
    std::string tasks, ids;
    for (int i = b * kBatch; i < (b + 1) * kBatch; ++i) {
      const std::string id = numbered(i);
      append_item(tasks, task(id, R"("inputs":{"n":1},"task_tree_id":"T")"));
      append_item(ids, quote(id));
    }
    store.ok_call(&Ops::create_tasks, "{\"tasks\":[" + tasks + "]}");
    store.ok_call(&Ops::queue_tasks, "{\"ids\":[" + ids + "]}");
  }
  int done = 0;
  while (done < kTasks) {
    auto r =
        store.ok_call(&Ops::claim_tasks, R"({"node":"n","limit":)" + std::to_string(kClaim) + "}");
    ASSERT_FALSE(r["tasks"].Empty());
    std::string results;
    for (const auto& t : r["tasks"].GetArray()) {
      append_item(results,
                  R"({"id":")" + str(t["id"]) + R"(","status":"completed","result":{"ok":true}})");
    }
    auto f = store.ok_call(&Ops::finish_tasks, R"({"node":"n","results":[)" + results + "]}");
    done += static_cast<int>(f["finished"].Size());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ perf     ] 10000 tasks create+queue+claim+finish in " << seconds
            << " s: " << static_cast<long>(kTasks / seconds) << " tasks/s\n";
  auto q = store.ok_call(&Ops::query_tasks, R"({"status":"completed","limit":0})");
  EXPECT_EQ(q["total"].GetInt(), kTasks);
}

// A file store reads single tasks on connections of their own, beside the writer: each read
// still sees every write committed before it began, and none is refused while writes go on.
TEST(Open, ReadsOnOtherThreadsSeeEveryWriteCommittedBeforeThem) {
  TempDir dir;
  StoreHandle store(sqlite_config(dir.file("apflow.db")));
  ASSERT_TRUE(store.ok());
  store.ok_call(&Ops::create_tasks, "{\"tasks\":[" + task("t") + "]}");
  constexpr int kWrites = 300;
  std::atomic<int> committed{0};
  std::atomic<bool> done{false};
  std::atomic<int> stale{0}, failed{0}, reads{0};
  auto reader = [&] {
    while (!done) {
      const int before = committed.load();
      auto r = store.call(&Ops::get_tasks, R"({"ids":["t"]})");
      if (!r.ok || r.body["tasks"].Size() != 1) {
        ++failed;
        continue;
      }
      const double progress = r.body["tasks"][0]["progress"].GetDouble();
      if (progress * kWrites + 0.5 < before) ++stale;
      ++reads;
    }
  };
  std::thread first(reader), second(reader);
  for (int i = 1; i <= kWrites; ++i) {
    const double progress = static_cast<double>(i) / kWrites;
    store.ok_call(&Ops::update_task,
                  R"({"id":"t","set":{"progress":)" + std::to_string(progress) + "}}");
    committed = i;
  }
  done = true;
  first.join();
  second.join();
  EXPECT_EQ(stale.load(), 0) << "reads that missed a committed write";
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(reads.load(), 0);
  auto last = store.ok_call(&Ops::get_tasks, R"({"ids":["t"]})");
  EXPECT_DOUBLE_EQ(last["tasks"][0]["progress"].GetDouble(), 1.0);
}

}  // namespace
}  // namespace apflow::testing
