# shellcheck shell=bash
# Helpers shared by scripts/demo and scripts/test; source this file, the callers
# set `set -euo pipefail`. Every function is safe to run again: it only does
# work that is still missing.

reflorm_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$reflorm_root/scripts/servers.sh"

# postgresql-15 and mariadb-server run the throwaway test servers (scripts/servers.sh); their
# system services are never started by reflorm. libsoci-dev pulls SOCI's postgresql and mysql
# backends with their client libraries; the -dev packages are for the native handles.
# python3-alembic with its drivers runs the comparison with Alembic (tests/migrate/alembic).
reflorm_packages=(g++ meson ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev libboost-test1.81-dev
    libsoci-dev libsqlite3-dev sqlite3 python3 python3-alembic python3-psycopg2 python3-pymysql libpq-dev libmariadb-dev
    postgresql-15 postgresql-client-15 mariadb-server mariadb-client)

# The data files are GPL-2: fetched from Debian on demand, never committed.
reflorm_data_package=mariadb-test-data
reflorm_data_path=./usr/share/mysql/mysql-test/include
declare -A reflorm_data_sha256=(
    [world.inc]=f2c17ec04fce4bad604bb6315467ac65861651a2831328ac630bd667ac136ccb
    [dbt3_s001.inc]=8c1a874a6edc9f0b5671ecee93ccb1831dcbf43bc0c2fb875dff9e02fc7d2586
)

reflorm_die() {
    echo "error: $*" >&2
    exit 1
}

# Runs a command as root: directly on CI, through sudo on a workstation.
reflorm_as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        reflorm_die "root rights needed for: $* (run as root or install sudo)"
    fi
}

