#!/bin/bash
# A real Slurm 22.05 cluster on this one machine, for tests, benchmarks and developers: munged
# and slurmctld on the host (as master-NAME), slurmd on node1-NAME and node2-NAME, each in its
# own network and UTS namespace (see common.sh). Partitions: `tools` on both nodes (the
# default; Slurm reserves the name "default") and `dedicated` on node2. Everything (config,
# munge key and socket, state, logs, the jobcomp file) is in /run/toolgrid-grid/NAME/slurm;
# the client environment (SLURM_CONF) is written to /run/toolgrid-grid/NAME/env.
#
#   deploy/grid/slurm-cluster.sh up NAME [--accounting]   make and start it (fails if NAME
#                                 exists); --accounting adds slurmdbd and its own MariaDB (sacct)
#   deploy/grid/slurm-cluster.sh down NAME      stop and remove everything it made, even half-made
#   deploy/grid/slurm-cluster.sh status NAME    nodes and partitions as slurmctld sees them
#   deploy/grid/slurm-cluster.sh kill-node|revive-node|drain|resume NAME N
#   deploy/grid/slurm-cluster.sh stop-master|start-master NAME
#   deploy/grid/slurm-cluster.sh on-node NAME N CMD...   run CMD on node N (as root)
#
# Needs the Debian packages slurm-wlm and munge, and for --accounting slurmdbd and
# mariadb-server (deploy/lib.sh: install_grid_packages slurm [slurm-accounting]).
set -eu
GRID_PROG=slurm-cluster.sh
. "$(dirname "$0")/common.sh"

# A node that has not answered for SLURMD_TIMEOUT seconds is DOWN and its jobs end NODE_FAIL.
SLURMD_TIMEOUT=${TOOLGRID_SLURM_SLURMD_TIMEOUT:-10}
# Slurm's round trip limit (its default, 10 s, unless set). It also bounds how long slurmctld's
# ping of a node whose slurmd is gone (connection refused) retries, once a second: two such pings
# come before the node is DOWN, so it, more than SlurmdTimeout, sets how late a dead slurmd is
# noticed (measured: docs/benchmarks.md, the grid section).
MESSAGE_TIMEOUT=${TOOLGRID_SLURM_MESSAGE_TIMEOUT:-10}
# How long an ended job stays in slurmctld's memory (scontrol show job, squeue -t all).
MIN_JOB_AGE=${TOOLGRID_SLURM_MIN_JOB_AGE:-3600}
# What each node offers (more CPUs than the machine has: SlurmdParameters=config_overrides).
NODE_CPUS=${TOOLGRID_SLURM_NODE_CPUS:-8}
NODE_MEMORY_MB=${TOOLGRID_SLURM_NODE_MEMORY_MB:-8192}
# The memory of a job that asks for none (without it, a job would book its whole node).
JOB_MEMORY_MB=${TOOLGRID_SLURM_JOB_MEMORY_MB:-1024}
DEFAULT_PARTITION=tools

slurm_names() {
    SL=$DIR/slurm
    CONF=$SL/slurm.conf
    CTLD_PORT=$PORT0
    SLURMD_PORT=$((PORT0 + 1))
    MUNGE_SOCKET=$SL/munge/munge.socket
    DBD_PORT=$((PORT0 + 8))
    DB_PORT=$((PORT0 + 9))
}

slurm() {
    timeout 60 env SLURM_CONF="$CONF" "$@"
}

pid_from() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    pid_alive "$pid" && echo "$pid"
}

# The daemons on the master run in its UTS namespace (slurmctld and slurmdbd check that their
# host name is SlurmctldHost/DbdHost), where `down` finds and kills them.
start_munged() {
    on_master setpriv --reuid=munge --regid=munge --init-groups -- /usr/sbin/munged \
        --socket="$MUNGE_SOCKET" --key-file="$SL/munge/munge.key" --pid-file="$SL/munge/munged.pid" \
        --log-file="$SL/munge/munged.log" --seed-file="$SL/munge/munged.seed"
}

