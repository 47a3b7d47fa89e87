// The operations of docs/storage.md. Each takes the request text and returns the response text;
// the caller (TaskStore) runs it inside one transaction and turns exceptions into errors.
#pragma once

#include <string>
#include <string_view>

#include "storage/common/sql.h"

namespace apflow::plugins::storage {

// task_ops.cpp: rows
std::string create_tasks(Db& db, std::string_view request);
std::string get_tasks(Db& db, std::string_view request);
std::string update_task(Db& db, std::string_view request);
std::string delete_tasks(Db& db, std::string_view request);
// query_op.cpp
std::string query_tasks(Db& db, std::string_view request);
// run_ops.cpp: readiness and claims
std::string queue_tasks(Db& db, std::string_view request);
std::string claim_tasks(Db& db, std::string_view request);
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
