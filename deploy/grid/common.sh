# Shared by sge-cluster.sh and slurm-cluster.sh: the hosts of a test cluster on this one machine.
#
# A cluster NAME is a master (the engine's controller, in the host's network namespace but with
# its own host name, master-NAME) and two execution nodes, node1-NAME and node2-NAME, each in its
# own network namespace and UTS namespace, joined to the host by a bridge:
#
#   host (login host, clients) --- bridge tgIbr 10.213.I.1 = master-NAME
#                                     |-- veth tgIn1 --- netns tg-NAME-node1: eth0 10.213.I.11 = node1-NAME
#                                     '-- veth tgIn2 --- netns tg-NAME-node2: eth0 10.213.I.12 = node2-NAME
#
# I is the cluster's index (1..250), chosen free at `up`; ports are 21000 + 10*I and up.
# Everything a cluster has is under /run/toolgrid-grid/NAME, except the network namespaces
# (/run/netns), the links, the lines in /etc/hosts (marked "# toolgrid-grid:NAME") and, for Slurm,
# the cgroups of its jobs. `down` removes all of them, whatever state `up` left them in.
#
# Programs run "on a node" with nsenter (net + UTS), not `ip netns exec`: the latter remounts
# /sys, which hides /sys/fs/cgroup from the daemon and its jobs.

GRID_RUN=${TOOLGRID_GRID_RUN:-/run/toolgrid-grid}
# The first two octets of every cluster's /24; override if they clash with a real network.
GRID_PREFIX=${TOOLGRID_GRID_PREFIX:-10.213}
GRID_PORT_BASE=${TOOLGRID_GRID_PORT_BASE:-21000}
GRID_NODES="1 2"

grid_die() {
    echo "$GRID_PROG: $*" >&2
    exit 1
}

grid_log() {
    echo "$GRID_PROG: $*" >&2
}

# grid_init ENGINE NAME: checks NAME and sets the names every verb uses.
grid_init() {
    GRID_ENGINE=$1
    NAME=$2
    [ "$(id -u)" = 0 ] || grid_die "must run as root (it makes namespaces, links and /etc/hosts lines)"
    case $NAME in
        "" | *[!a-z0-9]* | [!a-z]*) grid_die "bad cluster name '$NAME': use 1 to 12 lowercase letters and digits, starting with a letter (it becomes part of host names)" ;;
    esac
    [ "${#NAME}" -le 12 ] || grid_die "bad cluster name '$NAME': at most 12 characters"
    DIR=$GRID_RUN/$NAME
    MASTER_HOST=master-$NAME
    MARK="# toolgrid-grid:$NAME"
}

node_host() { echo "node$1-$NAME"; }
node_netns() { echo "tg-$NAME-node$1"; }

# Loads the index and addresses that `up` recorded; fails when the cluster does not exist.
grid_load() {
    [ -f "$DIR/cluster" ] || grid_die "no cluster '$NAME' here (no $DIR/cluster): bring it up with '$GRID_PROG up $NAME'"
    # shellcheck disable=SC1091
    . "$DIR/cluster"
    [ "$ENGINE" = "$GRID_ENGINE" ] || grid_die "cluster '$NAME' is a $ENGINE cluster: use deploy/grid/$ENGINE-cluster.sh"
    grid_addresses
}

grid_addresses() {
    SUBNET=$GRID_PREFIX.$INDEX
    MASTER_ADDR=$SUBNET.1
    BRIDGE=tg${INDEX}br
    PORT0=$((GRID_PORT_BASE + 10 * INDEX))
}

node_addr() { echo "$SUBNET.$((10 + $1))"; }
node_veth() { echo "tg${INDEX}n$1"; }

port_in_use() {
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
}

# Picks a free index (a /24 no route uses, ports nothing listens on, no other cluster's) and
# writes $DIR/cluster before anything else is made, so that `down` always knows what to remove.
grid_allocate() {
    mkdir -p "$GRID_RUN"
    exec 9>"$GRID_RUN/.lock"
    flock 9
    if [ -e "$DIR" ]; then
        grid_die "cluster '$NAME' is already up (or a failed 'up' left $DIR): run '$GRID_PROG down $NAME' first"
    fi
    local start taken i p free
    start=$(($(printf '%s' "$NAME" | cksum | cut -d' ' -f1) % 250 + 1))
    taken=" $(cat "$GRID_RUN"/*/cluster 2>/dev/null | sed -n 's/^INDEX=//p' | tr '\n' ' ') "
    for step in $(seq 0 249); do
        i=$(((start - 1 + step) % 250 + 1))
        case $taken in *" $i "*) continue ;; esac
        ip -4 -o addr show | grep -q " $GRID_PREFIX\.$i\." && continue
        ip -4 route show to match "$GRID_PREFIX.$i.1" | grep -q -v '^default' && continue
        free=1
        for p in $(seq $((GRID_PORT_BASE + 10 * i)) $((GRID_PORT_BASE + 10 * i + 9))); do
            if port_in_use "$p"; then free=0; break; fi
        done
        [ "$free" = 1 ] || continue
        mkdir -p "$DIR"
        printf 'ENGINE=%s\nNAME=%s\nINDEX=%s\n' "$GRID_ENGINE" "$NAME" "$i" > "$DIR/cluster"
        INDEX=$i
        grid_addresses
        exec 9>&-
        return 0
    done
    grid_die "no free index for a cluster (each needs a $GRID_PREFIX.I.0/24 and ports $GRID_PORT_BASE+10*I..+9)"
}

