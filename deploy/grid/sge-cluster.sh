#!/bin/bash
# A real Son of Grid Engine 8.1.9 cluster on this one machine, for tests, benchmarks and developers:
# sge_qmaster on the host (as master-NAME) and sge_execd on node1-NAME and node2-NAME, each in its
# own network and UTS namespace (see common.sh). Queues: `default` on both nodes, `dedicated`
# on node2. The cell is SGE_CELL=tg-NAME under SGE_ROOT=/var/lib/gridengine, its files in
# /run/toolgrid-grid/NAME/sge; the client environment is written to /run/toolgrid-grid/NAME/env.
#
#   deploy/grid/sge-cluster.sh up NAME        make and start it (fails if NAME exists)
#   deploy/grid/sge-cluster.sh down NAME      stop and remove everything it made, even half-made
#   deploy/grid/sge-cluster.sh status NAME    hosts and queues as the qmaster sees them
#   deploy/grid/sge-cluster.sh kill-node|revive-node|drain|resume NAME N
#   deploy/grid/sge-cluster.sh stop-master|start-master NAME
#   deploy/grid/sge-cluster.sh on-node NAME N CMD...   run CMD on node N (as root)
#
# Needs the Debian packages gridengine-master gridengine-exec gridengine-client
# (deploy/lib.sh: install_grid_packages sge).
set -eu
GRID_PROG=sge-cluster.sh
. "$(dirname "$0")/common.sh"

SGE_LIB=/usr/lib/gridengine
SGE_ROOT_DIR=/var/lib/gridengine
# Fault detection: an execd reports every LOAD_REPORT_TIME; a host unheard for MAX_UNHEARD is
# unknown ('u'), and jobs on a host unknown for RESCHEDULE_UNKNOWN more are rescheduled.
LOAD_REPORT_TIME=${TOOLGRID_SGE_LOAD_REPORT_TIME:-00:00:05}
MAX_UNHEARD=${TOOLGRID_SGE_MAX_UNHEARD:-00:00:20}
RESCHEDULE_UNKNOWN=${TOOLGRID_SGE_RESCHEDULE_UNKNOWN:-00:00:10}
# What each node offers: slots per queue instance, and h_vmem (consumable) per host; and the
# h_vmem of a job that asks for none (0 would be a limit of 0: the execd kills the job at once).
SLOTS=${TOOLGRID_SGE_SLOTS:-8}
NODE_VMEM=${TOOLGRID_SGE_NODE_VMEM:-8G}
JOB_VMEM=${TOOLGRID_SGE_JOB_VMEM:-1G}

sge_names() {
    CELL=tg-$NAME
    SGE_DIR=$DIR/sge
    QMASTER_PORT=$PORT0
    EXECD_PORT=$((PORT0 + 1))
}

# Runs a client (qconf, qstat, qmod...) as a client on the host would, with the cell's
# environment (and no inherited SGE_* of another cell). The binaries are called directly: the
# /usr/bin wrappers only set SGE_ROOT/SGE_CELL/SGE_ARCH, and run util/arch twice to do it,
# which costs 0.1 s on an idle machine and over 1 s on a busy one, per call.
sge() {
    local program=$1
    shift
    timeout "${SGE_TIMEOUT:-60}" env -u SGE_CLUSTER_NAME SGE_ROOT=$SGE_ROOT_DIR SGE_CELL="$CELL" SGE_QMASTER_PORT="$QMASTER_PORT" \
        SGE_EXECD_PORT="$EXECD_PORT" "$SGE_LIB/$program" "$@"
}

qmaster_pid() {
    local pid
    pid=$(cat "$SGE_DIR/qmaster/qmaster.pid" 2>/dev/null) || return 1
    pid_alive "$pid" && echo "$pid"
}

qmaster_answers() {
    SGE_TIMEOUT=5 sge qconf -sh
}

start_qmaster() {
    on_master env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SGE_ROOT=$SGE_ROOT_DIR SGE_CELL="$CELL" \
        SGE_QMASTER_PORT="$QMASTER_PORT" SGE_EXECD_PORT="$EXECD_PORT" $SGE_LIB/sge_qmaster
    wait_for 60 qmaster_answers || grid_die "sge_qmaster did not answer within 60 s (see $SGE_DIR/qmaster/messages)"
}

stop_qmaster() {
    local pid
    pid=$(qmaster_pid) || return 0
    kill -TERM "$pid"
    # sge_qmaster takes ~10 s to exit after SIGTERM.
    wait_gone 30 "$pid" || { kill -KILL "$pid" 2>/dev/null || true; wait_gone 10 "$pid" || true; }
}

