// The operations of docs/storage.md. Each takes the request text and returns the response text;
// the caller (TaskStore) runs it inside one transaction and turns exceptions into errors.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "storage/common/columns.h"
#include "storage/common/json_out.h"
#include "storage/common/request.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {

// task_ops.cpp: rows
std::string create_tasks(Db& db, std::string_view request);
std::string get_tasks(Db& db, std::string_view request);
std::string update_task(Db& db, std::string_view request);
std::string delete_tasks(Db& db, std::string_view request);
// query_op.cpp
std::string query_tasks(Db& db, std::string_view request);
// run_ops.cpp: readiness
std::string queue_tasks(Db& db, std::string_view request);
// claim_ops.cpp: claims
std::string claim_tasks(Db& db, std::string_view request);
// Ready tasks of inline executors, read and not written (ABI 1.2): the inline part of a claim,
// which may run on a reader's connection.
std::string claim_inline(Db& db, std::string_view request);
// A claim, alone (claim_tasks) or after finish_tasks in its transaction.
struct Claim {
  std::string node;
  long long limit = 1, lease_ms = 30000, now = 0;
  ColumnMask fields;
  // Ready tasks of these executors are handed out unleased, up to inline_limit of them.
  std::unordered_set<std::string> inline_executors;
  long long inline_limit = 1000;
  // Inline tasks the caller is running or has run and not yet reported: passed over, not
  // handed out again (they are still ready in the store until their outcomes are written).
  std::unordered_set<std::string> running_inline;
  // Where the walk starts: after this (priority, seq), the last task an earlier claim of the
  // caller's handed out; from the first ready task when negative.
  long long after_priority = -1, after_seq = -1;
};
// Reads a claim request's limit, lease_ms, now_ms, fields, inline_executors, inline_limit,
// running_inline and after;
// `where` prefixes messages.
Claim read_claim(const JsonValue& req, std::string node, const std::string& where);
// Claims and writes the member "tasks": [row + dependency_results, ...], and "inline" (the
// same, unleased) when the claim names inline executors.
void write_claim(Db& db, JsonOut& out, const Claim& claim);
// finish_ops.cpp: terminal statuses and their propagation
std::string finish_tasks(Db& db, std::string_view request);
std::string cancel_tasks(Db& db, std::string_view request);
// lease_ops.cpp: leases, progress, checkpoints
std::string renew_leases(Db& db, std::string_view request);
std::string expire_leases(Db& db, std::string_view request);
std::string record_progress(Db& db, std::string_view request);
std::string save_checkpoint(Db& db, std::string_view request);
std::string load_checkpoint(Db& db, std::string_view request);

}  // namespace apflow::plugins::storage
