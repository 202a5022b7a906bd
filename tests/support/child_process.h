// Any program as a child process for tests that need a real peer (an SMTP server, Alertmanager):
// started with its output in a log file, stopped with SIGTERM and reaped.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace parkwatch::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();  // Stop()s
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // argv[0] is the program's path; stdout and stderr go to log_file. False if fork failed.
  bool Start(const std::vector<std::string>& argv, const std::string& log_file);
  void Stop();  // SIGTERM, then SIGKILL after 5 s; waits
  bool running() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

// Runs a shell command (a pipeline or list is fine), returns its exit code and fills *output
// with its stdout and stderr together: for the real tools tests check with (promtool, amtool,
// openssl, systemd-analyze).
int Shell(const std::string& command, std::string* output);

}  // namespace parkwatch::testing