reflorm_install_packages() {
    local pkg missing=()
    for pkg in "${reflorm_packages[@]}"; do
        if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) != "install ok installed" ]]; then
            missing+=("$pkg")
        fi
    done
    if ((${#missing[@]} == 0)); then
        echo "==> packages present"
        return 0
    fi
    echo "==> installing: ${missing[*]}"
    reflorm_as_root apt-get update -q
    reflorm_as_root env DEBIAN_FRONTEND=noninteractive \
        "$reflorm_root/scripts/without-services" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

reflorm_sha256() {
    local sum
    sum=$(sha256sum "$1")
    echo "${sum%% *}"
}

# True when DIR holds both data files with the expected contents.
reflorm_data_ok() {
    local name
    for name in "${!reflorm_data_sha256[@]}"; do
        [[ -f $1/$name && $(reflorm_sha256 "$1/$name") == "${reflorm_data_sha256[$name]}" ]] || return 1
    done
}

# reflorm_fetch_data [DIR]: DIR (default: data/ in the repository) gets
# world.inc and dbt3_s001.inc out of Debian's mariadb-test-data package.
# The body is a subshell so that its EXIT trap and cd stay local.
reflorm_fetch_data() (
    set -euo pipefail
    local dir=${1:-$reflorm_root/data} name
    [[ $dir == /* ]] || dir=$PWD/$dir  # the download below runs in a temporary cwd
    if reflorm_data_ok "$dir"; then
        echo "==> data present in $dir"
        return 0
    fi
    echo "==> fetching ${!reflorm_data_sha256[*]} from the Debian package $reflorm_data_package"
    local tmp
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/reflorm-data.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    # As root, apt downloads as the _apt user, which must be able to write
    # here; otherwise it falls back to root with a "Permission denied" warning.
    if [[ $(id -u) -eq 0 ]] && id -u _apt >/dev/null 2>&1; then
        chown _apt "$tmp"
    fi
    cd "$tmp"
    if ! apt-get download -q "$reflorm_data_package" 2>download.err; then
        # Usually a fresh image without package lists: update once and retry.
        echo "==> apt-get download failed ($(tail -n 1 download.err)); updating package lists"
        reflorm_as_root apt-get update -q
        apt-get download -q "$reflorm_data_package" ||
            reflorm_die "could not download $reflorm_data_package with apt-get"
    fi
    local debs=("$reflorm_data_package"_*.deb)
    [[ -f ${debs[0]} ]] || reflorm_die "apt-get download left no $reflorm_data_package .deb in $tmp"

    local members=()
    for name in "${!reflorm_data_sha256[@]}"; do members+=("$reflorm_data_path/$name"); done
    mkdir extract
    dpkg-deb --fsys-tarfile "${debs[0]}" | tar -x -C extract "${members[@]}"

    local actual version
    version=$(dpkg-deb -f "${debs[0]}" Version)
    for name in "${!reflorm_data_sha256[@]}"; do
        actual=$(reflorm_sha256 "extract/$reflorm_data_path/$name")
        [[ $actual == "${reflorm_data_sha256[$name]}" ]] ||
            reflorm_die "$name in $reflorm_data_package $version has the wrong sha256:" \
                "expected ${reflorm_data_sha256[$name]}, got $actual"
    done
    mkdir -p "$dir"
    for name in "${!reflorm_data_sha256[@]}"; do
        # Copy then rename, so an interrupted run never leaves a half-written file.
        cp "extract/$reflorm_data_path/$name" "$dir/.$name.tmp"
        chmod 644 "$dir/.$name.tmp"
        mv -f "$dir/.$name.tmp" "$dir/$name"
    done
    echo "==> data ready in $dir"
)

# Prints the value of a project option in a configured build directory.
reflorm_build_option() {
    meson introspect --buildoptions "$1" | python3 -c '
import json, sys
value = next((o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]), "")
print(str(value).lower() if isinstance(value, bool) else value)' "$2"
}

# reflorm_configure BUILDDIR DATADIR [-Dname=value...] [TARGET...]: set up (or update) the meson
# build directory with data_dir pointing at the data and the given options (an existing
# directory whose options differ is reconfigured), then build it: everything, or only the given
# ninja targets (paths relative to BUILDDIR, e.g. samples/world_tpch/world_tpch) and what they
# need.
reflorm_configure() {
    local build=${1:?reflorm_configure needs a build directory} data=${2:-$reflorm_root/data}
    local arg options=() targets=() changed=() option
    for arg in "${@:3}"; do
        if [[ $arg == -D* ]]; then options+=("$arg"); else targets+=("$arg"); fi
    done
    [[ -d $data ]] || reflorm_die "data directory $data does not exist (run reflorm_fetch_data first)"
    data=$(cd "$data" && pwd)
    options+=("-Ddata_dir=$data")
    local start=$SECONDS
    echo "==> configuring $build"
    if [[ -f $build/build.ninja && -f $build/meson-private/coredata.dat ]]; then
        # meson configure always forces a regeneration, so only call it on a change.
        for option in "${options[@]}"; do
            option=${option#-D}
            if [[ $(reflorm_build_option "$build" "${option%%=*}") != "${option#*=}" ]]; then
                changed+=("-D$option")
            fi
        done
        if ((${#changed[@]})); then meson configure "$build" "${changed[@]}"; fi
    elif [[ -f $build/meson-private/coredata.dat ]]; then
        # A setup that failed half-way: redo it.
        meson setup --reconfigure "$build" --wrap-mode=nodownload "${options[@]}"
    else
        meson setup "$build" --wrap-mode=nodownload "${options[@]}"
    fi
    reflorm_configure_seconds=$((SECONDS - start))
    echo "==> configured in ${reflorm_configure_seconds}s"
    start=$SECONDS
    if ((${#targets[@]})); then
        echo "==> building ${targets[*]} in $build"
        ninja -C "$build" -j 2 "${targets[@]}"
    else
        echo "==> building $build"
        meson compile -C "$build" -j 2
    fi
    reflorm_build_seconds=$((SECONDS - start))
    echo "==> built in ${reflorm_build_seconds}s"
}
