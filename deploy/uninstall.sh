#!/bin/sh
# Removes Toolgrid from this host: first what toolgridd made (toolgridd uninstall, which refuses
# while toolgridd or a run is alive), then the binaries and links that run.sh installed under
# the prefix. Arguments go to 'toolgridd uninstall' (--remove-state, --remove-tool-users, and the
# options toolgridd was started with). Tools' homes are never removed.
#   sudo deploy/uninstall.sh [--remove-state] [--remove-tool-users] [toolgridd options]
set -eu

prefix=${TOOLGRID_PREFIX:-}
if [ -z "$prefix" ]; then
    if [ "$(id -u)" = 0 ]; then prefix=/usr/local; else prefix="$(cd "$(dirname "$0")/.." && pwd)/artifacts/install"; fi
fi
lib="$prefix/lib/toolgrid"

if [ ! -x "$lib/toolgridd" ]; then
    echo "uninstall.sh: no toolgridd in $lib (set TOOLGRID_PREFIX to where run.sh installed it)" >&2
    exit 1
fi

"$lib/toolgridd" uninstall "$@"

# Only the links that lead into our own directory: a file of the same name that is not ours stays.
for name in toolgridd toolgrid jsub jstart jstop job qcronsub; do
    link="$prefix/bin/$name"
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$lib/$name" ]; then
        rm -f "$link"
        echo "removed: $link"
    fi
done
rm -rf "$lib"
echo "removed: $lib"