start_execd() {
    local n=$1
    on_node "$n" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SGE_ROOT=$SGE_ROOT_DIR SGE_CELL="$CELL" \
        SGE_QMASTER_PORT="$QMASTER_PORT" SGE_EXECD_PORT="$EXECD_PORT" $SGE_LIB/sge_execd
}

# True once the qmaster has a load report from node N (its queue instances are no longer 'u').
execd_reporting() {
    sge qhost -h "$(node_host "$1")" | awk 'NR > 3 && $4 != "-" { ok = 1 } END { exit !ok }'
}

write_cell() {
    local n centry
    mkdir -p "$SGE_DIR/cell/common" "$SGE_DIR/qmaster/job_scripts" "$SGE_DIR/spooldb" "$SGE_DIR/execd" \
        "$SGE_DIR/templates/adminhosts" "$SGE_DIR/templates/submithosts"
    ln -sfn "$SGE_DIR/cell" "$SGE_ROOT_DIR/$CELL"
    cat > "$SGE_DIR/cell/common/bootstrap" <<EOF
# Toolgrid test cluster $NAME
admin_user              sgeadmin
default_domain          none
ignore_fqdn             true
spooling_method         berkeleydb
spooling_lib            libspoolb
spooling_params         $SGE_DIR/spooldb
binary_path             /usr/sbin
qmaster_spool_dir       $SGE_DIR/qmaster
security_mode           none
listener_threads        2
worker_threads          2
scheduler_threads       1
EOF
    echo "$MASTER_HOST" > "$SGE_DIR/cell/common/act_qmaster"
    echo "tg-$NAME" > "$SGE_DIR/cell/common/cluster_name"
    # Clients on this host say they are $(hostname), which resolves to a loopback address
    # here ("access denied: client IP resolved to host name localhost"); they reach the
    # qmaster from the bridge's address, which is master-NAME: make both names aliases of it.
    echo "$MASTER_HOST $(hostname) localhost" > "$SGE_DIR/cell/common/host_aliases"
    cat > "$SGE_DIR/cell/common/settings.sh" <<EOF
SGE_ROOT=$SGE_ROOT_DIR; export SGE_ROOT
SGE_CELL=$CELL; export SGE_CELL
SGE_QMASTER_PORT=$QMASTER_PORT; export SGE_QMASTER_PORT
SGE_EXECD_PORT=$EXECD_PORT; export SGE_EXECD_PORT
EOF
    # The global configuration (sge_conf(5)). min_uid/min_gid 1000 keep root and system users
    # out; tools are 50000+. accounting_flush_time 0 makes qacct see a job as soon as it ends.
    # ENABLE_ADDGRP_KILL: an ending job's every process (found by its additional group id) dies.
    cat > "$SGE_DIR/templates/global" <<EOF
conf_version           0
execd_spool_dir        $SGE_DIR/execd
mailer                 /bin/true
xterm                  /usr/bin/xterm
load_sensor            none
prolog                 none
epilog                 none
shell_start_mode       unix_behavior
login_shells           bash,sh,ksh,csh,tcsh
min_uid                1000
min_gid                1000
user_lists             none
xuser_lists            none
projects               none
xprojects              none
enforce_project        false
enforce_user           auto
load_report_time       $LOAD_REPORT_TIME
max_unheard            $MAX_UNHEARD
reschedule_unknown     $RESCHEDULE_UNKNOWN
loglevel               log_info
administrator_mail     none
set_token_cmd          none
pag_cmd                none
token_extend_time      none
shepherd_cmd           none
qmaster_params         ENABLE_FORCED_QDEL_IF_UNKNOWN=true,ENABLE_RESCHEDULE_KILL=true
execd_params           ENABLE_ADDGRP_KILL=true
reporting_params       accounting=true reporting=false flush_time=00:00:01 joblog=false sharelog=00:00:00 accounting_flush_time=00:00:00
finished_jobs          100
gid_range              $((20000000 + 1000 * INDEX))-$((20000000 + 1000 * INDEX + 99))
qlogin_command         builtin
qlogin_daemon          builtin
rlogin_command         builtin
rlogin_daemon          builtin
rsh_command            builtin
rsh_daemon             builtin
max_aj_instances       2000
max_aj_tasks           75000
max_u_jobs             0
max_jobs               0
auto_user_oticket      0
auto_user_fshare       0
auto_user_default_project none
auto_user_delete_time  86400
delegated_file_staging false
reprioritize           0
jsv_url                none
jsv_allowed_mod        ac,h,i,e,o,j,M,N,p,w
EOF
    # Each execd tracks its jobs' processes by additional group ids from gid_range, and all
    # nodes share one kernel here: each node gets its own range, far from real users' ids.
    for n in $GRID_NODES; do
        printf 'conf_version 0\ngid_range %s-%s\n' $((20000000 + 1000 * INDEX + 100 * n)) \
            $((20000000 + 1000 * INDEX + 100 * n + 99)) > "$SGE_DIR/templates/local-node$n"
    done
    # h_vmem becomes consumable: a job's -l h_vmem (or JOB_VMEM) is booked against its host's.
    centry=$SGE_DIR/templates/centry
    cp -r /usr/share/gridengine/util/resources/centry "$centry"
    sed -i -e "s/^consumable .*/consumable  YES/" -e "s/^default .*/default     $JOB_VMEM/" "$centry/h_vmem"
    echo "hostname $MASTER_HOST" > "$SGE_DIR/templates/adminhosts/$MASTER_HOST"
    echo "hostname $MASTER_HOST" > "$SGE_DIR/templates/submithosts/$MASTER_HOST"
    chown -R sgeadmin:sgeadmin "$SGE_DIR"

    local spool="env SGE_ROOT=$SGE_ROOT_DIR SGE_CELL=$CELL $SGE_LIB/spooldefaults"
    setpriv --reuid=sgeadmin --regid=sgeadmin --init-groups -- \
        env SGE_ROOT=$SGE_ROOT_DIR SGE_CELL="$CELL" $SGE_LIB/spoolinit berkeleydb libspoolb "$SGE_DIR/spooldb" init >/dev/null
    setpriv --reuid=sgeadmin --regid=sgeadmin --init-groups -- sh -e -c "
        $spool configuration $SGE_DIR/templates/global
        $spool local_conf $SGE_DIR/templates/local-node1 $(node_host 1)
        $spool local_conf $SGE_DIR/templates/local-node2 $(node_host 2)
        $spool complexes $centry
        $spool usersets /usr/share/gridengine/util/resources/usersets
        $spool managers sgeadmin root
        $spool adminhosts $SGE_DIR/templates/adminhosts
        $spool submithosts $SGE_DIR/templates/submithosts" >/dev/null
}

