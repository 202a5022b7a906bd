#include "tools/bench_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <vector>

#include "core/credit_code.h"
#include "tools/sim_random.h"

namespace parkwatch {
namespace {

// The per-enterprise constants of the simulation; 40 bytes each, so 20 000 enterprises take under
// a megabyte while the rows themselves are never held.
struct BenchEnterprise {
  char code[19];
  double monthly_output;  // 万元 in the first month, before season and noise
  double monthly_growth;  // trend factor per month
  double intensity;       // 万千瓦时 per 万元
};

constexpr double kSeason[12] = {0.93, 0.88, 1.00, 0.98, 1.00, 1.04,
                                0.95, 0.96, 1.03, 0.99, 1.04, 1.20};

// A distinct 8-digit organisation-code body per index: multiplying by a number coprime to 10^8 is
// a bijection on [0, 10^8), so codes never collide and need no set to check.
void MakeCode(int index, uint64_t seed, char out[19]) {
  uint64_t body = (static_cast<uint64_t>(index) * 48271u + seed % 100000000u) % 100000000u;
  std::snprintf(out, 19, "91430700%08llu", static_cast<unsigned long long>(body));
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};  // GB 11714 check
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (out[8 + i] - '0') * kWeights[i];
  int check = 11 - sum % 11;
  out[16] = check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
  out[17] = CreditCodeCheckChar(std::string_view(out, 17));
  out[18] = '\0';
}

}  // namespace

bool WriteBenchCsv(const std::string& path, int enterprises, int months, uint64_t seed,
                   std::string* error) {
  if (enterprises < 1 || months < 1 || months > 12 * 100) {
    *error = "bench data needs enterprises >= 1 and 1..1200 months";
    return false;
  }
  std::vector<BenchEnterprise> ents(enterprises);
  SimRandom setup(seed, 0);
  for (int i = 0; i < enterprises; ++i) {
    MakeCode(i, seed, ents[i].code);
    ents[i].monthly_output = std::max(180.0, std::exp(std::log(600.0) + setup.Normal()));
    ents[i].monthly_growth = std::pow(1 + setup.Normal(0.07, 0.05), 1.0 / 12);
    ents[i].intensity = 0.04 * std::exp(setup.Normal(0, 0.3));
  }

  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    *error = "cannot open " + path + " for writing";
    return false;
  }
  SimRandom noise(seed, 1);
  std::string buf = "统一社会信用代码,报告期,工业总产值(万元),用电量(万千瓦时)\n";
  // Rows are formatted into one buffer that is flushed at 1 MiB: large writes, bounded memory.
  constexpr size_t kFlushAt = 1 << 20;
  buf.reserve(kFlushAt + 256);
  for (int m = 0; m < months; ++m) {
    char period[16];
    std::snprintf(period, sizeof period, "%04d-%02d", 2021 + m / 12, m % 12 + 1);
    for (const auto& e : ents) {
      double output = e.monthly_output * std::pow(e.monthly_growth, m) * kSeason[m % 12] *
                      std::exp(noise.Normal(0, 0.04));
      double kwh = e.intensity * output * std::exp(noise.Normal(0, 0.03));
      char row[96];
      int n = std::snprintf(row, sizeof row, "%s,%s,%.2f,%.2f\n", e.code, period, output, kwh);
      buf.append(row, static_cast<size_t>(n));
      if (buf.size() >= kFlushAt) {
        f.write(buf.data(), static_cast<std::streamsize>(buf.size()));
        buf.clear();
      }
    }
  }
  f.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  f.close();
  if (!f) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace parkwatch
