// The demo park: a synthetic but realistic set of report files for a park modelled on the
// Changde economic and technological development zone (四大主导产业: 医药化工, 装备制造, 轻工食品,
// 电力电子), so that a newcomer can start parkwatch and see the weekly-monitoring and
// monthly-analysis rules find something.
//
// The files look like what a bureau's statistics office drops into an inbox: an enterprise
// register, one monthly and one weekly report file per year, in the encodings offices actually
// produce (one file GB18030 with CRLF line ends as Excel on Chinese Windows saves it, one UTF-8
// with a BOM, the rest plain UTF-8). Known stories are planted in the data (key enterprises that
// slump, an industry that slows, late reports, enterprises that entered 规上 mid-way) and listed
// in DIR/README.txt so the alerts can be checked against them.
//
// Output is a pure function of the options: the same seed and today give identical bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace parkwatch {

struct DemoParkOptions {
  std::string dir;  // output directory; created with its inbox/ subdirectory
  int enterprises = 300;
  int key_enterprises = 40;  // the largest enterprises by output are the key (重点) ones
  // Data starts in January of first_year. It runs up to `today`: every month and ISO week that
  // ended before today is reported, so with today in 2026 the demo holds 2023–2025 in full plus
  // the weeks and months of 2026 so far. When today is not set (!today.ok()), it is taken as
  // 1 January of last_year + 1, i.e. exactly the full years first_year..last_year.
  int first_year = 2023, last_year = 2025;
  // {}: year_month_day's default constructor leaves it uninitialised; zero is "not set".
  std::chrono::year_month_day today{};
  uint64_t seed = 42;
};

// Writes the demo park:
//   DIR/inbox/enterprises.csv   统一社会信用代码,企业名称,行业,重点企业,规上起始年份  (UTF-8 with
//   BOM) DIR/inbox/monthly-YYYY.csv
//   统一社会信用代码,企业名称,报告期,工业总产值(万元),工业增加值(万元),
//                               用电量(万千瓦时); 报告期 2024年3月, and 2024年1-2月 for NBS's
//                               combined January–February. The first year's file is GB18030.
//   DIR/inbox/weekly-YYYY.csv   统一社会信用代码,报告期,工业总产值(万元),用电量(万千瓦时);
//                               报告期 2024年第5周, YYYY being the ISO week-numbering year.
//   DIR/README.txt              what is planted where.
// A year's file is written only if it has at least one period. Returns the data files written,
// in the order they should be ingested (register first, then each year's monthly and weekly
// file); on failure returns an empty list and sets *error.
std::vector<std::string> WriteDemoPark(const DemoParkOptions& options, std::string* error);

}  // namespace parkwatch
