#!/bin/sh
# Builds Toolgrid and starts toolgridd on its embedded default: every role in one process,
# SQLite under the data root, the local backend. Extra arguments go to toolgridd
# (try ./run.sh --help). As root, the binaries are installed under /usr/local so that every
# user on the host (maintainers, tools) can run `toolgrid`.
set -eu
cd "$(dirname "$0")"

. deploy/lib.sh
need_dotnet
need_build_tools

prefix=${TOOLGRID_PREFIX:-}
if [ -z "$prefix" ]; then
    if [ "$(id -u)" = 0 ]; then prefix=/usr/local; else prefix="$PWD/artifacts/install"; fi
fi

publish_toolgrid "$prefix"

echo "toolgrid: installed toolgridd and toolgrid in $prefix/bin"
if [ "$(id -u)" != 0 ]; then
    echo "toolgrid: not root: single-user mode (every tool runs as $(id -un)). Add $prefix/bin to PATH to call toolgrid."
fi
exec "$prefix/bin/toolgridd" "$@"
