# Sourced by the benchmarks whose usage is `[--quick] BUILD_DIR`, with the script's arguments:
# sets `quick` (0 or 1) and `build` (the build dir's absolute path), and gives
# `bench_program NAME`, which prints the path of the build's benchmark program NAME or ends the
# script saying how to build it.
quick=0
if [ "${1:-}" = --quick ]; then quick=1; shift; fi
build=$(realpath "$1")

bench_program() {
  local program=$build/tests/bench/$1
  [ -x "$program" ] || { echo "$(basename "$0" .sh): no $program; build with -DBENEFITD_BENCH=ON" >&2; exit 1; }
  echo "$program"
}
