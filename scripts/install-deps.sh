#!/usr/bin/env bash
# Installs the Debian 12 packages parkwatch needs to build, run and test.
# Idempotent: packages already present are skipped, and apt-get runs only when something is missing.
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config libboost1.74-dev prometheus-cpp-dev libspdlog-dev
  libsqlite3-dev libyaml-cpp-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev libcrypt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libxlsxwriter-dev fonts-noto-cjk libzip-dev
  libexpat1-dev libfreexl-dev libpq-dev libjs-chart.js)
test_pkgs=(sqlite3 curl prometheus prometheus-alertmanager python3-aiosmtpd clang libclang-rt-14-dev
  chromium python3-openpyxl python3-xlwt postgresql python3-websocket)
bench_pkgs=(prometheus-pushgateway wrk time valgrind)

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
