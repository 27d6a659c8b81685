#!/bin/sh
# Every benchmark of bench/, one after the other, in one run on this host: the start path, the
# shepherd and toolgridd at rest (bench/run.sh), idle CPU with 1,000 schedules and 500 continuous
# jobs (--idle), a large site (--scale), Toolgrid on SGE and on Slurm against the engines alone
# (--grid), and the front proxy against nginx (bench/proxy/run.sh). So the figures of
# docs/benchmarks.md can all come from the same run: same machine, same hour, same build.
#
#   sudo bench/all.sh [--output DIR] [--quick]
#
# --output DIR: where each suite's report goes (DIR/suite, DIR/idle, DIR/scale, DIR/grid,
#   DIR/proxy; default artifacts/bench/all-UTCTIME). The suites of bench/run.sh also write their
#   sections of docs/benchmarks.md (between their markers); DIR/summary.txt lists the reports.
# --quick: fewer samples everywhere (a check that all of it runs, not figures to publish).
# It stops at the first suite that fails, and says which; the suites clean up after themselves.
set -eu
cd "$(dirname "$0")/.."

output="artifacts/bench/all-$(date -u +%Y%m%dT%H%M%SZ)" quick=0
while [ $# -gt 0 ]; do
    case "$1" in
        --output) output="$2"; shift ;;
        --quick) quick=1 ;;
        -h|--help) sed -n "2,/^[^#]/p" "$0" | sed "/^[^#]/d; s/^# \{0,1\}//"; exit 0 ;;
        *) echo "toolgrid-bench-all: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ "$(id -u)" != 0 ]; then
    echo "toolgrid-bench-all: run it as root: sudo bench/all.sh" >&2
    exit 2
fi

mkdir -p "$output"
output="$(cd "$output" && pwd)"
summary="$output/summary.txt"
: > "$summary"

suite() {
    name="$1"; shift
    started=$(date +%s)
    echo "toolgrid-bench-all: $name: $*" >&2
    if ! "$@" > "$output/$name.md"; then
        echo "toolgrid-bench-all: $name failed (its output: $output/$name.md); the suites after it did not run" >&2
        exit 1
    fi
    echo "$name $(($(date +%s) - started)) s: $output/$name.md" >> "$summary"
}

if [ "$quick" = 1 ]; then
    suite suite bench/run.sh --output "$output/suite" --samples 20 --exec-samples 10 --cli-samples 10 --jobs 100 --warmup-jobs 100 --sleepers 20 --trace-samples 5 --no-profile --no-docs
    suite idle bench/run.sh --idle --idle-seconds 20 --output "$output/idle" --no-docs
    suite scale bench/run.sh --scale --scale-runs 10000 --output "$output/scale" --no-docs
    suite grid bench/run.sh --grid sge --grid slurm --grid-samples 4 --grid-jobs 20 --output "$output/grid" --no-docs
    suite proxy bench/proxy/run.sh --no-build --toolgridd "$PWD/artifacts/publish/bench-toolgridd/toolgridd" --duration 3s --warmup 3s --rounds 1 --starts 1 --output "$output/proxy"
else
    suite suite bench/run.sh --output "$output/suite"
    suite idle bench/run.sh --idle --idle-seconds 240 --output "$output/idle"
    suite scale bench/run.sh --scale --output "$output/scale"
    suite grid bench/run.sh --grid sge --grid slurm --grid-samples 20 --output "$output/grid"
    suite proxy bench/proxy/run.sh --toolgridd "$PWD/artifacts/publish/bench-toolgridd/toolgridd" --output "$output/proxy"
fi

echo "toolgrid-bench-all: done in one run; the reports:" >&2
cat "$summary" >&2
