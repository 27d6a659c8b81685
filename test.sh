#!/bin/sh
# Installs what the tests need (as root, on a fresh Debian 12 machine) and runs every test:
# formatting, unit, functional and end-to-end tests. Pass test filters through, e.g.
# ./test.sh --filter 'FullyQualifiedName~Toolgrid.Core'
set -eu
cd "$(dirname "$0")"

. deploy/lib.sh
need_dotnet
need_build_tools
if [ "$(id -u)" = 0 ]; then
    install_test_packages
else
    echo "test.sh: not root: tests that need root (Unix users, cgroups) will be skipped" >&2
fi

dotnet restore Toolgrid.slnx
dotnet build Toolgrid.slnx --no-restore -c Debug
if [ "$#" -eq 0 ]; then
    dotnet format Toolgrid.slnx --verify-no-changes --no-restore
fi

# Test projects run one after the other: the end-to-end tests start real services and use
# real cgroups, and the machine has two cores. The output is kept in artifacts/test.log, and the
# failures are repeated at the end, where a reader of the last lines finds them.
mkdir -p artifacts
{
    status=0
    dotnet test Toolgrid.slnx --no-build -c Debug --logger "console;verbosity=normal" -- RunConfiguration.MaxCpuCount=1 "$@" || status=$?
    echo "$status" > artifacts/test.status
} 2>&1 | tee artifacts/test.log
status=$(cat artifacts/test.status)
if [ "$status" != 0 ]; then
    echo "test.sh: the tests failed (dotnet test exited $status); what failed:" >&2
    grep -E -A8 '^[[:space:]]+Failed [A-Za-z]|Test Run Aborted|test host process crashed' artifacts/test.log | cut -c1-400 | head -200 >&2 || true
fi
exit "$status"
