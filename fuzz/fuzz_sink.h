// A RecordSink for the fuzz targets: counts what arrives and checks that records are what the
// readers promise (normalised, validated), so a reader bug that lets garbage through is a crash
// the fuzzer reports, not a silent pass.
#pragma once

#include <cstdlib>

#include "core/credit_code.h"
#include "core/records.h"

namespace parkwatch {

class CountingSink : public RecordSink {
 public:
  Wording PutEnterprise(const EnterpriseRecord& record) override {
    if (!ValidateCreditCode(record.credit_code).empty()) std::abort();
    ++enterprises;
    return {};
  }
  Wording PutFigure(const FigureRecord& record) override {
    if (!ValidateCreditCode(record.credit_code).empty() || record.indicator.empty()) std::abort();
    if (record.value != record.value) std::abort();  // NaN never reaches the store
    ++figures;
    // Refuse every seventh figure, as a store refusing a duplicate would.
    return figures % 7 == 0 ? Wording{"refused", "拒收"} : Wording{};
  }
  long enterprises = 0;
  long figures = 0;
};

}  // namespace parkwatch
