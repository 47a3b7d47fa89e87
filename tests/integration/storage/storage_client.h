// Test client for a storage plugin: loads the built .so with dlopen, runs its init() with a
// minimal host, and calls its ops table the way the engine does.
#pragma once

#include <apflow/abi.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <string>

namespace apflow::testing {

using StorageOp = apflow_storage_op apflow_storage_ops::*;

// What one call returned.
struct StorageReply {
  bool ok = false;
  rapidjson::Document body;  // the response (ok) or the error details (not ok, may be null)
  std::string code;
  std::string message;
};

// The storage backend the sqlite plugin registered (loaded once per process).
const apflow_storage_def& sqlite_backend();

class StoreHandle {
 public:
  // Opens a store; check ok() and error() for a refused configuration.
  explicit StoreHandle(const std::string& config_json);
  ~StoreHandle();
  StoreHandle(const StoreHandle&) = delete;
  StoreHandle& operator=(const StoreHandle&) = delete;

  bool ok() const noexcept { return storage_ != nullptr; }
  const std::string& error_code() const noexcept { return error_code_; }
  const std::string& error_message() const noexcept { return error_message_; }

  StorageReply call(StorageOp op, const std::string& request);
  // Calls and fails the test (with the error) when the call is refused.
  rapidjson::Document ok_call(StorageOp op, const std::string& request);

 private:
  apflow_storage* storage_ = nullptr;
  std::string error_code_;
  std::string error_message_;
};

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const noexcept { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// {"backend":"sqlite","path":"<path>"}
std::string sqlite_config(const std::string& path);

}  // namespace apflow::testing
