// The files of the test SMTP server (tests/support/smtp_sink.py) and Python's reading of them:
// tests that send mail start the server, wait for its .eml files and read each back as JSON
// (tests/support/parse_mail.py: subject, from, to, cc, content type, parts with their text).
#pragma once

#include <string>
#include <vector>

namespace parkwatch::testing {

// A file of tests/support by name, e.g. SupportFile("smtp_sink.py").
std::string SupportFile(const std::string& name);

// The .eml files the server wrote into dir, in the order received.
std::vector<std::string> MailFiles(const std::string& dir);

// parse_mail.py's JSON for one .eml file ("" if Python could not be run).
std::string ParsedMail(const std::string& eml_file);

}  // namespace parkwatch::testing
