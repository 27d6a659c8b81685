#!/bin/bash
# The front proxy's benchmark (issue 5): wrk against a trivial backend (nginx answering a static
# 200), three ways, in one run on one machine:
#   direct   wrk → backend
#   toolgrid wrk → toolgridd's proxy role (YARP) → backend, registered as a tool's web service
#   nginx    wrk → nginx as the same reverse proxy (keepalive upstream) → the same backend
#   toolgrid-nginx  wrk → nginx run by a second toolgridd (--roles proxy, Toolgrid:Proxy:DataPlane=nginx,
#            the same store) with the route it wrote → the same backend
# the time from `webservice start` (the API's POST) to the first 200 through the proxy, and the
# route change within it: the replica recorded ready in the store (its run's readyAt) → the
# first 200 through the proxy (the proxy's next read of the routes), for both toolgridds (the
# second one is another process: it hears of the first one's writes by its poll, every 250 ms,
# as a proxy on a host of its own does).
#
#   sudo bench/proxy/run.sh [--no-build] [--duration 10s] [--connections 64] [--threads 2]
#                           [--warmup 30s] [--rounds 3] [--starts 7] [--toolgridd PATH] [--perf]
#                           [--output DIR]
# --server-env VAR=VALUE (repeatable): in toolgridd's environment, e.g. DOTNET_TieredPGO=0.
# --perf: toolgridd with perf maps, and `perf record -g` of it during the first round through
# it (artifacts/bench/proxy/perf.data; perf report --no-children --sort symbol).
#
# --output DIR: where the report, raw wrk output and toolgridd's log go (default artifacts/bench/proxy).
#
# It publishes toolgridd (Release) into artifacts/publish/bench-proxy-toolgridd, starts it as
# root in /var/lib/toolgrid-bench-proxy-ID (ID: 8 hex digits of its own; not /tmp, of which
# each run gets a private one, so a tool's home may not be there) with roles api,controller,node,proxy,
# a tool `proxybench` (Unix user tgpID.proxybench, 10 uids of 63900–63999, cgroup parent
# toolgrid-bench-proxy-ID), on ports it finds free, and removes all of that on the way out (also
# after a failure or Ctrl-C). At the start it removes the leftovers of runs that are no longer
# running (their run.lock is not held), never those of a live run: several runs, and
# bench/run.sh's, can share a host.
# Output: a Markdown report on stdout and in artifacts/bench/proxy/results.md; raw wrk output
# and toolgridd's log beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"

duration=10s warmup=30s connections=64 threads=2 rounds=3 starts=7 build=1 toolgridd="" perf=0 server_env=() output=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --duration) duration="$2"; shift ;;
        --warmup) warmup="$2"; shift ;;
        --perf) perf=1 ;;
        --server-env) server_env+=("$2"); shift ;;
        --connections) connections="$2"; shift ;;
        --threads) threads="$2"; shift ;;
        --rounds) rounds="$2"; shift ;;
        --starts) starts="$2"; shift ;;
        --toolgridd) toolgridd="$2"; build=0; shift ;;
        --output) output="$2"; shift ;;
        -h|--help) sed -n "2,/^[^#]/p" "$0" | sed "/^[^#]/d; s/^# \{0,1\}//"; exit 0 ;;
        *) echo "toolgrid-bench-proxy: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ "$(id -u)" != 0 ]; then
    echo "toolgrid-bench-proxy: run it as root: sudo bench/proxy/run.sh" >&2
    exit 2
fi

if ! command -v wrk >/dev/null || [ ! -x /usr/sbin/nginx ]; then
    echo "toolgrid-bench-proxy: installing wrk and nginx-light" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx-light >&2
fi

tool=proxybench
out="$repo/artifacts/bench/proxy"

if [ -z "$toolgridd" ]; then
    publish="$repo/artifacts/publish/bench-proxy-toolgridd"
    toolgridd="$publish/toolgridd"
    if [ "$build" = 1 ]; then
        echo "toolgrid-bench-proxy: building toolgridd (Release) into $publish" >&2
        dotnet publish src/Toolgrid.Server -c Release -p:PublishAot=false -o "$publish" --nologo -v quiet >&2
    fi
