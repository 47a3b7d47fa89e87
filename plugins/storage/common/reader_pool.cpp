#include "storage/common/reader_pool.h"

namespace apflow::plugins::storage {

ReaderPool::Lease ReaderPool::acquire() noexcept {
  if (!open_) return {};
  for (Reader& reader : readers_) {
    if (!reader.mutex.try_lock()) continue;
    Lease lease(reader);
    if (reader.cache) return lease;
    try {
      reader.sql = open_();
      reader.connection = dialect_.connect(*reader.sql);
      reader.cache = std::make_unique<StatementCache>(*reader.connection);
      return lease;
    } catch (...) {
      // Reading on the writer's connection still works; the next acquire tries again.
      reader.connection.reset();
      reader.sql.reset();
      return {};
    }
  }
  return {};
}

}  // namespace apflow::plugins::storage