configure_cluster() {
    local t=$SGE_DIR/templates n
    quiet sge qconf -ah "$(node_host 1),$(node_host 2)"
    for n in $GRID_NODES; do
        cat > "$t/exechost-$n" <<EOF
hostname              $(node_host "$n")
load_scaling          NONE
complex_values        h_vmem=$NODE_VMEM
user_lists            NONE
xuser_lists           NONE
projects              NONE
xprojects             NONE
usage_scaling         NONE
report_variables      NONE
EOF
        quiet sge qconf -Ae "$t/exechost-$n"
    done
    printf 'group_name @allhosts\nhostlist %s %s\n' "$(node_host 1)" "$(node_host 2)" > "$t/allhosts"
    quiet sge qconf -Ahgrp "$t/allhosts"
    # A scheduling run every second and one right after each submit and each end; no load
    # adjustment and no load thresholds (the test machine's load says nothing about capacity).
    sge qconf -ssconf | sed -e 's/^schedule_interval .*/schedule_interval 0:0:1/' \
        -e 's/^flush_submit_sec .*/flush_submit_sec 1/' -e 's/^flush_finish_sec .*/flush_finish_sec 1/' \
        -e 's/^job_load_adjustments .*/job_load_adjustments NONE/' \
        -e 's/^load_adjustment_decay_time .*/load_adjustment_decay_time 0:0:0/' \
        -e 's/^schedd_job_info .*/schedd_job_info true/' > "$t/sconf"
    quiet sge qconf -Msconf "$t/sconf"
    queue_file default @allhosts 0 > "$t/queue-default"
    queue_file dedicated "$(node_host 2)" 1 > "$t/queue-dedicated"
    quiet sge qconf -Aq "$t/queue-default"
    quiet sge qconf -Aq "$t/queue-dedicated"
}

