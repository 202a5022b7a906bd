// Big synthetic input for the ingest benchmark.
#pragma once

#include <cstdint>
#include <string>

namespace parkwatch {

// Writes a wide-format monthly CSV (UTF-8, no BOM) with the header
//   统一社会信用代码,报告期,工业总产值(万元),用电量(万千瓦时)
// and one row per enterprise and month: `months` calendar months from January 2021 (报告期 like
// 2021-01; months are separate here, not NBS's combined 1-2月, so every enterprise has exactly
// `months` rows), month by month, each month listing every enterprise. 20 000 enterprises over
// 60 months give 1.2 million rows, 2.4 million figures, about 48 MB.
//
// Credit codes are valid and distinct (up to 10^8 enterprises); values are log-normal sizes with
// trend, season and noise, so compression and number parsing see realistic text. The file is
// streamed: memory stays flat whatever the size. Output is a function of the arguments alone.
// Returns false and sets *error if the file cannot be written.
bool WriteBenchCsv(const std::string& path, int enterprises, int months, uint64_t seed,
                   std::string* error);

}  // namespace parkwatch
