// StatementCache: every statement an operation runs is prepared once per store and kept, keyed
// by its text. Parsing an operation's handful of statements otherwise costs more than the rows
// of a small batch (measured: 40% of all work at batches of ten tasks).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "storage/common/statement.h"

namespace apflow::plugins::storage {

class StatementCache {
 public:
  explicit StatementCache(Connection& connection) : connection_(connection) {}

  // The statement for `query`, prepared on first use.
  Statement& get(const std::string& query) {
    auto it = entries_.find(query);
    if (it == entries_.end()) it = entries_.emplace(query, connection_.prepare(query)).first;
    return *it->second;
  }

 private:
  Connection& connection_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> entries_;
};

// Runs a statement once its parameters are bound, and resets it when it goes out of scope: a
// statement left on a row would hold its read transaction open.
class Run {
 public:
  explicit Run(Statement& st) : st_(st) {}
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;
  ~Run() { st_.reset(); }
  bool next() { return st_.step(); }
  Statement& st() noexcept { return st_; }

 private:
  Statement& st_;
};

}  // namespace apflow::plugins::storage
