#!/bin/bash
# Measures how late a job due at a given second starts on the test clusters, two ways per engine:
# submitted ahead with a deferred start (SGE `qsub -a`, as the Grid Engine backend submits a
# scheduled run; Slurm `sbatch --begin`), and submitted at the due time itself (as the Slurm
# backend does, less its poll). Each job records when its script began; lateness is that minus
# the due time. SAMPLES of each.
#
#   deploy/grid/measure-deferred.sh [SAMPLES]      (default 10)
#
# Prints each engine's min, p50, p90 and max lateness, and how many started early (should be 0).
set -eu
cd "$(dirname "$0")"
GRID_PROG=measure-deferred.sh
. ./common.sh
SAMPLES=${1:-10}
case $SAMPLES in "" | *[!0-9]*) echo "usage: $0 [SAMPLES]" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "measure-deferred.sh: must run as root" >&2; exit 1; }
SGE_NAME=dsge$(($$ % 100000))
SLURM_NAME=dslurm$(($$ % 100000))
LEAD=${TOOLGRID_MEASURE_LEAD:-6}

cleanup() {
    ./sge-cluster.sh down "$SGE_NAME" || true
    ./slurm-cluster.sh down "$SLURM_NAME" || true
    remove_test_user
}
trap cleanup EXIT

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
./sge-cluster.sh up "$SGE_NAME" >/dev/null
./slurm-cluster.sh up "$SLURM_NAME" >/dev/null
make_test_user
test_job_script stamp.sh 'date +%s.%N > "$HOME/stamp.$1"'

# Both clients read the start time in their own time zone: this host's, as `date` writes it here.
# Two rounds, so that a submission at the due time (which makes both schedulers look at their
# queues) does not start the other round's deferred jobs: first ahead with a start time, then
# at the due time.
wait_for() {
    local deadline=$((SECONDS + LEAD + 60)) f
    for f in "$@"; do
        until [ -s "$TEST_HOME/stamp.$f" ]; do
            [ "$SECONDS" -lt "$deadline" ] || { echo "measure-deferred.sh: job $f did not start within 60 s of its due time" >&2; exit 1; }
            sleep 0.1
        done
        awk -v due="$due" '{ printf "%.3f\n", $1 - due }' "$TEST_HOME/stamp.$f" >> "$TEST_HOME/${f%%[0-9]*}.samples"
    done
}
for i in $(seq 1 "$SAMPLES"); do
    due=$(($(date +%s) + LEAD))
    (set -a; . "$GRID_RUN/$SGE_NAME/env"; sge_submit_as "$TEST_USER" "$TEST_HOME" -o /dev/null -j y -a "$(date -d "@$due" +%Y%m%d%H%M.%S)" stamp.sh "sgea$i") >/dev/null
    (set -a; . "$GRID_RUN/$SLURM_NAME/env"; slurm_submit_as "$TEST_USER" "$TEST_HOME" -o /dev/null --begin="$(date -d "@$due" +%Y-%m-%dT%H:%M:%S)" stamp.sh "slurmbegin$i") >/dev/null
    wait_for "sgea$i" "slurmbegin$i"
done
for i in $(seq 1 "$SAMPLES"); do
    due=$(($(date +%s) + LEAD))
    until [ "$(date +%s)" -ge "$due" ]; do sleep 0.01; done
    (set -a; . "$GRID_RUN/$SGE_NAME/env"; sge_submit_as "$TEST_USER" "$TEST_HOME" -o /dev/null -j y stamp.sh "sgedue$i") >/dev/null
    (set -a; . "$GRID_RUN/$SLURM_NAME/env"; slurm_submit_as "$TEST_USER" "$TEST_HOME" -o /dev/null stamp.sh "slurmdue$i") >/dev/null
    wait_for "sgedue$i" "slurmdue$i"
done

summary() {
    sort -n "$1" | awk -v what="$2" '
        function pct(q,  k) { k = int(q * NR + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR; return v[k] }
        { v[NR] = $1; if ($1 < 0) early++ }
        END { printf "%s, lateness (%d samples): min %.3f s, p50 %.3f s, p90 %.3f s, max %.3f s, early %d\n", what, NR, v[1], pct(0.5), pct(0.9), v[NR], early + 0 }'
}
summary "$TEST_HOME/sgea.samples" "sge qsub -a"
summary "$TEST_HOME/sgedue.samples" "sge qsub at the due time"
summary "$TEST_HOME/slurmbegin.samples" "slurm sbatch --begin"
summary "$TEST_HOME/slurmdue.samples" "slurm sbatch at the due time"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
