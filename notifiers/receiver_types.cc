#include "notifiers/receiver_types.h"

#include <stdexcept>

namespace parkwatch {
namespace {

int64_t AlertmanagerResendIntervalMs(const ReceiverConfig& config) {
  return config.Options<AlertmanagerConfig>().resend_interval_ms;
}

// The one table. A secret NAME is listed with NAME_file and NAME_env (YamlReader::Secret).
const ReceiverType kReceiverTypes[] = {
    {.name = "email",
     .fields = {"smarthost", "tls", "tls_insecure_skip_verify", "from", "to", "cc", "username",
                "password", "password_file", "password_env"},
     .read = ReadEmailConfig,
     .make = MakeEmailReceiver},
    {.name = "webhook",
     .fields = {"url", "bearer_token", "bearer_token_file", "bearer_token_env", "max_alerts"},
     .read = ReadWebhookConfig,
     .make = MakeWebhookReceiver},
    {.name = "alertmanager",
     .groups_itself = true,
     .fields = {"url", "bearer_token", "bearer_token_file", "bearer_token_env", "resend_interval"},
     .read = ReadAlertmanagerConfig,
     .make = MakeAlertmanagerReceiver,
     .resend_interval_ms = AlertmanagerResendIntervalMs},
    {.name = "wecom",
     .robot = true,
     .fields = {"url", "at_mobiles"},
     .read = ReadWeComConfig,
     .make = MakeWeComReceiver},
    {.name = "dingtalk",
     .robot = true,
     .fields = {"url", "secret", "secret_file", "secret_env", "at_mobiles", "at_all"},
     .read = ReadDingTalkConfig,
     .make = MakeDingTalkReceiver},
    {.name = "feishu",
     .robot = true,
     .fields = {"url", "secret", "secret_file", "secret_env", "message_format"},
     .read = ReadFeishuConfig,
     .make = MakeFeishuReceiver},
};

}  // namespace

std::span<const ReceiverType> ReceiverTypes() { return kReceiverTypes; }

const ReceiverType* FindReceiverType(std::string_view name) {
  for (const ReceiverType& t : kReceiverTypes)
    if (t.name == name) return &t;
  return nullptr;
}

void InstallReceiverTypes() {
  std::vector<ReceiverReader> readers;
  for (const ReceiverType& t : kReceiverTypes)
    readers.push_back({std::string(t.name), t.robot, t.fields, t.read});
  InstallReceiverReaders(std::move(readers));
}

std::unique_ptr<Receiver> MakeReceiver(const ReceiverConfig& config, const AlertingConfig& alerting,
                                       Clock clock) {
  const ReceiverType* type = FindReceiverType(config.type);
  if (!type) throw std::invalid_argument("unknown receiver type \"" + config.type + "\"");
  ReceiverSetup setup;
  setup.language = config.language.empty() ? alerting.language : config.language;
  setup.timeout_ms = config.timeout_ms > 0 ? config.timeout_ms : alerting.delivery.timeout_ms;
  setup.clock = std::move(clock);
  return type->make(config, setup);
}

}  // namespace parkwatch