# /etc/hosts: one line per host, marked with the cluster, replaced atomically under a lock.
grid_hosts_edit() {
    local add=$1 tmp
    exec 8>"$GRID_RUN/.hosts.lock"
    flock 8
    tmp=$(mktemp /etc/.hosts.toolgrid-grid.XXXXXX)
    grep -v -e " $MARK\$" /etc/hosts > "$tmp" || true
    if [ "$add" = add ]; then
        echo "$MASTER_ADDR $MASTER_HOST $MARK" >> "$tmp"
        for n in $GRID_NODES; do echo "$(node_addr "$n") $(node_host "$n") $MARK" >> "$tmp"; done
    fi
    chmod 644 "$tmp"
    # A bind-mounted /etc/hosts (containers) cannot be renamed over: write it in place then.
    mv -f "$tmp" /etc/hosts 2>/dev/null || { cat "$tmp" > /etc/hosts; rm -f "$tmp"; }
    exec 8>&-
}

# A persistent UTS namespace with HOST as its host name, bound to FILE.
make_uts() {
    local file=$1 host=$2
    touch "$file"
    unshare --uts="$file" hostname "$host"
}

grid_net_up() {
    local n veth ns
    mkdir -p "$DIR/ns"
    ip link add "$BRIDGE" type bridge
    ip link set "$BRIDGE" alias "toolgrid-grid $NAME"
    ip addr add "$MASTER_ADDR/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    make_uts "$DIR/ns/master.uts" "$MASTER_HOST"
    for n in $GRID_NODES; do
        veth=$(node_veth "$n")
        ns=$(node_netns "$n")
        ip netns add "$ns"
        ip link add "$veth" type veth peer name eth0 netns "$ns"
        ip link set "$veth" alias "toolgrid-grid $NAME node$n"
        ip link set "$veth" master "$BRIDGE" up
        ip -n "$ns" link set lo up
        ip -n "$ns" addr add "$(node_addr "$n")/24" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" route add default via "$MASTER_ADDR"
        make_uts "$DIR/ns/node$n.uts" "$(node_host "$n")"
    done
    grid_hosts_edit add
}

# Runs a command on node N (its network and UTS namespaces; the host's mounts and cgroups).
on_node() {
    local n=$1
    shift
    nsenter --net="/run/netns/$(node_netns "$n")" --uts="$DIR/ns/node$n.uts" -- "$@"
}

# Runs a command on the master: the host's network, the master's host name.
on_master() {
    nsenter --uts="$DIR/ns/master.uts" -- "$@"
}

# The pids of every process in any of the given namespaces (files of namespaces). `-ef`
# compares device and inode without a fork per process.
ns_pids() {
    local files="" f pid kind
    for f in "$@"; do [ -e "$f" ] && files="$files $f"; done
    [ -n "$files" ] || return 0
    for pid in /proc/[0-9]*; do
        pid=${pid#/proc/}
        for f in $files; do
            for kind in net uts; do
                if [ "/proc/$pid/ns/$kind" -ef "$f" ]; then
                    echo "$pid"
                    continue 3
                fi
            done
        done
    done
}

# A process is gone when /proc has no entry for it or it is a zombie (PID 1 reaps late here).
pid_alive() {
    local state
    state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null)
    [ -n "$state" ] && [ "$state" != Z ]
}

# wait_gone SECONDS PID...: true once every PID is gone.
wait_gone() {
    local limit=$(($1 * 10)) pid alive
    shift
    while [ "$limit" -gt 0 ]; do
        alive=0
        for pid in "$@"; do pid_alive "$pid" && alive=1; done
        [ "$alive" = 0 ] && return 0
        sleep 0.1
        limit=$((limit - 1))
    done
    return 1
}

# Kills (SIGKILL) every process in the given namespaces, again until none is left (a dying
# daemon may fork), and waits for them.
kill_ns() {
    local pids _
    for _ in 1 2 3 4 5; do
        pids=$(ns_pids "$@")
        [ -n "$pids" ] || return 0
        kill -KILL $pids 2>/dev/null || true
        wait_gone 10 $pids || true
    done
    pids=$(ns_pids "$@")
    [ -z "$pids" ] || grid_log "processes still alive in the cluster's namespaces: $pids"
}

node_ns_files() { echo "/run/netns/$(node_netns "$1") $DIR/ns/node$1.uts"; }

# Kills everything on node N.
kill_node_processes() {
    # shellcheck disable=SC2046
    kill_ns $(node_ns_files "$1")
}

