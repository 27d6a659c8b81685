#!/bin/bash
# Measures the test clusters: `up` and `down` of each engine, and submit-to-start of a job
# that only records the time it started, SAMPLES times per engine, the engines interleaved
# (one SGE job, one Slurm job, ...) so that both see the same machine load.
#
#   deploy/grid/measure.sh [SAMPLES]      (default 30)
#
# Submit-to-start is from just before qsub/sbatch (as a backend would call it, as root on the
# user's behalf) to the job script's first command, on one clock. Prints p50, p90, p99 and max.
set -eu
cd "$(dirname "$0")"
GRID_PROG=measure.sh
. ./common.sh
SAMPLES=${1:-30}
case $SAMPLES in "" | *[!0-9]*) echo "usage: $0 [SAMPLES]" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "measure.sh: must run as root" >&2; exit 1; }
SGE_NAME=msge$(($$ % 100000))
SLURM_NAME=mslurm$(($$ % 100000))

cleanup() {
    ./sge-cluster.sh down "$SGE_NAME" || true
    ./slurm-cluster.sh down "$SLURM_NAME" || true
    remove_test_user
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# Times `up` (twice, with a `down` between, also timed) for ENGINE and leaves it up.
time_up_down() {
    local engine=$1 name=$2 t round
    for round in 1 2; do
        t=$(now)
        "./$engine-cluster.sh" up "$name" >/dev/null
        echo "$engine up: $(elapsed "$t" "$(now)") s"
        if [ "$round" = 1 ]; then
            t=$(now)
            "./$engine-cluster.sh" down "$name"
            echo "$engine down: $(elapsed "$t" "$(now)") s"
        fi
    done
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
time_up_down sge "$SGE_NAME"
time_up_down slurm "$SLURM_NAME"

make_test_user
test_job_script stamp.sh 'date +%s.%N > "$HOME/stamp.$1"'

# submit_and_wait ENGINE I: prints the seconds from submit to the job's first command.
submit_and_wait() {
    local engine=$1 i=$2 t deadline
    rm -f "$TEST_HOME/stamp.$engine$i"
    t=$(now)
    if [ "$engine" = sge ]; then
        (set -a; . "$GRID_RUN/$SGE_NAME/env"; sge_submit_as "$TEST_USER" "$TEST_HOME" -o /dev/null -j y stamp.sh "$engine$i") >/dev/null
    else
        (set -a; . "$GRID_RUN/$SLURM_NAME/env"; slurm_submit_as "$TEST_USER" "$TEST_HOME" -o /dev/null stamp.sh "$engine$i") >/dev/null
    fi
    deadline=$((SECONDS + 60))
    until [ -s "$TEST_HOME/stamp.$engine$i" ]; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "measure.sh: $engine job $i did not start within 60 s" >&2; return 1; }
        sleep 0.02
    done
    elapsed "$t" "$(cat "$TEST_HOME/stamp.$engine$i")"
}

: > "$TEST_HOME/sge.samples"
: > "$TEST_HOME/slurm.samples"
for i in $(seq 1 "$SAMPLES"); do
    submit_and_wait sge "$i" >> "$TEST_HOME/sge.samples"
    submit_and_wait slurm "$i" >> "$TEST_HOME/slurm.samples"
done

summary() {
    sort -n "$1" | awk -v what="$2" '
        function pct(q,  k) { k = int(q * NR + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR; return v[k] }
        { v[NR] = $1 }
        END { printf "%s submit->start (%d samples): p50 %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s\n", what, NR, pct(0.5), pct(0.9), pct(0.99), v[NR] }'
}
summary "$TEST_HOME/sge.samples" sge
summary "$TEST_HOME/slurm.samples" slurm
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