fi
[ -x "$toolgridd" ] || { echo "toolgrid-bench-proxy: no toolgridd at $toolgridd (drop --no-build)" >&2; exit 2; }
[ -n "$output" ] && out="$output"
mkdir -p "$out"
rm -f "$out"/wrk-*.txt "$out"/wrk.tsv "$out"/perf.txt

# Every name of a run carries its id (8 hex digits), so that runs on one host never meet:
# /var/lib/toolgrid-bench-proxy-ID (holding run.lock while the run lives, its uid slot and its ports),
# Unix user tgpID.proxybench, cgroup parent toolgrid-bench-proxy-ID, /etc/sudoers.d/tgbench-proxy-ID.
host_lock=/var/lib/tgbench-proxy.lock
run_root() { echo "/var/lib/toolgrid-bench-proxy-$1"; }
run_user() { echo "tgp$1.$tool"; }
run_cgroup() { echo "toolgrid-bench-proxy-$1"; }
run_sudoers() { echo "/etc/sudoers.d/tgbench-proxy-$1"; }

# A free port: nothing listens on it and no live run has reserved it (under the host lock).
free_port() {
    local port
    for port in $(seq "$1" $(($1 + 200))); do
        if ! ss -Htln "sport = :$port" | grep -q . && ! cat /var/lib/toolgrid-bench-proxy-*/ports 2>/dev/null | grep -qx "$port"; then
            echo "$port" >>"$root/ports"
            echo "$port"; return
        fi
    done
    echo "toolgrid-bench-proxy: no free port from $1" >&2; exit 1
}

now_ns() { date +%s%N; }

id=""
root=""
server_pid=""
plane_pid=""
nginx_pid_file=""

