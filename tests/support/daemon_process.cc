#include "tests/support/daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"

namespace parkwatch::testing {

bool WaitFor(const std::function<bool()>& condition, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

DaemonProcess::DaemonProcess(std::string config_file, std::string log_file)
    : config_file_(std::move(config_file)), log_file_(std::move(log_file)) {}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) Kill();
}

std::string DaemonProcess::url(const std::string& path) const {
  return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
}

std::string DaemonProcess::Log() const { return ReadFile(log_file_); }

bool DaemonProcess::Start(std::string* error) {
  port_ = FreePort();
  std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
  std::string config = "--config.file=" + config_file_;
  pid_ = ::fork();
  if (pid_ == 0) {
    int log = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(log, 1);
    ::dup2(log, 2);
    if (file_limit_) {
      rlimit limit{file_limit_, file_limit_};
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    std::vector<const char*> argv = {PARKWATCH_BIN, "serve", config.c_str(), listen.c_str()};
    for (const auto& a : args_) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    ::execv(PARKWATCH_BIN, const_cast<char* const*>(argv.data()));
    std::_Exit(127);
  }
  int status = 0;
  bool ready = WaitFor(
      [&] {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          return true;  // exited: stop waiting
        }
        if (probe_) return probe_(url("/-/ready")) == 200;
        return Http("GET", url("/-/ready")).status == 200;
      },
      90000);
  if (pid_ < 0 || !ready) {
    std::string how = "did not become ready";
    if (pid_ < 0)
      how = WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                : "exited with status " + std::to_string(WEXITSTATUS(status));
    *error = "daemon " + how + " before it was ready; log:\n" + Log();
    if (pid_ > 0) Kill();
    return false;
  }
  return true;
}

int DaemonProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void DaemonProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int RunParkwatch(const std::vector<std::string>& args, std::string* output) {
  std::string command = PARKWATCH_BIN;
  for (const auto& a : args) {
    command += " '";
    for (char c : a) command += c == '\'' ? std::string("'\\''") : std::string(1, c);
    command += "'";
  }
  command += " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  size_t n;
  output->clear();
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace parkwatch::testing
