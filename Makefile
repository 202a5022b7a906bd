# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
JOBS ?= 2
MAKEFLAGS += --no-print-directory
RELEASE_DIR := build/release
TEST_DIR := build/test
PARKWATCH := $(RELEASE_DIR)/parkwatch
DEMO_DIR := var/demo

.PHONY: run test deps deps-test deps-bench build build-test build-release-all demo bench soak fuzz eval format clean

# Installs what is missing, builds in Release, writes a demo park and serves it in the foreground.
run: deps build
	@$(PARKWATCH) demo --dir=$(DEMO_DIR)
	exec $(PARKWATCH) serve --config.file=$(DEMO_DIR)/parkwatch.yml

# Installs what is missing, builds with AddressSanitizer + UBSan and runs the whole suite.
test: deps-test build-test
	cd $(TEST_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j$(JOBS) --timeout 300
	@tests/fuzz_smoke.sh 3

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build:
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j$(JOBS) --target parkwatch

build-test:
	@cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=Debug -DPARKWATCH_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_DIR) -j$(JOBS)

# Every figure beside its baseline, measured in the same run, as one table (bench/README.md).
# `make bench BENCH_ARGS=--record` also writes bench/RESULTS.md.
bench: deps-bench build-release-all
	bench/run.sh $(RELEASE_DIR) $(BENCH_ARGS)

deps-bench:
	@scripts/install-deps.sh bench

# The release binary and every benchmark program (bench/CMakeLists.txt: bench_all).
build-release-all:
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j$(JOBS) --target bench_all

# Builds the libFuzzer targets (clang) in build/fuzz; from then on `make test` fuzzes each for
# a few seconds too.
fuzz: deps-test
	@JOBS=$(JOBS) tests/fuzz_smoke.sh --build 10

# The long runs, bounded: 100 kill -9 loops during ingestion, the slow-client timeout, the
# listener's bounds at full size (20 clients × 60 MiB unauthenticated bodies, 1 100 idle sockets,
# 8 scrapers at 20 000 enterprises), 60 MiB hostile inputs to the readers with their peak memory
# (ASan's quarantine off, so freed blocks are not counted), 10 000 arrival orders against the
# backtest (release build, its cases sharded over the cores: 27 minutes on two shared cores),
# every fuzz target for 60 s, and a 30 s wrk load test of ingest + /metrics + inbox.
soak: deps-test build-test build
	@scripts/install-deps.sh bench
	cd $(TEST_DIR) && PARKWATCH_CRASH_LOOPS=100 tests/crash_consistency_test
	cd $(TEST_DIR) && PARKWATCH_SOAK=1 tests/hostile_input_test --gtest_filter='*SlowClient*:*Nested*'
	cd $(TEST_DIR) && PARKWATCH_SOAK=1 tests/bounded_listener_test
	cd $(TEST_DIR) && PARKWATCH_SOAK=1 ASAN_OPTIONS=quarantine_size_mb=0 tests/input_bounds_test
	@cmake --build $(RELEASE_DIR) -j$(JOBS) --target arrival_order_test
	cd $(RELEASE_DIR) && seq 0 $$(($(JOBS) - 1)) | xargs -P $(JOBS) -I{} env PARKWATCH_SOAK=1 \
		GTEST_TOTAL_SHARDS=$(JOBS) GTEST_SHARD_INDEX={} tests/arrival_order_test
	@JOBS=$(JOBS) tests/fuzz_smoke.sh --build 60
	bench/load/load.sh $(RELEASE_DIR) 30 8

# Signal quality of the default rules on generated parks with planted events (tools/eval/):
# recall per event class, precision per rule, festival weeks, daemon = backtest. EVAL_SIZES (NxK:
# K parks of N enterprises, scored together) and EVAL_DAEMON_MAX (largest park also run through
# the real daemon) bound the run.
EVAL_SIZES ?= 100x5,1000x5,20000
EVAL_DAEMON_MAX ?= 1000
eval: deps build
	tools/eval/run.py --parkwatch $(PARKWATCH) --sizes $(EVAL_SIZES) --daemon-max $(EVAL_DAEMON_MAX) $(EVAL_ARGS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
