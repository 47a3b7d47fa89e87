// A test peer (a python script, or `apflow serve`) run in the background: started with its
// arguments, it prints its port (or a URL with it) on the first line of stdout; stopped (and waited
// for) when this object goes.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace apflow::testing {

class BackgroundServer {
 public:
  // Throws std::runtime_error with the server's stderr when it does not report a port in time.
  explicit BackgroundServer(const std::vector<std::string>& argv);
  ~BackgroundServer();
  BackgroundServer(const BackgroundServer&) = delete;
  BackgroundServer& operator=(const BackgroundServer&) = delete;

  int port() const { return port_; }

 private:
  void stop();

  pid_t pid_ = -1;
  int port_ = 0;
};

// A port on 127.0.0.1 where nothing answers: bound, never listened on, closed again.
int closed_port();

// The Debian python the test scripts use (it has python3-aiosmtpd), and this folder's scripts.
inline std::string python() {
  return "/usr/bin/python3";
}
inline std::string script(const std::string& name) {
  return std::string(EXECUTOR_TEST_SCRIPTS) + "/" + name;
}

}  // namespace apflow::testing
