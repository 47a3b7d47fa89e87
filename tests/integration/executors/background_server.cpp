#include "background_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace apflow::testing {
namespace {

// Reads the first line the server prints, within 20 s (python start-up plus certificates).
std::string read_first_line(int fd) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char c = 0;
    if (read(fd, &c, 1) != 1) break;
    if (c == '\n') return line;
    line += c;
  }
  return line;
}

// The port in a first line that is a number ("8025") or ends with a URL ("... at
// http://127.0.0.1:8025/"), 0 when there is none.
int port_of(const std::string& line) {
  size_t start = 0;
  const size_t scheme = line.rfind("://");
  if (scheme != std::string::npos) {
    const size_t colon = line.find(':', scheme + 3);
    if (colon == std::string::npos) return 0;
    start = colon + 1;
  }
  try {
    return std::stoi(line.substr(start));
  } catch (...) {
    return 0;
  }
}

}  // namespace

BackgroundServer::BackgroundServer(const std::vector<std::string>& argv) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], 1);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  const std::string line = read_first_line(out[0]);
  close(out[0]);
  port_ = port_of(line);
  if (port_ <= 0) {
    stop();
    throw std::runtime_error("test server " + argv.at(1) + " did not report a port (got '" + line +
                             "'); see its stderr above");
  }
}

BackgroundServer::~BackgroundServer() {
  stop();
}

void BackgroundServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 50; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    usleep(20000);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("could not bind a port on 127.0.0.1");
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace apflow::testing
