#!/bin/bash
# Brings up a real test cluster of ENGINE (sge or slurm), runs jobs on it as a throwaway tool
# user the way Toolgrid's backends will (root submitting on the user's behalf), and shows how the
# engine reports each outcome: a normal end on each node and queue, a job over its memory
# limit, and a job whose node dies. Takes everything down again, also when a step fails.
#
#   deploy/grid/smoke.sh sge|slurm
#
# Prints what it sees and a closing 'N passed, N failed' line; exits non-zero on any failure.
set -eu
cd "$(dirname "$0")"
GRID_PROG=smoke.sh
. ./common.sh
ENGINE=${1:-}
case $ENGINE in
    sge | slurm) ;;
    *) echo "usage: $0 sge|slurm" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "smoke.sh: must run as root" >&2; exit 1; }
SCRIPT=./$ENGINE-cluster.sh
NAME=smoke$(($$ % 100000))
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}

cleanup() {
    "$SCRIPT" down "$NAME" || echo "smoke.sh: down failed" >&2
    remove_test_user
    echo "$passed passed, $failed failed"
}
trap cleanup EXIT

make_test_user
USER_NAME=$TEST_USER
HOME_DIR=$TEST_HOME
echo "user $USER_NAME (uid $(id -u "$USER_NAME")), home $HOME_DIR"

started=$SECONDS
ENV_FILE=$("$SCRIPT" up "$NAME")
echo "cluster $NAME up in $((SECONDS - started)) s; environment in $ENV_FILE"
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
# SGE's clients without the slow /usr/bin wrappers (see sge() in sge-cluster.sh).
[ "$ENGINE" = sge ] && PATH=$TOOLGRID_SGE_BIN:$PATH
"$SCRIPT" status "$NAME"
NODE1=$TOOLGRID_GRID_NODE1
NODE2=$TOOLGRID_GRID_NODE2

job_script() { test_job_script "$@"; }

# waits up to SECONDS for a command to succeed
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

job_script hello.sh 'hostname; id -un; echo $$; hostname -I'
job_script hog.sh 'exec python3 -c "
import time
chunks = []
for i in range(40):
    chunks.append(bytearray(10 * 1024 * 1024))
    time.sleep(0.05)
