// Deterministic random numbers for the data generators (demo park, benchmark data).
//
// The std:: distributions (normal_distribution and friends) are implementation-defined: the same
// seed gives different numbers with libstdc++ and libc++. The generators promise identical bytes
// for a given seed, so they draw raw 64-bit words from std::mt19937_64 (whose output the standard
// fixes) and shape them here.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace parkwatch {

// SplitMix64 finaliser: turns a counter or a combination of seeds into a well-mixed word. Used to
// give each enterprise its own stream, so that adding an enterprise does not reshuffle the others.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class SimRandom {
 public:
  explicit SimRandom(uint64_t seed) : engine_(seed) {}
  // A stream derived from a seed and a stream number (an enterprise index, a purpose tag).
  SimRandom(uint64_t seed, uint64_t stream) : engine_(Mix64(seed ^ Mix64(stream))) {}

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi]; the modulo bias is negligible for the small ranges used here.
  int Int(int lo, int hi) {
    return lo + static_cast<int>(engine_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }

  // Standard normal by Box–Muller (one value per call; the twin is dropped for simplicity).
  double Normal() {
    double u1 = 1.0 - Uniform();  // (0, 1], so log is finite
    double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }

  uint64_t Next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace parkwatch