# queue_file QNAME HOSTLIST SEQ_NO: a batch queue with no load thresholds, /bin/sh started
# Unix-style (a script's #! line is honoured), no limits but what jobs ask for.
queue_file() {
    cat <<EOF
qname                 $1
hostlist              $2
seq_no                $3
load_thresholds       NONE
suspend_thresholds    NONE
nsuspend              1
suspend_interval      00:05:00
priority              0
min_cpu_interval      00:05:00
processors            UNDEFINED
qtype                 BATCH INTERACTIVE
ckpt_list             NONE
pe_list               make
rerun                 FALSE
slots                 $SLOTS
tmpdir                /tmp
shell                 /bin/sh
prolog                NONE
epilog                NONE
shell_start_mode      unix_behavior
starter_method        NONE
suspend_method        NONE
resume_method         NONE
terminate_method      NONE
notify                00:00:60
owner_list            NONE
user_lists            NONE
xuser_lists           NONE
subordinate_list      NONE
complex_values        NONE
projects              NONE
xprojects             NONE
calendar              NONE
initial_state         default
s_rt                  INFINITY
h_rt                  INFINITY
s_cpu                 INFINITY
h_cpu                 INFINITY
s_fsize               INFINITY
h_fsize               INFINITY
s_data                INFINITY
h_data                INFINITY
s_stack               INFINITY
h_stack               INFINITY
s_core                INFINITY
h_core                INFINITY
s_rss                 INFINITY
h_rss                 INFINITY
s_vmem                INFINITY
h_vmem                INFINITY
EOF
}

write_env() {
    {
        grid_env_common
        echo "SGE_ROOT=$SGE_ROOT_DIR"
        echo "SGE_CELL=$CELL"
        echo "SGE_QMASTER_PORT=$QMASTER_PORT"
        echo "SGE_EXECD_PORT=$EXECD_PORT"
        echo "TOOLGRID_SGE_BIN=$SGE_LIB"
    } > "$DIR/env"
}

cmd_up() {
    command -v $SGE_LIB/sge_qmaster >/dev/null && command -v $SGE_LIB/sge_execd >/dev/null ||
        grid_die "Son of Grid Engine is not installed: apt-get install gridengine-master gridengine-exec gridengine-client (or install_grid_packages sge from deploy/lib.sh)"
    grid_allocate
    sge_names
    # A failed step leaves what it made for `down`, which removes it; say so.
    trap 'grid_log "up failed; remove what it made with: $0 down $NAME"' ERR
    grid_net_up
    write_cell
    start_qmaster
    configure_cluster
    for n in $GRID_NODES; do start_execd "$n"; done
    for n in $GRID_NODES; do
        wait_for 60 execd_reporting "$n" || grid_die "sge_execd on $(node_host "$n") did not report within 60 s (see $SGE_DIR/execd/$(node_host "$n")/messages)"
    done
    write_env
    trap - ERR
    echo "$DIR/env"
}

cmd_down() {
    if [ ! -f "$DIR/cluster" ]; then
        [ -e "$DIR" ] && rm -rf "$DIR"
        return 0
    fi
    grid_load
    sge_names
    local n
    # Every daemon and job of the cluster is in one of its namespaces.
    kill_ns "$DIR/ns/master.uts" $(for n in $GRID_NODES; do node_ns_files "$n"; done)
    grid_net_down
    [ -L "$SGE_ROOT_DIR/$CELL" ] && rm -f "$SGE_ROOT_DIR/$CELL"
    rm -rf "$DIR"
}

cmd_status() {
    grid_load
    sge_names
    echo "cluster $NAME (sge, cell $CELL, qmaster $MASTER_HOST:$QMASTER_PORT, env $DIR/env)"
    if ! qmaster_pid >/dev/null; then
        echo "sge_qmaster is not running"
        return 1
    fi
    sge qhost
    echo
    sge qstat -f -u '*'
}

cmd_kill_node() {
    grid_load
    sge_names
    kill_node_processes "$1"
    echo "$(node_host "$1"): sge_execd and every process on it killed"
}

cmd_revive_node() {
    grid_load
    sge_names
    [ -z "$(ns_pids $(node_ns_files "$1"))" ] || grid_die "$(node_host "$1") is alive: kill-node it first"
    start_execd "$1"
    wait_for 60 execd_reporting "$1" || grid_die "sge_execd on $(node_host "$1") did not report within 60 s"
    echo "$(node_host "$1"): sge_execd started"
}

cmd_drain() {
    grid_load
    sge_names
    quiet sge qmod -d "*@$(node_host "$1")"
    echo "$(node_host "$1"): queue instances disabled (running jobs go on, no new ones start)"
}

cmd_resume() {
    grid_load
    sge_names
    quiet sge qmod -e "*@$(node_host "$1")"
    echo "$(node_host "$1"): queue instances enabled"
}

cmd_stop_master() {
    grid_load
    sge_names
    stop_qmaster
    echo "sge_qmaster stopped"
}

cmd_start_master() {
    grid_load
    sge_names
    ! qmaster_pid >/dev/null || grid_die "sge_qmaster is already running"
    start_qmaster
    echo "sge_qmaster started"
}

usage() {
    sed -n 's/^#   //p' "$0" >&2
    exit 2
}

[ $# -ge 2 ] || usage
verb=$1
grid_init sge "$2"
shift 2
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
