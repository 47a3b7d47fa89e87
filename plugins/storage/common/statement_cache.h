// StatementCache: every statement an operation runs is prepared once per store and kept with
// the buffers it is bound to. Parsing an operation's handful of statements otherwise costs more
// than the rows of a small batch (measured: 40% of all work at batches of ten tasks).
#pragma once

#include <soci/soci.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <unordered_map>

namespace apflow::plugins::storage {

class StatementCache {
 public:
  // One prepared statement and the buffers SOCI reads parameters from and writes results to.
  // Refill the buffers (same addresses: assign, never replace the objects) and execute again.
  template <typename Buffers>
  struct Entry {
    explicit Entry(soci::session& sql) : st(sql) {}
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    Buffers buffers;
    soci::statement st;
  };

  explicit StatementCache(soci::session& sql) : sql_(sql) {}

  // The statement for `query`, prepared on first use once `bind(buffers, st)` has exchanged
  // its buffers. A query's text always comes with the same Buffers type.
  template <typename Buffers, typename Bind>
  Entry<Buffers>& get(const std::string& query, Bind&& bind) {
    auto it = entries_.find(query);
    if (it != entries_.end()) {
      if (*it->second->type != typeid(Buffers)) {
        throw std::logic_error("statement reused with other buffers: " + query);
      }
      return static_cast<Holder<Buffers>&>(*it->second).entry;
    }
    auto holder = std::make_unique<Holder<Buffers>>(sql_);
    bind(holder->entry.buffers, holder->entry.st);
    holder->entry.st.alloc();
    holder->entry.st.prepare(query);
    holder->entry.st.define_and_bind();
    auto& entry = holder->entry;
    entries_.emplace(query, std::move(holder));
    return entry;
  }

 private:
  struct Base {
    explicit Base(const std::type_info& t) : type(&t) {}
    virtual ~Base() = default;
    const std::type_info* type;
  };
  template <typename Buffers>
  struct Holder final : Base {
    explicit Holder(soci::session& sql) : Base(typeid(Buffers)), entry(sql) {}
    Entry<Buffers> entry;
  };

  soci::session& sql_;
  std::unordered_map<std::string, std::unique_ptr<Base>> entries_;
};

}  // namespace apflow::plugins::storage
