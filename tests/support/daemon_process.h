// The real parkwatch binary as a child process, for end-to-end tests: started on a free
// loopback port, waited on until /-/ready, stopped with SIGTERM or killed with SIGKILL.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace parkwatch::testing {

class DaemonProcess {
 public:
  // config_file: a parkwatch.yml; stderr goes to log_file.
  DaemonProcess(std::string config_file, std::string log_file);
  ~DaemonProcess();  // kills a process still running

  // More flags for `parkwatch serve` (e.g. --web.config.file=...). Before Start().
  void AddArgs(const std::vector<std::string>& args) {
    args_.insert(args_.end(), args.begin(), args.end());
  }
  // The daemon runs with this many file descriptors at most (soft and hard). Before Start().
  void SetFileLimit(unsigned limit) { file_limit_ = limit; }
  // The daemon serves HTTPS: url() says https, and readiness is asked with probe (a request
  // to the given URL that returns its status), which knows the credentials to use.
  void UseHttps(std::function<int(const std::string& url)> probe) {
    scheme_ = "https";
    probe_ = std::move(probe);
  }

  // Starts `parkwatch serve` and waits (up to 90 s: an ASan build on a busy machine evaluating the
  // default rules over years of data) until /-/ready answers 200.
  bool Start(std::string* error);
  int Stop();   // SIGTERM, wait; returns the exit status
  void Kill();  // SIGKILL, wait
  bool running() const { return pid_ > 0; }

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url(const std::string& path = "") const;
  std::string Log() const;

 private:
  std::string config_file_;
  std::string log_file_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::vector<std::string> args_;
  std::string scheme_ = "http";
  unsigned file_limit_ = 0;
  std::function<int(const std::string& url)> probe_;
};

// Polls condition every 20 ms until it holds or timeout_ms passes. For waiting on real
// processes and files; never a timing assertion.
bool WaitFor(const std::function<bool()>& condition, int timeout_ms = 15000);

// Runs the parkwatch binary with args, returns the exit code and fills output (stdout+stderr).
int RunParkwatch(const std::vector<std::string>& args, std::string* output);

}  // namespace parkwatch::testing