start_slurmctld() {
    on_master env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SLURM_CONF="$CONF" /usr/sbin/slurmctld
    wait_for 60 slurm scontrol ping || grid_die "slurmctld did not answer within 60 s (see $SL/log/slurmctld.log)"
    # A restarted slurmctld knows its nodes' states only once each has answered a ping.
    local n
    for n in $GRID_NODES; do
        [ -n "$(ns_pids $(node_ns_files "$n"))" ] || continue
        wait_for 60 node_up "$n" || grid_die "slurmd on $(node_host "$n") did not answer slurmctld within 60 s"
    done
}

stop_slurmctld() {
    local pid
    pid=$(pid_from "$SL/slurmctld.pid") || return 0
    kill -TERM "$pid"
    wait_gone 30 "$pid" || { kill -KILL "$pid" 2>/dev/null || true; wait_gone 10 "$pid" || true; }
}

# Accounting: a MariaDB of the cluster's own (loopback only, port PORT0+9; its data in db/,
# its socket, pid and log in dbrun/) and slurmdbd.
start_database() {
    local run=$SL/dbrun
    mkdir -p "$SL/db" "$run"
    chown mysql:mysql "$SL/db" "$run"
    quiet mariadb-install-db --no-defaults --datadir="$SL/db" --user=mysql --skip-test-db \
        --auth-root-authentication-method=socket
    on_master /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$SL/db" --socket="$run/db.sock" \
        --bind-address=127.0.0.1 --port="$DB_PORT" --pid-file="$run/db.pid" --log-error="$run/mariadb.log" \
        --skip-name-resolve --innodb-buffer-pool-size=32M --innodb-log-file-size=16M >/dev/null 2>&1 &
    wait_for 60 mariadb --no-defaults --socket="$run/db.sock" -u root -e 'select 1' ||
        grid_die "MariaDB did not start within 60 s (see $run/mariadb.log)"
    quiet mariadb --no-defaults --socket="$run/db.sock" -u root -e "
        CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm';
        GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"
}

start_slurmdbd() {
    on_master env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SLURM_CONF="$CONF" /usr/sbin/slurmdbd
    wait_for 60 slurm sacctmgr -n show cluster || grid_die "slurmdbd did not answer within 60 s (see $SL/log/slurmdbd.log)"
}

start_slurmd() {
    on_node "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SLURM_CONF="$CONF" /usr/sbin/slurmd -N "$(node_host "$1")"
}

# True once slurmctld sees node N up (idle, mixed or allocated, not down or not responding).
node_up() {
    slurm sinfo -h -N -n "$(node_host "$1")" -o %T | grep -q -E '^(idle|mixed|allocated|draining|drained)$'
}

