// The receiver types, in one table: what `type:` of a receiver in parkwatch.yml may say and what
// each type is.
//
// Adding a type touches notifiers/ only: its settings struct, reader, Receiver class and wire
// format in receivers.{h,cc}, and one row in kReceiverTypes (receiver_types.cc). Nothing else
// names a type: config/ reads receivers through the readers InstallReceiverTypes() hands it
// (config/alerting.h explains why config/ cannot include this), the dispatcher asks the row
// whether the type groups by itself, and MakeReceiver builds from the row.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/alerting.h"
#include "notifiers/receivers.h"

namespace parkwatch {

struct ReceiverType {
  std::string_view name;  // the `type:` value
  // A chat robot (WeCom, DingTalk, Feishu): it answers 200 with its verdict in the body and
  // limits a group to about 20 messages a minute, so rate_limit_per_minute defaults to 20.
  bool robot = false;
  // Groups, deduplicates and repeats by itself (Alertmanager): each event goes out at once,
  // without waiting for the route's group_interval, and is re-pushed every resend_interval while
  // it fires instead of the route's repeat_interval.
  bool groups_itself = false;
  std::vector<std::string> fields;  // its own keys in parkwatch.yml besides the common ones
  ReadOptions* read;                // fields -> the type's settings struct
  MakeReceiverOfType* make;         // the Receiver for a receiver of this type
  // groups_itself only: the receiver's re-push interval while its alert fires.
  int64_t (*resend_interval_ms)(const ReceiverConfig& config) = nullptr;
};

// Every type, each once, in the order error messages list them.
std::span<const ReceiverType> ReceiverTypes();

// The row of name, or null for a type parkwatch does not know.
const ReceiverType* FindReceiverType(std::string_view name);

// Hands config/ one reader per row (InstallReceiverReaders), so parkwatch.yml's receivers can be
// read. Call once before loading a configuration with receivers: main() does, and tests that
// load receivers. Idempotent.
void InstallReceiverTypes();

// The Receiver for config (of a loaded configuration: its type is in the table and its options
// were read by the type's reader). Throws std::invalid_argument for a type not in the table.
std::unique_ptr<Receiver> MakeReceiver(const ReceiverConfig& config, const AlertingConfig& alerting,
                                       Clock clock = SystemClockMs);

}  // namespace parkwatch
