// Store reads the rule evaluator needs beyond store/store.h: one enterprise by id, enterprises
// created after a known id, and one enterprise's latest reported period. They let RuleData follow
// a batch by touching only the enterprises the batch changed instead of re-reading the store.
//
// They live here rather than in store/ because only the rules use them; they read the schema of
// store/schema.cc (migration 1) through Store::db().
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/period.h"
#include "store/store.h"

namespace parkwatch {

// The enterprise with store id, or nullopt.
std::optional<EnterpriseRow> EnterpriseById(Store& store, int64_t id);

// Enterprises with a store id greater than id, by id. Catches enterprises a batch created
// without figures (the batch summary lists only enterprises whose figures or stored attributes
// changed).
std::vector<EnterpriseRow> EnterprisesAfter(Store& store, int64_t id);

// The latest period of cadence with any figure of the enterprise (any indicator), or nullopt.
std::optional<Period> LastReportedOf(Store& store, int64_t enterprise_id, Cadence cadence);

}  // namespace parkwatch