# Everything of run ID, found by its names and ended by pid; its directory last (which marks it
# as a run's until then).
remove_run() {
    local id="$1" old user cgroup hierarchy dir pid
    old=$(run_root "$id") user=$(run_user "$id") cgroup=$(run_cgroup "$id")
    [ -s "$old/nginx-proxy.pid" ] && kill -QUIT "$(cat "$old/nginx-proxy.pid")" 2>/dev/null
    # toolgridd, shepherds and nginx of the run's directory, and whatever its tool's user runs.
    for pid in $(pgrep -f -- "$old/" 2>/dev/null); do [ "$pid" != $$ ] && kill -KILL "$pid" 2>/dev/null; done
    if id "$user" >/dev/null 2>&1; then
        for pid in $(pgrep -u "$user" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
        sleep 0.3
        userdel "$user" 2>/dev/null
    fi
    getent group "$user" >/dev/null && groupdel "$user" 2>/dev/null
    for hierarchy in /sys/fs/cgroup/*/"$cgroup" /sys/fs/cgroup/"$cgroup"; do
        [ -d "$hierarchy" ] || continue
        find "$hierarchy" -depth -type d | while read -r dir; do
            [ -f "$dir/cgroup.procs" ] && for pid in $(cat "$dir/cgroup.procs"); do kill -KILL "$pid" 2>/dev/null; done
            for _ in $(seq 1 50); do rmdir "$dir" 2>/dev/null && break; sleep 0.02; done
        done
    done
    rm -f "$(run_sudoers "$id")"
    rm -rf "$old"
}

# The ids of runs that left something behind and no longer run: a directory whose run.lock can be
# taken (the live run holds it), or users, cgroups, sudoers files without a directory.
dead_runs() {
    local found one
    found=$( {
        for one in /var/lib/toolgrid-bench-proxy-*; do echo "${one#/var/lib/toolgrid-bench-proxy-}"; done
        getent passwd | sed -n 's/^tgp\([0-9a-f]\{8\}\)\..*/\1/p'
        getent group | sed -n 's/^tgp\([0-9a-f]\{8\}\)\..*/\1/p'
        for one in /sys/fs/cgroup/*/toolgrid-bench-proxy-* /sys/fs/cgroup/toolgrid-bench-proxy-* /etc/sudoers.d/tgbench-proxy-*; do echo "${one##*-}"; done
    } | grep -x '[0-9a-f]\{8\}' | sort -u)
    for one in $found; do
        # A directory without its lock file was made by an older script, whose run may be live.
        if [ -d "$(run_root "$one")" ] && { [ ! -e "$(run_root "$one")/run.lock" ] || ! flock -n "$(run_root "$one")/run.lock" true 2>/dev/null; }; then
            continue
        fi
        echo "$one"
    done
}

cleanup() {
    set +e
    if [ -n "$root" ] && [ -S "$root/api.sock" ] && [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        api DELETE "/api/v1/tools/$tool/webservice" >/dev/null 2>&1
        sleep 1
    fi
    if [ -n "$plane_pid" ]; then
        kill -TERM "$plane_pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$plane_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if [ -n "$server_pid" ]; then
        rm -f "/tmp/perf-$server_pid.map" "/tmp/perfinfo-$server_pid.map"
        kill -TERM "$server_pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if [ -n "$id" ]; then
        flock 8
        remove_run "$id"
        flock -u 8
    fi
}

# The host lock (fd 8) is held while leftovers are removed and a run takes its names; the run's
# own lock (fd 9) until it ends. Neither is handed to what the run starts (8>&- 9>&-), so that a
# toolgridd or nginx left running never makes a dead run look alive.
exec 8>"$host_lock"
flock 8
for old_id in $(dead_runs); do
    echo "toolgrid-bench-proxy: removing the leftovers of run $old_id, which is no longer running" >&2
    remove_run "$old_id"
done
until id=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n') && mkdir "$(run_root "$id")" 2>/dev/null; do :; done
root=$(run_root "$id")
trap cleanup EXIT
trap 'exit 130' INT TERM
exec 9>"$root/run.lock"
flock -n 9
chmod 755 "$root" # the tool's user reaches its home under it
unix_user=$(run_user "$id")
cgroup_parent=$(run_cgroup "$id")
# 10 uids of 63900–63999 per run, a slot no live run holds (bench/run.sh's runs use 63000–63899).
slot=""
for candidate in 0 1 2 3 4 5 6 7 8 9; do
    if ! cat /var/lib/toolgrid-bench-proxy-*/slot 2>/dev/null | grep -qx "$candidate"; then slot=$candidate; break; fi
done
[ -n "$slot" ] || { echo "toolgrid-bench-proxy: 10 runs are already running on this host (/var/lib/toolgrid-bench-proxy-*): wait for one to end" >&2; exit 1; }
echo "$slot" >"$root/slot"
uid_min=$((63900 + slot * 10))
sock="$root/api.sock"
proxy_port=$(free_port 18480)
nginx_port=$(free_port $((proxy_port + 1)))
plane_port=$(free_port $((nginx_port + 1)))
flock -u 8

api() { # METHOD PATH [JSON]
    local method="$1" path="$2"
    if [ $# -gt 2 ]; then
        curl -sS --fail-with-body --unix-socket "$sock" -X "$method" -H 'Content-Type: application/json' -d "$3" "http://localhost$path"
    else
        curl -sS --fail-with-body --unix-socket "$sock" -X "$method" "http://localhost$path"
    fi
}

echo "toolgrid-bench-proxy: run $id: starting toolgridd in $root (proxy on 127.0.0.1:$proxy_port), Unix user $unix_user (uids $uid_min–$((uid_min + 9))), cgroup parent $cgroup_parent" >&2
perf_env=()
[ "$perf" = 1 ] && perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
env DOTNET_CLI_TELEMETRY_OPTOUT=1 "${perf_env[@]}" "${server_env[@]}" "$toolgridd" \
    --roles api,controller,node,proxy \
    --proxy-urls "http://127.0.0.1:$proxy_port" \
    --data-root "$root/data" --state-dir "$root/state" --api-socket "$sock" --api-urls "" \
    --Toolgrid:Accounts:UnixUserPrefix="tgp$id." \
    --Toolgrid:Accounts:SudoersFile="$(run_sudoers "$id")" \
    --Toolgrid:Accounts:UidMin="$uid_min" --Toolgrid:Accounts:UidMax="$((uid_min + 9))" \
    --Toolgrid:Local:CgroupParent="$cgroup_parent" \
    --Logging:Console:FormatterName=simple \
    --Logging:Console:FormatterOptions:SingleLine=true \
    --Logging:Console:FormatterOptions:UseUtcTimestamp=true \
    >"$out/toolgridd.log" 2>&1 8>&- 9>&- &
server_pid=$!
for i in $(seq 1 600); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$out/toolgridd.log" >&2; echo "toolgrid-bench-proxy: toolgridd exited" >&2; exit 1; }
    # Up when it says so (its store is migrated by then) and answers on its socket.
    grep -q ' is up\. ' "$out/toolgridd.log" && api GET /api/v1/whoami >/dev/null 2>&1 && break
    [ "$i" = 600 ] && { echo "toolgrid-bench-proxy: toolgridd did not answer within 60 s" >&2; exit 1; }
    sleep 0.1
done

api POST /api/v1/tools "{\"name\":\"$tool\",\"description\":\"toolgrid-bench proxy\"}" >/dev/null
api PATCH "/api/v1/tools/$tool/limits" '{"maxCpu":"2","maxMemory":"1Gi"}' >/dev/null
home="$root/data/$tool"
[ -d "$home" ] || { echo "toolgrid-bench-proxy: no home at $home" >&2; exit 1; }

# The trivial backend: nginx (as the tool's user, under its shepherd and cgroup) answering every
# request with a static 200 on $PORT. Its configuration is written from a template by the command.
mkdir -p "$home/nginx/tmp"
cat >"$home/nginx/backend.conf.in" <<EOF
worker_processes 2;
daemon off;
pid $home/nginx/backend-@PORT@.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $home/nginx/tmp;
    proxy_temp_path $home/nginx/tmp;
    fastcgi_temp_path $home/nginx/tmp;
    uwsgi_temp_path $home/nginx/tmp;
    scgi_temp_path $home/nginx/tmp;
    keepalive_requests 10000000;
    server {
        listen @PORT@ backlog=4096;
        default_type text/plain;
        location / { return 200 "tgbench-backend\n"; }
    }
}
EOF
chown -R "$unix_user:" "$home/nginx"
backend_command="rm -f $home/nginx/backend-*.conf; sed \"s/@PORT@/\$PORT/\" $home/nginx/backend.conf.in > $home/nginx/backend-\$PORT.conf && exec /usr/sbin/nginx -e stderr -p $home/nginx/ -c $home/nginx/backend-\$PORT.conf"
start_body=$(python3 -c 'import json,sys; print(json.dumps({"type":"generic","command":sys.argv[1],"cpu":"2","mem":"512Mi"}))' "$backend_command")

through_proxy="http://127.0.0.1:$proxy_port/$tool/"

# When the serving replica was recorded ready (its run's readyAt, toolgridd's clock on this host), in ns.
ready_ns() {
    api GET "/api/v1/tools/$tool/webservice" | python3 -c '
import datetime, json, sys
runs = (json.load(sys.stdin).get("job") or {}).get("runs") or []
ready = [datetime.datetime.fromisoformat(r["readyAt"]) for r in runs if r.get("state") == "running" and r.get("readyAt")]
epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
print((max(ready) - epoch) // datetime.timedelta(microseconds=1) * 1000 if ready else "")'
}

# One sample of start-up: POST → the first 200 with the backend's body through the proxy; and of
# the route change in it: the replica recorded ready → that first 200; and, once the nginx data
# plane runs, the same through it. Prints "START_MS ROUTE_MS [PLANE_ROUTE_MS]".
start_sample() {
    local t0 t1="" t2="" ready
    t0=$(now_ns)
    api POST "/api/v1/tools/$tool/webservice" "$start_body" >/dev/null
    for _ in $(seq 1 6000); do
        if [ -z "$t1" ] && [ "$(curl -s --max-time 2 "$through_proxy" || true)" = "tgbench-backend" ]; then t1=$(now_ns); fi
        if [ -n "$plane_pid" ] && [ -z "$t2" ] && [ "$(curl -s --max-time 2 "$via_plane" || true)" = "tgbench-backend" ]; then t2=$(now_ns); fi
        if [ -n "$t1" ] && { [ -z "$plane_pid" ] || [ -n "$t2" ]; }; then
            ready=$(ready_ns)
            [ -n "$ready" ] || { echo "toolgrid-bench-proxy: the serving replica has no readyAt" >&2; exit 1; }
            echo "$(((t1 - t0) / 1000000)) $(((t1 - ready) / 1000000))${t2:+ $(((t2 - ready) / 1000000))}"
            return
        fi
        sleep 0.005
    done
    echo "toolgrid-bench-proxy: the web service was not served through the proxy within a minute" >&2
    tail -50 "$out/toolgridd.log" >&2
    exit 1
}

stop_webservice() {
    api DELETE "/api/v1/tools/$tool/webservice" >/dev/null
    # Gone when the proxy no longer routes to it and no backend process is left.
    for _ in $(seq 1 3000); do
        if [ "$(curl -s --max-time 2 "$through_proxy" || true)" != "tgbench-backend" ] && { [ -z "$plane_pid" ] || [ "$(curl -s --max-time 2 "$via_plane" || true)" != "tgbench-backend" ]; } && ! pgrep -u "$unix_user" nginx >/dev/null; then
            return
        fi
        sleep 0.02
    done
    echo "toolgrid-bench-proxy: the web service did not stop within a minute" >&2
    exit 1
}

echo "toolgrid-bench-proxy: starting the web service (cold)" >&2
cold_sample=$(start_sample)
cold_start_ms=${cold_sample%% *} cold_route_ms=${cold_sample#* }
backend_conf=$(ls "$home"/nginx/backend-*.conf)
backend_port=${backend_conf##*backend-}; backend_port=${backend_port%.conf}
direct="http://127.0.0.1:$backend_port/"

# nginx as the same reverse proxy: /TOOL/ → the backend, HTTP/1.1 keepalive upstream, the same
# forwarded headers YARP adds.
nginx_pid_file="$root/nginx-proxy.pid"
mkdir -p "$root/nginx/tmp"
cat >"$root/nginx-proxy.conf" <<EOF
worker_processes auto;
pid $nginx_pid_file;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $root/nginx/tmp;
    proxy_temp_path $root/nginx/tmp;
    fastcgi_temp_path $root/nginx/tmp;
    uwsgi_temp_path $root/nginx/tmp;
    scgi_temp_path $root/nginx/tmp;
    keepalive_requests 10000000;
    upstream $tool {
        server 127.0.0.1:$backend_port;
        keepalive 128;
        keepalive_requests 10000000;
    }
    server {
        listen 127.0.0.1:$nginx_port backlog=4096;
        location /$tool/ {
            proxy_pass http://$tool/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
        }
    }
}
EOF
/usr/sbin/nginx -e stderr -p "$root/nginx/" -c "$root/nginx-proxy.conf" 8>&- 9>&-
via_nginx="http://127.0.0.1:$nginx_port/$tool/"
for _ in $(seq 1 100); do [ "$(curl -s "$via_nginx" || true)" = "tgbench-backend" ] && break; sleep 0.05; done
[ "$(curl -s "$via_nginx")" = "tgbench-backend" ] || { echo "toolgrid-bench-proxy: nginx does not proxy" >&2; exit 1; }
[ "$(curl -s "$direct")" = "tgbench-backend" ] || { echo "toolgrid-bench-proxy: backend not reachable at $direct" >&2; exit 1; }

# toolgridd with nginx as its data plane: a second process, proxy role only, on the same store
# (as a proxy on a host of its own would be), its nginx on $plane_port.
echo "toolgrid-bench-proxy: starting a second toolgridd, --roles proxy with Toolgrid:Proxy:DataPlane=nginx on 127.0.0.1:$plane_port" >&2
env DOTNET_CLI_TELEMETRY_OPTOUT=1 "${server_env[@]}" "$toolgridd" \
    --roles proxy \
    --proxy-urls "http://127.0.0.1:$plane_port" \
    --Toolgrid:Proxy:DataPlane=nginx \
    --data-root "$root/data" --state-dir "$root/state-nginx" --api-socket "$root/api-nginx.sock" --api-urls "" \
    --Toolgrid:Store:Path="$root/state/toolgrid.db" \
    --Toolgrid:Accounts:UnixUserPrefix="tgp$id." \
    --Toolgrid:Accounts:SudoersFile="$(run_sudoers "$id")" \
    --Toolgrid:Accounts:UidMin="$uid_min" --Toolgrid:Accounts:UidMax="$((uid_min + 9))" \
    --Logging:Console:FormatterName=simple \
    --Logging:Console:FormatterOptions:SingleLine=true \
    --Logging:Console:FormatterOptions:UseUtcTimestamp=true \
    >"$out/toolgridd-nginx.log" 2>&1 8>&- 9>&- &
plane_pid=$!
via_plane="http://127.0.0.1:$plane_port/$tool/"
for i in $(seq 1 600); do
    kill -0 "$plane_pid" 2>/dev/null || { cat "$out/toolgridd-nginx.log" >&2; echo "toolgrid-bench-proxy: the nginx data plane's toolgridd exited" >&2; exit 1; }
    [ "$(curl -s --max-time 2 "$via_plane" || true)" = "tgbench-backend" ] && break
    [ "$i" = 600 ] && { cat "$out/toolgridd-nginx.log" >&2; echo "toolgrid-bench-proxy: the nginx data plane did not proxy within 60 s" >&2; exit 1; }
    sleep 0.1
done
plane_nginx_pid_file="$root/state-nginx/nginx/nginx.pid"

# CPU ticks (user+system, all threads) of a list of pids; and the whole machine's busy/total.
ticks_of() {
    local sum=0 pid fields
    for pid in "$@"; do
        fields=$(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null) || continue
        sum=$((sum + ${fields% *} + ${fields#* }))
    done
    echo "$sum"
}
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }
hz=$(getconf CLK_TCK)
backend_pids() { pgrep -u "$unix_user" nginx | tr '\n' ' '; }
nginx_proxy_pids() { local m; m=$(cat "$1"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')"; }

results="$out/wrk.tsv"
: >"$results"
# wrk once: NAME URL ROUND → a line of the table, and the raw output in artifacts.
run_wrk() {
    local name="$1" url="$2" round="$3" raw="$out/wrk-$1-$3.txt"
    local b_pids p_pids s0 b0 n0 m0 s1 b1 n1 m1 wrk_cpu s_pid="$server_pid" pid_file="$nginx_pid_file"
    # toolgrid-nginx: its own toolgridd and its nginx in the toolgridd and nginx-proxy columns.
    if [ "$name" = toolgrid-nginx ]; then s_pid="$plane_pid" pid_file="$plane_nginx_pid_file"; fi
    b_pids=$(backend_pids); p_pids=$(nginx_proxy_pids "$pid_file")
    s0=$(ticks_of "$s_pid"); b0=$(ticks_of $b_pids); n0=$(ticks_of $p_pids); m0=$(machine_ticks)
    local perf_pid=""
    if [ "$perf" = 1 ] && [ "$name" = toolgrid ] && [ "$round" = 1 ]; then
        perf record -q -g -o "$out/perf.data" -p "$server_pid" >/dev/null 2>&1 8>&- 9>&- &
        perf_pid=$!
    fi
    wrk_cpu=$( { /usr/bin/time -f '%U %S' wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" >"$raw"; } 2>&1 | tail -1)
    if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
    s1=$(ticks_of "$s_pid"); b1=$(ticks_of $b_pids); n1=$(ticks_of $p_pids); m1=$(machine_ticks)
    awk -v name="$name" -v round="$round" -v hz="$hz" -v wrkcpu="$wrk_cpu" \
        -v s="$((s1 - s0))" -v b="$((b1 - b0))" -v n="$((n1 - n0))" \
        -v mb="$(( ${m1% *} - ${m0% *} ))" -v mt="$(( ${m1#* } - ${m0#* } ))" -v ncpu="$(nproc)" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx/ { non2xx = $NF } /Socket errors/ { errors = $0 }
        END {
            split(wrkcpu, w, " "); secs = mt / hz / ncpu
            printf "%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\n", name, round, rps, p50, p99, non2xx + 0,
                (w[1] + w[2]) / secs, s / hz / secs, n / hz / secs, b / hz / secs, mb / hz / secs, mt / hz / secs
        }' "$raw" >>"$results"
    if grep -q 'Non-2xx\|Socket errors' "$raw"; then
        echo "toolgrid-bench-proxy: $name round $round had errors:" >&2; grep 'Non-2xx\|Socket errors' "$raw" >&2
    fi
    tail -1 "$results" >&2
}

echo "toolgrid-bench-proxy: warm-up ($warmup each, not counted: the JIT's tiers, connection pools)" >&2
for url in "$direct" "$through_proxy" "$via_nginx" "$via_plane"; do
    wrk -t"$threads" -c"$connections" -d"$warmup" "$url" >/dev/null
done

echo "toolgrid-bench-proxy: wrk -t$threads -c$connections -d$duration --latency, $rounds rounds (name round rps p50 p99 non2xx, CPU cores: wrk toolgridd nginx-proxy backend machine-busy machine)" >&2
for round in $(seq 1 "$rounds"); do
    run_wrk direct "$direct" "$round"
    run_wrk toolgrid "$through_proxy" "$round"
    run_wrk nginx "$via_nginx" "$round"
    run_wrk toolgrid-nginx "$via_plane" "$round"
done

echo "toolgrid-bench-proxy: start-up samples (webservice start → first 200 through the proxy)" >&2
start_ms=() route_ms=() plane_ms=()
for _ in $(seq 1 "$starts"); do
    stop_webservice
    read -r one_start one_route one_plane <<<"$(start_sample)"
    start_ms+=("$one_start")
    route_ms+=("$one_route")
    plane_ms+=("$one_plane")
    echo "  $one_start ms (route change $one_route ms; through the nginx data plane $one_plane ms)" >&2
done

# The report.
load=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r); load average at the end: $load."
    echo "toolgridd: $toolgridd${server_env[*]:+ with ${server_env[*]}}, $(/usr/sbin/nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
    echo "\`wrk -t$threads -c$connections -d$duration --latency URL\`, after a $warmup warm-up of each; $rounds rounds, interleaved."
    echo
    echo "| way | round | requests/s | p50 ms | p99 ms | non-2xx | CPU (cores): wrk | toolgridd | nginx proxy | backend | whole machine busy |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s of %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$results"
    echo
    awk -F'\t' '
        { rps[$1] += $3; p50[$1] += $4; p99[$1] += $5; n[$1]++ }
        END {
            for (k in n) { rps[k] /= n[k]; p50[k] /= n[k]; p99[k] /= n[k] }
            printf "Mean over rounds: direct %.0f req/s (p50 %.2f ms, p99 %.2f ms); toolgrid %.0f req/s (p50 %.2f, p99 %.2f); nginx %.0f req/s (p50 %.2f, p99 %.2f).\n", rps["direct"], p50["direct"], p99["direct"], rps["toolgrid"], p50["toolgrid"], p99["toolgrid"], rps["nginx"], p50["nginx"], p99["nginx"]
            printf "**toolgrid/nginx: %.2f× the requests/s, p99 %.2f× nginx'"'"'s** (target ≥ 1.0×, p99 ≤ 1.2×).\n", rps["toolgrid"] / rps["nginx"], p99["toolgrid"] / p99["nginx"]
        }' "$results"
    # Per round (toolgrid and nginx of the same round ran back to back): the ratios and the CPU
    # each proxy spent per request, in µs (its cores × 10⁶ / requests/s); min–max over the rounds.
    awk -F'\t' '
        $1 == "toolgrid" { trps[$2] = $3; tp99[$2] = $5; tcpu[$2] = $8 * 1e6 / $3 }
        $1 == "toolgrid-nginx" { grps[$2] = $3; gp99[$2] = $5; gcpu[$2] = ($8 + $9) * 1e6 / $3 }
        $1 == "nginx" { nrps[$2] = $3; np99[$2] = $5; ncpu[$2] = $9 * 1e6 / $3 }
        function span(name, v, lo, hi, sum, k, n) {
            lo = 1e18; hi = -1e18
            for (k in v) { sum += v[k]; n++; if (v[k] < lo) lo = v[k]; if (v[k] > hi) hi = v[k] }
            return sprintf("%s %.2f (%.2f–%.2f)", name, sum / n, lo, hi)
        }
        END {
            for (r in trps) { rr[r] = trps[r] / nrps[r]; pr[r] = tp99[r] / np99[r]; cr[r] = tcpu[r] / ncpu[r] }
            printf "Per round, mean (min–max): %s×; %s×; %s× (target ≤ 1.5×); ", span("requests/s ratio", rr), span("p99 ratio", pr), span("CPU per request ratio", cr)
            printf "CPU per request: %s µs, %s µs.\n", span("toolgridd", tcpu), span("nginx", ncpu)
            for (r in grps) { gr[r] = grps[r] / nrps[r]; gpr[r] = gp99[r] / np99[r]; gcr[r] = gcpu[r] / ncpu[r] }
            printf "\n**toolgrid-nginx** (toolgridd with the nginx data plane) per round against nginx, mean (min–max): %s×; %s×; %s×; ", span("requests/s ratio", gr), span("p99 ratio", gpr), span("CPU per request ratio (its nginx + its toolgridd)", gcr)
            printf "CPU per request: %s µs.\n", span("toolgrid-nginx", gcpu)
        }' "$results"
    echo
    sorted=$(printf '%s\n' "${start_ms[@]}" | sort -n | paste -sd ' ')
    median=$(printf '%s\n' "${start_ms[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    echo "Start-up, \`POST /api/v1/tools/$tool/webservice\` (generic: nginx on \$PORT) → the first 200 with the backend's body through the proxy (curl every 5 ms): cold (first start after toolgridd came up) $cold_start_ms ms; then $starts starts after a stop: p50 $median ms (all: $sorted ms)."
    echo
    route_sorted=$(printf '%s\n' "${route_ms[@]}" | sort -n | paste -sd ' ')
    route_median=$(printf '%s\n' "${route_ms[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    route_max=$(printf '%s\n' "${route_ms[@]}" | sort -n | tail -1)
    echo "Route change, the replica recorded ready in the store (its run's \`readyAt\`) → the first 200 through the proxy (the proxy reads the routes every 250 ms; curl every 5 ms): cold $cold_route_ms ms; then over the $starts starts: p50 $route_median ms, max $route_max ms (all: $route_sorted ms)."
    plane_sorted=$(printf '%s\n' "${plane_ms[@]}" | sort -n | paste -sd ' ')
    plane_median=$(printf '%s\n' "${plane_ms[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    plane_max=$(printf '%s\n' "${plane_ms[@]}" | sort -n | tail -1)
    echo
    echo "Route change through the nginx data plane (the second toolgridd, another process: its poll every 250 ms, the configuration written, nginx reloaded): over the $starts starts: p50 $plane_median ms, max $plane_max ms (all: $plane_sorted ms)."
} | tee "$out/results.md"
if [ "$perf" = 1 ] && [ -s "$out/perf.data" ]; then
    perf report -i "$out/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -v '^$' | sed -n 1,150p >"$out/perf.txt" || true
    echo "toolgrid-bench-proxy: toolgridd's profile through the proxy in $out/perf.txt" >&2
fi
echo "toolgrid-bench-proxy: report in $out/results.md; raw wrk output and toolgridd.log beside it" >&2
