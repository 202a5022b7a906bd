#include "notifiers/document.h"

#include "notifiers/receiver_types.h"

namespace parkwatch {

SendResult SendDocument(const Document& doc, const ReceiverConfig& receiver,
                        const AlertingConfig& alerting, Clock clock) {
  SendResult r;
  const int64_t timeout =
      receiver.timeout_ms > 0 ? receiver.timeout_ms : alerting.delivery.timeout_ms;
  if (receiver.type == "email") {
    const EmailConfig& mail = receiver.Options<EmailConfig>();
    SmtpRequest req;
    req.smarthost = mail.smarthost;
    req.tls = mail.tls;
    req.insecure_skip_verify = mail.tls_insecure_skip_verify;
    req.username = mail.username;
    req.password = mail.password;
    req.from = mail.from;
    req.recipients = mail.to;
    req.recipients.insert(req.recipients.end(), mail.cc.begin(), mail.cc.end());
    std::string id = doc.id;
    for (char& c : id)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '.';
    req.message = BuildMimeMessage(mail.from, mail.to, mail.cc, doc.title, doc.text, doc.html, id,
                                   clock() / 1000, doc.attachments);
    req.timeout_ms = timeout;
    if (std::string error = SmtpSend(req); !error.empty()) {
      const bool permanent = error.find("(SMTP 5") != std::string::npos;
      r.outcome = permanent ? SendResult::Outcome::kPermanent : SendResult::Outcome::kRetry;
      r.error = "smtp: " + error;
    }
    return r;
  }
  const ReceiverType* type = FindReceiverType(receiver.type);
  if (type && type->robot) {
    // The robot's own format, with the document's words as the whole text: one notice that
    // carries no alert fields, rendered by the title and text templates.
    ReceiverConfig robot = receiver;
    auto literal = [](const std::string& s) {  // templates expand {{ }}; the summary has none
      std::string out = s;
      for (size_t at; (at = out.find("{{")) != std::string::npos;) out.replace(at, 2, "{ {");
      return out;
    };
    robot.title_template = literal(doc.title);
    robot.text_template = literal(doc.text + (doc.link.empty() ? "" : "\n" + doc.link));
    Message msg;
    msg.receiver = receiver.name;
    msg.group_key = doc.id;
    AlertNotice notice;
    notice.idempotency_key = doc.id;
    notice.rule = "MonthlyReport";
    notice.kind = EventKind::kFiring;
    notice.severity = Severity::kNone;
    msg.alerts.push_back(notice);
    return MakeReceiver(robot, alerting, clock)->Send(msg);
  }
  r.outcome = SendResult::Outcome::kPermanent;
  r.error = "receiver type " + receiver.type + " carries alerts only, not reports";
  return r;
}

}  // namespace parkwatch
