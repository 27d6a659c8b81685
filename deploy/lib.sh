# Shared by run.sh and test.sh: what a fresh Debian 12 machine lacks, installed only if missing.

need_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1; then
        echo "toolgrid: the .NET SDK 10 is required (see global.json): https://dot.net" >&2
        exit 1
    fi
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
}

apt_install() {
    missing=""
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
    done
    if [ -n "$missing" ]; then
        echo "toolgrid: installing$missing" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
}

# gcc builds the shepherd; passwd and util-linux make tools' users and switch to them.
need_build_tools() {
    if ! command -v gcc >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then apt_install gcc libc6-dev; else
            echo "toolgrid: gcc is required to build the shepherd (apt-get install gcc)" >&2; exit 1; fi
    fi
}

# python3-aiosmtpd is the real SMTP server the notification tests mail to (on a loopback port).
install_test_packages() {
    apt_install passwd util-linux procps python3 sudo python3-aiosmtpd
    # Debian's Chromium, which the proxy's Playwright browser tests drive (never 'playwright install').
    apt_install chromium
    # nginx as the proxy's data plane (Toolgrid:Proxy:DataPlane=nginx), which its end-to-end test runs.
    apt_install nginx-light
    # The grid backends' tests run real SGE and Slurm clusters (deploy/grid/*-cluster.sh).
    install_grid_packages sge slurm
}

# The grid engines the grid backends' tests and benchmarks run real clusters of
# (deploy/grid/*-cluster.sh): install_grid_packages [sge] [slurm] [slurm-accounting] (sge and
# slurm when none is named).
# Debconf is told not to make the package's own SGE cell: each test cluster makes its own.
install_grid_packages() {
    engines=${*:-sge slurm}
    for engine in $engines; do
        case $engine in
            sge)
                if ! dpkg-query -W -f='${Status}' gridengine-master 2>/dev/null | grep -q "install ok installed"; then
                    for package in gridengine-common gridengine-client gridengine-master gridengine-exec; do
                        echo "$package shared/gridengineconfig boolean false" | debconf-set-selections
                    done
                fi
                apt_install gridengine-master gridengine-exec gridengine-client iproute2 util-linux procps
                ;;
            slurm) apt_install slurm-wlm munge iproute2 util-linux procps ;;
            # sacct: slurm-cluster.sh up NAME --accounting
            slurm-accounting) apt_install slurm-wlm munge slurmdbd mariadb-server iproute2 util-linux procps ;;
            *) echo "toolgrid: no grid engine '$engine' (sge, slurm or slurm-accounting)" >&2; return 1 ;;
        esac
    done
}

# Each step says what it does before it starts, and dotnet shows its progress (minimal
# verbosity: a line per project built), so that the minutes of a first build are not silence.
publish_toolgrid() {
    prefix=$1
    out="$PWD/artifacts/publish/toolgrid"
    rm -rf "$out"
    echo "toolgrid: restoring packages (the first time downloads them)..."
    dotnet restore src/Toolgrid.Server --nologo -v minimal
    dotnet restore src/Toolgrid.Cli --nologo -v minimal
    echo "toolgrid: building toolgridd, the server (Release)..."
    # Restored again as it publishes: it publishes ReadyToRun code for this host's runtime
    # identifier (Toolgrid.Server.csproj), which the restore above, for no runtime, leaves out.
    dotnet publish src/Toolgrid.Server -c Release -o "$out" --nologo -v minimal
    echo "toolgrid: building toolgrid, the CLI and grid-era wrappers (Release)..."
    dotnet publish src/Toolgrid.Cli -c Release -o "$out" --no-restore --nologo -v minimal
    echo "toolgrid: installing under $prefix..."
    mkdir -p "$prefix/lib/toolgrid" "$prefix/bin"
    cp -a "$out/." "$prefix/lib/toolgrid/"
    ln -sf "$prefix/lib/toolgrid/toolgridd" "$prefix/bin/toolgridd"
    ln -sf "$prefix/lib/toolgrid/toolgrid" "$prefix/bin/toolgrid"
    # The grid-era wrappers are the CLI itself, called by another name (argv[0]): links next to
    # the binary, and next to the link to it on the PATH.
    for wrapper in jsub jstart jstop job qcronsub qstat qdel; do
        ln -sfn toolgrid "$prefix/lib/toolgrid/$wrapper"
        ln -sfn "$prefix/lib/toolgrid/$wrapper" "$prefix/bin/$wrapper"
    done
}
