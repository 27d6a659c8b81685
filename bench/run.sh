#!/bin/sh
# Builds toolgridd and the benchmark in Release and runs the benchmark (as root: it starts a
# real toolgridd that makes a Unix user and cgroups for its bench tool). Arguments go to the
# benchmark: bench/run.sh --help. Results: stdout, docs/benchmarks.md, artifacts/bench/.
set -eu
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "toolgrid-bench: run it as root: sudo bench/run.sh" >&2
    exit 2
fi

. deploy/lib.sh
need_dotnet
need_build_tools

publish="$PWD/artifacts/publish/bench-toolgridd"
# One build at a time: several runs may share a host and a checkout (each with its own --output).
# flock -o: the lock stays with flock itself, never with a build server the build leaves running.
mkdir -p artifacts
flock -o artifacts/.bench-build.lock sh -ec '
echo "toolgrid-bench: building toolgridd (Release) into $1" >&2
dotnet publish src/Toolgrid.Server -c Release -p:PublishAot=false -o "$1" --nologo -v quiet >&2
echo "toolgrid-bench: building toolgrid, the CLI, as users get it (Release, native) into $1" >&2
dotnet publish src/Toolgrid.Cli -c Release -o "$1" --nologo -v quiet >&2
echo "toolgrid-bench: building the benchmark (Release)" >&2
dotnet build bench/Toolgrid.Bench -c Release --nologo -v quiet >&2
' build "$publish"

exec dotnet artifacts/bin/Toolgrid.Bench/release/toolgrid-bench.dll --toolgridd "$publish/toolgridd" "$@"