write_config() {
    local n nodes
    mkdir -p "$SL/munge" "$SL/state" "$SL/log"
    for n in $GRID_NODES; do mkdir -p "$SL/spool/$(node_host "$n")"; done
    chown slurm:slurm "$SL/state" "$SL/log"
    chown munge:munge "$SL/munge"
    chmod 755 "$SL/munge"
    dd if=/dev/urandom of="$SL/munge/munge.key" bs=1024 count=1 status=none
    chown munge:munge "$SL/munge/munge.key"
    chmod 400 "$SL/munge/munge.key"
    nodes=$(for n in $GRID_NODES; do printf '%s,' "$(node_host "$n")"; done | sed 's/,$//')
    : > "$SL/plugstack.conf"
    cat > "$CONF" <<EOF
# Toolgrid test cluster $NAME (deploy/grid/slurm-cluster.sh); see deploy/grid/README.md.
ClusterName=tg-$NAME
SlurmctldHost=$MASTER_HOST($MASTER_ADDR)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SrunPortRange=$((PORT0 + 2))-$((PORT0 + 7))
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$SL/state
SlurmdSpoolDir=$SL/spool/%n
SlurmctldPidFile=$SL/slurmctld.pid
SlurmdPidFile=$SL/slurmd-%n.pid
SlurmctldLogFile=$SL/log/slurmctld.log
SlurmdLogFile=$SL/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$SL/plugstack.conf
# cgroups (v1 here, cgroup.conf): processes tracked and --mem enforced; an over-limit job
# ends OUT_OF_MEMORY.
ProctrackType=proctrack/cgroup
TaskPlugin=task/cgroup
JobAcctGatherType=jobacct_gather/cgroup
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=$JOB_MEMORY_MB
SlurmdParameters=config_overrides
# Start a job as soon as it is submitted (default: ~2.5 s later).
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=100000
# Faults: a node silent for SlurmdTimeout is DOWN, its jobs end NODE_FAIL and are not requeued
# (the submitter decides); a DOWN node that registers again returns to service.
SlurmdTimeout=$SLURMD_TIMEOUT
MessageTimeout=$MESSAGE_TIMEOUT
ReturnToService=2
JobRequeue=0
KillWait=5
InactiveLimit=0
MinJobAge=$MIN_JOB_AGE
# Every ended job gets a line in the jobcomp file; sacct works only with --accounting.
JobCompType=jobcomp/filetxt
JobCompLoc=$SL/log/jobcomp.txt
$(if [ "$ACCOUNTING" = yes ]; then
    echo "AccountingStorageType=accounting_storage/slurmdbd"
    echo "AccountingStorageHost=$MASTER_HOST"
    echo "AccountingStoragePort=$DBD_PORT"
    # The munge socket for talking to slurmdbd (AuthInfo does not apply to that connection).
    echo "AccountingStoragePass=$MUNGE_SOCKET"
else
    echo "AccountingStorageType=accounting_storage/none"
fi)
MpiDefault=none
NodeName=DEFAULT CPUs=$NODE_CPUS RealMemory=$NODE_MEMORY_MB State=UNKNOWN
$(for n in $GRID_NODES; do echo "NodeName=$(node_host "$n") NodeAddr=$(node_addr "$n") NodeHostname=$(node_host "$n")"; done)
PartitionName=$DEFAULT_PARTITION Nodes=$nodes Default=YES MaxTime=INFINITE State=UP
PartitionName=dedicated Nodes=$(node_host 2) MaxTime=INFINITE State=UP
EOF
    if [ "$ACCOUNTING" = yes ]; then
        cat > "$SL/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
DbdHost=$MASTER_HOST
DbdPort=$DBD_PORT
SlurmUser=slurm
PidFile=$SL/slurmdbd.pid
LogFile=$SL/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
EOF
        chown slurm:slurm "$SL/slurmdbd.conf"
        chmod 600 "$SL/slurmdbd.conf"
    fi
    cat > "$SL/cgroup.conf" <<EOF
CgroupPlugin=cgroup/v1
CgroupMountpoint=/sys/fs/cgroup
CgroupAutomount=no
ConstrainCores=no
ConstrainRAMSpace=yes
ConstrainSwapSpace=yes
AllowedSwapSpace=0
EOF
}

write_env() {
    {
        grid_env_common
        echo "SLURM_CONF=$CONF"
        echo "TOOLGRID_SLURM_JOBCOMP=$SL/log/jobcomp.txt"
        echo "TOOLGRID_SLURM_DEFAULT_PARTITION=$DEFAULT_PARTITION"
        echo "TOOLGRID_SLURM_ACCOUNTING=$ACCOUNTING"
    } > "$DIR/env"
}

cmd_up() {
    command -v /usr/sbin/slurmctld >/dev/null && command -v /usr/sbin/slurmd >/dev/null && command -v /usr/sbin/munged >/dev/null ||
        grid_die "Slurm is not installed: apt-get install slurm-wlm munge (or install_grid_packages slurm from deploy/lib.sh)"
    if [ "$ACCOUNTING" = yes ]; then
        command -v /usr/sbin/slurmdbd >/dev/null && command -v /usr/sbin/mariadbd >/dev/null ||
            grid_die "--accounting needs slurmdbd and MariaDB: apt-get install slurmdbd mariadb-server (or install_grid_packages slurm-accounting from deploy/lib.sh)"
    fi
    grid_allocate
    slurm_names
    trap 'grid_log "up failed; remove what it made with: $0 down $NAME"' ERR
    grid_net_up
    write_config
    start_munged
    if [ "$ACCOUNTING" = yes ]; then
        start_database
        start_slurmdbd
    fi
    start_slurmctld
    for n in $GRID_NODES; do start_slurmd "$n"; done
    for n in $GRID_NODES; do
        wait_for 60 node_up "$n" || grid_die "slurmd on $(node_host "$n") did not register within 60 s (see $SL/log/slurmd-$(node_host "$n").log)"
    done
    write_env
    trap - ERR
    echo "$DIR/env"
}

