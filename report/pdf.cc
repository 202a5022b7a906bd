// PDF by printing the HTML report with headless chromium (Debian's chromium): the page's A4
// print styles decide the layout, so the PDF is the page a director would print. chromium is a
// run-time dependency only where PDFs are wanted; without it the caller says so.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/render.h"

namespace parkwatch {

std::string FindChromium() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::stringstream in(dirs);
    for (std::string dir; std::getline(in, dir, ':');) {
      std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return "";
}

std::string HtmlToPdf(const std::string& html, std::string* error) {
  std::string chromium = FindChromium();
  if (chromium.empty()) {
    *error = "PDF needs chromium (apt-get install chromium), which is not installed";
    return "";
  }
  char pattern[] = "/tmp/parkwatch-pdf-XXXXXX";
  if (!::mkdtemp(pattern)) {
    *error = "cannot create a temporary directory for the PDF";
    return "";
  }
  std::filesystem::path dir(pattern);
  std::filesystem::path page = dir / "report.html", pdf = dir / "report.pdf";
  std::ofstream(page, std::ios::binary) << html;
  std::string profile = "--user-data-dir=" + (dir / "profile").string();
  std::string out = "--print-to-pdf=" + pdf.string();
  std::string url = "file://" + page.string();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Quiet child: chromium's own chatter is not the report's business.
    int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    ::execl(chromium.c_str(), chromium.c_str(), "--headless", "--no-sandbox", "--disable-gpu",
            "--no-pdf-header-footer", "--no-first-run", "--disable-extensions", profile.c_str(),
            out.c_str(), url.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  if (pid > 0) ::waitpid(pid, &status, 0);
  std::string bytes;
  if (std::filesystem::exists(pdf)) {
    std::ifstream in(pdf, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    bytes = s.str();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (pid < 0 || bytes.rfind("%PDF", 0) != 0) {
    *error = "chromium did not print the report (exit status " +
             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
    return "";
  }
  return bytes;
}

}  // namespace parkwatch