print(\"allocated\", len(chunks) * 10, \"MB\")"'
job_script hog2.sh '# two processes, each under the per-process limit, together over it
python3 -c "import time; x = bytearray(70 * 1024 * 1024); time.sleep(20)" &
python3 -c "import time; x = bytearray(70 * 1024 * 1024); time.sleep(20)" &
wait'
job_script sleeper.sh 'sleep 600'

if [ "$ENGINE" = sge ]; then
    submit() { sge_submit_as "$USER_NAME" "$HOME_DIR" "$@"; }
    finished() { qacct -j "$1" >/dev/null 2>&1; }
    acct() { qacct -j "$1" | grep -E '^(qname|hostname|owner|start_time|end_time|failed|exit_status|maxvmem) '; }

    for target in "default@$NODE1" "default@$NODE2" "dedicated@$NODE2"; do
        job=$(submit -q "$target" -N hello -o "hello.$target.out" -j y hello.sh)
        wait_until 60 finished "$job" || bad "job $job on $target did not end within 60 s"
        echo "--- job $job on $target:"
        cat "$HOME_DIR/hello.$target.out"
        acct "$job"
        check "job on $target ran on ${target#*@} as $USER_NAME" \
            test "$(head -2 "$HOME_DIR/hello.$target.out" | tr '\n' ' ')" = "${target#*@} $USER_NAME "
    done

    echo "--- memory: hog.sh allocates 400 MB under -l h_vmem=200M (the limit is a ulimit -v):"
    job=$(submit -l h_vmem=200M -N hog -o hog.out -j y hog.sh)
    wait_until 60 finished "$job" || bad "hog job $job did not end"
    cat "$HOME_DIR/hog.out"
    acct "$job"
    check "an allocation over h_vmem fails in the job (exit_status 1, failed 0)" \
        sh -c "qacct -j $job | grep -q '^exit_status  *1 *$'"
    echo "--- memory: two 70 MB processes under -l h_vmem=120M (execd sums them and kills the job):"
    job=$(submit -l h_vmem=120M -N hog2 -o hog2.out -j y hog2.sh)
    wait_until 90 finished "$job" || bad "hog2 job $job did not end"
    acct "$job"
    check "a job over h_vmem in sum is killed by the execd (failed 37, exit_status 137)" \
        sh -c "qacct -j $job | grep -q '^failed  *37' && qacct -j $job | grep -q '^exit_status  *137'"

    echo "--- node fault: a job on $NODE1, then $NODE1 is killed"
    job=$(submit -q "default@$NODE1" -N sleeper -o /dev/null -j y sleeper.sh)
    wait_until 60 sh -c "qstat -u '*' | awk '\$1 == $job && \$5 == \"r\"' | grep -q ." || bad "sleeper did not start"
    t0=$SECONDS
    "$SCRIPT" kill-node "$NAME" 1
    unknown=""
    gone=""
    while [ $((SECONDS - t0)) -lt 180 ]; do
        if [ -z "$unknown" ] && qstat -f -q "default@$NODE1" | grep -q "default@$NODE1 .* u"; then
            unknown=$((SECONDS - t0))
            echo "after ${unknown} s: queue instance default@$NODE1 is 'u' (unknown); the job still shows:"
            qstat -u '*'
        fi
        if ! qstat -u '*' | awk -v j="$job" '$1 == j' | grep -q .; then
            gone=$((SECONDS - t0))
            break
        fi
        sleep 0.5
    done
    check "the dead node's queue went 'u' (max_unheard)" test -n "$unknown"
    check "the job on the dead node left qstat (reschedule_unknown + ENABLE_RESCHEDULE_KILL) after ${gone:-?} s" test -n "$gone"
    if qacct -j "$job" >/dev/null 2>&1; then echo "qacct has a record of job $job:"; acct "$job"; else
        echo "qacct has no record of job $job (a job reaped on an unknown host gets none)"; fi
    "$SCRIPT" revive-node "$NAME" 1
    job=$(submit -q "default@$NODE1" -N hello -o hello.revived.out -j y hello.sh)
    wait_until 60 finished "$job" || true
    check "a revived node runs jobs again" grep -q "^$NODE1\$" "$HOME_DIR/hello.revived.out"
else
    submit() { slurm_submit_as "$USER_NAME" "$HOME_DIR" "$@"; }
    state() { scontrol show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
    running() { test "$(state "$1")" = RUNNING; }
    finished() { case $(state "$1") in PENDING | RUNNING | CONFIGURING | COMPLETING | "") return 1 ;; esac; }
    show() { scontrol show job "$1" | grep -E 'JobState|ExitCode|UserId|StartTime|NodeList|TRES' | sed 's/^ */  /'; }

    for target in "$TOOLGRID_SLURM_DEFAULT_PARTITION:$NODE1" "$TOOLGRID_SLURM_DEFAULT_PARTITION:$NODE2" "dedicated:$NODE2"; do
        job=$(submit -p "${target%%:*}" -w "${target#*:}" -o "hello.$target.out" hello.sh)
        wait_until 60 finished "$job" || bad "job $job on $target did not end within 60 s"
        echo "--- job $job in partition ${target%%:*} on ${target#*:}:"
        cat "$HOME_DIR/hello.$target.out"
        show "$job"
        check "job in ${target%%:*} ran on ${target#*:} as $USER_NAME" \
            test "$(head -2 "$HOME_DIR/hello.$target.out" | tr '\n' ' ')" = "${target#*:} $USER_NAME "
    done
    job=$(submit -o hello.any.out hello.sh)
    wait_until 60 finished "$job" || true
    check "a job without -p runs in the default partition ($TOOLGRID_SLURM_DEFAULT_PARTITION)" \
        sh -c "scontrol show job $job | grep -q 'Partition=$TOOLGRID_SLURM_DEFAULT_PARTITION '"

    echo "--- memory: hog.sh allocates 400 MB under --mem=100M (cgroup v1 memory limit):"
    job=$(submit --mem=100M -o hog.out hog.sh)
    wait_until 60 finished "$job" || bad "hog job $job did not end"
    cat "$HOME_DIR/hog.out"
    show "$job"
    check "a job over --mem ends OUT_OF_MEMORY" test "$(state "$job")" = OUT_OF_MEMORY
    grep "JobId=$job " "$TOOLGRID_SLURM_JOBCOMP" || true

    echo "--- node fault: a job on $NODE1, then $NODE1 is killed"
    job=$(submit -w "$NODE1" -o /dev/null sleeper.sh)
    wait_until 60 running "$job" || bad "sleeper did not start"
    t0=$SECONDS
    "$SCRIPT" kill-node "$NAME" 1
    responding=""
    ended=""
    while [ $((SECONDS - t0)) -lt 180 ]; do
        if [ -z "$responding" ] && sinfo -h -N -n "$NODE1" -o %T | grep -q '\*'; then
            responding=$((SECONDS - t0))
            echo "after ${responding} s: $NODE1 is '$(sinfo -h -N -n "$NODE1" -o %T | head -1)' (not responding); job $job is $(state "$job")"
        fi
        if finished "$job"; then
            ended=$((SECONDS - t0))
            break
        fi
        sleep 0.5
    done
    echo "after ${ended:-?} s: job $job is $(state "$job"), $NODE1 is $(sinfo -h -N -n "$NODE1" -o %T | head -1)"
    show "$job"
    check "the job on the dead node ended NODE_FAIL (SlurmdTimeout)" test "$(state "$job")" = NODE_FAIL
    "$SCRIPT" revive-node "$NAME" 1
    job=$(submit -w "$NODE1" -o hello.revived.out hello.sh)
    wait_until 60 finished "$job" || true
    check "a revived node runs jobs again" grep -q "^$NODE1\$" "$HOME_DIR/hello.revived.out"
fi

echo "--- a web server started by a job on $NODE2 is reachable from the host at $TOOLGRID_GRID_NODE2_ADDR"
job_script web.sh 'exec python3 -m http.server 8080 --bind 0.0.0.0'
echo "hello from the node" > "$HOME_DIR/index.txt"
chown "$USER_NAME:$USER_NAME" "$HOME_DIR/index.txt"
if [ "$ENGINE" = sge ]; then
    job=$(submit -q "default@$NODE2" -N web -o /dev/null -j y web.sh)
    stop_job() { qdel "$1" >/dev/null; }
else
    job=$(submit -w "$NODE2" -o /dev/null web.sh)
    stop_job() { scancel "$1"; }
fi
# No proxy: the node's address is on this machine's bridge.
fetch() {
    python3 -c "import urllib.request as r, sys; o = r.build_opener(r.ProxyHandler({}))
print(o.open(sys.argv[1], timeout=2).read().decode().strip())" "$1"
}
wait_until 60 fetch "http://$TOOLGRID_GRID_NODE2_ADDR:8080/index.txt" || true
check "the job's web server answers at $TOOLGRID_GRID_NODE2_ADDR:8080" \
    test "$(fetch "http://$TOOLGRID_GRID_NODE2_ADDR:8080/index.txt" 2>/dev/null)" = "hello from the node"
stop_job "$job"

[ "$failed" = 0 ]