# Removes the cgroups slurmd made for node N's jobs (slurm_<node> under each v1 controller),
# deepest first; they are empty once every process on the node is dead.
remove_cgroups() {
    local n=$1 d
    for d in /sys/fs/cgroup/*/"slurm_$(node_host "$n")"; do
        [ -d "$d" ] || continue
        find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
}

cmd_down() {
    if [ ! -f "$DIR/cluster" ]; then
        [ -e "$DIR" ] && rm -rf "$DIR"
        return 0
    fi
    grid_load
    slurm_names
    local n
    # Every daemon and job of the cluster (munged and MariaDB too) is in one of its namespaces.
    kill_ns "$DIR/ns/master.uts" $(for n in $GRID_NODES; do node_ns_files "$n"; done)
    for n in $GRID_NODES; do remove_cgroups "$n"; done
    grid_net_down
    rm -rf "$DIR"
}

cmd_status() {
    grid_load
    slurm_names
    echo "cluster $NAME (slurm, slurmctld $MASTER_HOST:$CTLD_PORT, env $DIR/env)"
    if ! pid_from "$SL/slurmctld.pid" >/dev/null; then
        echo "slurmctld is not running"
        return 1
    fi
    slurm sinfo -N -o '%N %P %T %c %m %E'
    echo
    slurm squeue -o '%i %P %u %T %M %N %R'
}

cmd_kill_node() {
    grid_load
    slurm_names
    kill_node_processes "$1"
    echo "$(node_host "$1"): slurmd and every process on it killed"
}

cmd_revive_node() {
    grid_load
    slurm_names
    [ -z "$(ns_pids $(node_ns_files "$1"))" ] || grid_die "$(node_host "$1") is alive: kill-node it first"
    start_slurmd "$1"
    wait_for 60 node_up "$1" || grid_die "slurmd on $(node_host "$1") did not register within 60 s"
    echo "$(node_host "$1"): slurmd started"
}

cmd_drain() {
    grid_load
    slurm_names
    quiet slurm scontrol update nodename="$(node_host "$1")" state=drain reason="drained by slurm-cluster.sh"
    echo "$(node_host "$1"): draining (running jobs go on, no new ones start)"
}

cmd_resume() {
    grid_load
    slurm_names
    quiet slurm scontrol update nodename="$(node_host "$1")" state=resume
    echo "$(node_host "$1"): resumed"
}

cmd_stop_master() {
    grid_load
    slurm_names
    stop_slurmctld
    echo "slurmctld stopped"
}

cmd_start_master() {
    grid_load
    slurm_names
    ! pid_from "$SL/slurmctld.pid" >/dev/null || grid_die "slurmctld is already running"
    start_slurmctld
    echo "slurmctld started"
}

usage() {
    sed -n 's/^#   //p' "$0" >&2
    exit 2
}

[ $# -ge 2 ] || usage
verb=$1
grid_init slurm "$2"
shift 2
ACCOUNTING=no
if [ "$verb" = up ] && [ "${1:-}" = --accounting ]; then
    ACCOUNTING=yes
    shift
fi
case $verb in
    up | down | status | stop-master | start-master)
        [ $# -eq 0 ] || usage
        "cmd_${verb//-/_}"
        ;;
    kill-node | revive-node | drain | resume)
        [ $# -eq 1 ] || usage
        check_node_number "$1"
        "cmd_${verb//-/_}" "$1"
        ;;
    on-node)
        [ $# -ge 2 ] || usage
        check_node_number "$1"
        grid_load
        n=$1
        shift
        on_node "$n" "$@"
        ;;
    *) usage ;;
esac
