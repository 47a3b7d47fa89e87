#include "mcp/stdio_transport.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <mutex>
#include <string>

#include "common/jsonrpc.h"

namespace apflow::plugins::mcp {

namespace jsonrpc = protocols::jsonrpc;

namespace {

// The TS SDK's own limit; a longer line is answered with an error and skipped.
constexpr size_t kMaxLine = 10 * 1024 * 1024;

class StdoutWriter {
 public:
  // Whole lines under one lock: answers come from many threads and must not interleave.
  void write(const std::string& message) {
    if (message.empty()) return;
    std::lock_guard lock(mutex_);
    std::fwrite(message.data(), 1, message.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }

 private:
  std::mutex mutex_;
};

// Log messages and other server-initiated messages share stdout with the answers.
class StdoutOutlet final : public Outlet {
 public:
  explicit StdoutOutlet(StdoutWriter& out) : out_(out) {}
  void send(const std::string& message_json) override { out_.write(message_json); }

 private:
  StdoutWriter& out_;
};

}  // namespace

void handle_message(McpSession& session, std::string_view text,
                    const std::function<void(std::string)>& write) {
  jsonrpc::Parsed parsed = jsonrpc::parse(text);
  if (parsed.batch && !session.batches_allowed()) {
    write(jsonrpc::error(
        "null", jsonrpc::kInvalidRequest,
        "Invalid Request: JSON-RPC batches are not part of MCP " + session.protocol_version()));
    return;
  }
  jsonrpc::answer(
      std::move(parsed),
      [&session](const jsonrpc::Message& message, jsonrpc::Sink sink) {
        session.handle(message, std::move(sink));
      },
      write, write);
}

namespace {

// Reads stdin in chunks and hands on complete lines; false at EOF or stop.
class LineReader {
 public:
  template <typename OnLine>
  bool pump(const std::atomic<bool>& stop, OnLine&& on_line) {
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    // Polled with a timeout so that a stop request (which may only set a flag) is seen.
    const int ready = ::poll(&fd, 1, 100);
    if (stop.load()) return false;
    if (ready < 0) return errno == EINTR;
    if (ready == 0) return true;
    char chunk[65536];
    const ssize_t got = ::read(STDIN_FILENO, chunk, sizeof(chunk));
    if (got < 0) return errno == EINTR || errno == EAGAIN;
    if (got == 0) return false;
    for (ssize_t i = 0; i < got; ++i) {
      if (chunk[i] != '\n') {
        if (buffer_.size() < kMaxLine)
          buffer_.push_back(chunk[i]);
        else
          overflow_ = true;
        continue;
      }
      if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
      on_line(buffer_, overflow_);
      buffer_.clear();
      overflow_ = false;
    }
    return true;
  }

 private:
  std::string buffer_;
  bool overflow_ = false;
};

}  // namespace

int serve_stdio(const McpContext& context, const std::atomic<bool>& stop) {
  StdoutWriter out;
  auto session = std::make_shared<McpSession>(context);
  session->log().attach(std::make_shared<StdoutOutlet>(out));
  LineReader reader;
  context.host.log(sdk::LogLevel::kInfo,
                   "MCP server on stdio (protocol " + std::string(kLatestVersion) + ")");
  while (reader.pump(stop, [&](const std::string& line, bool overflow) {
    if (overflow) {
      out.write(jsonrpc::error("null", jsonrpc::kInvalidRequest,
                               "Invalid Request: message longer than 10 MiB"));
    } else if (line.find_first_not_of(" \t") != std::string::npos) {
      handle_message(*session, line, [&out](std::string text) { out.write(text); });
    }
  })) {
  }
  // EOF: the client is gone, so its calls are cancelled. A stop request lets them finish first.
  if (stop.load()) session->wait_idle(std::chrono::seconds(30));
  session->cancel_all();
  session->log().detach();  // a call that outlived the wait must not write to a gone writer
  return 0;
}

}  // namespace apflow::plugins::mcp