# Removes what grid_net_up made, whatever part of it exists.
grid_net_down() {
    local n ns f
    for f in "$DIR"/ns/*.uts; do
        [ -e "$f" ] || continue
        umount "$f" 2>/dev/null || true
        rm -f "$f"
    done
    # Deleting a namespace deletes its end of the veth pair, and so the pair, asynchronously:
    # a link may vanish between looking and deleting.
    for n in $GRID_NODES; do
        ns=$(node_netns "$n")
        if [ -e "/run/netns/$ns" ]; then ip netns delete "$ns" || true; fi
        if ip link show "$(node_veth "$n")" >/dev/null 2>&1; then ip link delete "$(node_veth "$n")" 2>/dev/null || true; fi
    done
    if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link delete "$BRIDGE" || true; fi
    grid_hosts_edit remove
}

# Waits up to SECONDS for a command to succeed; its output goes nowhere.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    while [ "$SECONDS" -lt "$deadline" ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

# Runs a command, showing its output only when it fails.
quiet() {
    local out
    out=$("$@" 2>&1) || { echo "$out" >&2; grid_log "failed: $*"; return 1; }
}

check_node_number() {
    case " $GRID_NODES " in *" $1 "*) ;; *) grid_die "no node '$1': nodes are numbered $GRID_NODES" ;; esac
}

# Writes the lines every client environment shares; the engine's script adds its own. The env
# file is KEY=VALUE lines, no quoting: `set -a; . FILE; set +a` in a shell, or split on '='.
grid_env_common() {
    echo "TOOLGRID_GRID_ENGINE=$GRID_ENGINE"
    echo "TOOLGRID_GRID_NAME=$NAME"
    echo "TOOLGRID_GRID_DIR=$DIR"
    echo "TOOLGRID_GRID_MASTER=$MASTER_HOST"
    echo "TOOLGRID_GRID_MASTER_ADDR=$MASTER_ADDR"
    echo "TOOLGRID_GRID_NODES=$(for n in $GRID_NODES; do printf '%s,' "$(node_host "$n")"; done | sed 's/,$//')"
    for n in $GRID_NODES; do
        echo "TOOLGRID_GRID_NODE${n}=$(node_host "$n")"
        echo "TOOLGRID_GRID_NODE${n}_ADDR=$(node_addr "$n")"
        echo "TOOLGRID_GRID_NODE${n}_NETNS=$(node_netns "$n")"
    done
}

# For the scripts that run jobs (smoke.sh, measure.sh): a throwaway tool user, the first free
# uid (= gid) in 62900..62999 (the tests' range), with a home under /tmp. Sets TEST_USER, TEST_HOME.
make_test_user() {
    local id
    for id in $(seq 62900 62999); do
        getent passwd "$id" >/dev/null || getent group "$id" >/dev/null || break
    done
    TEST_USER=tggrid$id
    TEST_HOME=$(mktemp -d /tmp/tggrid.XXXXXX)
    groupadd --gid "$id" "$TEST_USER"
    useradd --uid "$id" --gid "$id" --home-dir "$TEST_HOME" --no-create-home --shell /bin/bash "$TEST_USER" 2>/dev/null
    chown "$TEST_USER:$TEST_USER" "$TEST_HOME"
    chmod 755 "$TEST_HOME"
}

# Removes the user made by make_test_user; its jobs ran on the nodes, which `down` emptied.
remove_test_user() {
    if [ -n "${TEST_USER:-}" ]; then
        userdel "$TEST_USER" 2>/dev/null || grid_log "could not remove user $TEST_USER"
        groupdel "$TEST_USER" 2>/dev/null || true
    fi
    [ -n "${TEST_HOME:-}" ] && rm -rf "$TEST_HOME"
    return 0
}

# Writes an executable job script NAME with BODY into the test user's home.
test_job_script() {
    printf '#!/bin/sh\n%s\n' "$2" > "$TEST_HOME/$1"
    chmod 755 "$TEST_HOME/$1"
    chown "$TEST_USER:$TEST_USER" "$TEST_HOME/$1"
}

# sge_submit_as USER DIR QSUB-ARGS...: SGE runs a job as the user who submitted it, so root
# submits as the user, with a clean environment (setpriv --reset-env) plus the cell's variables.
# qsub is called directly, not through the /usr/bin wrapper (see sge() in sge-cluster.sh).
sge_submit_as() {
    local user=$1 dir=$2
    shift 2
    (cd "$dir" && setpriv --reuid="$user" --regid="$user" --init-groups --reset-env -- \
        env SGE_ROOT="$SGE_ROOT" SGE_CELL="$SGE_CELL" SGE_QMASTER_PORT="$SGE_QMASTER_PORT" \
        SGE_EXECD_PORT="$SGE_EXECD_PORT" "$TOOLGRID_SGE_BIN/qsub" -terse -cwd "$@")
}

# slurm_submit_as USER DIR SBATCH-ARGS...: root submits with --uid/--gid; --export=NONE keeps
# root's environment out of the job (the job gets the user's HOME, USER, PATH...).
slurm_submit_as() {
    local user=$1 dir=$2
    shift 2
    sbatch --parsable --uid="$user" --gid="$user" --export=NONE -D "$dir" "$@"
}
