#!/bin/sh
# libperfkit quick start. One script, two commands (see README.md):
#   tools/quickstart.sh run    install what is missing, build, run the main job
#   tools/quickstart.sh test   install what is missing, build, run every test
# Environment: BUILD_DIR (default: build), PERFKIT_NO_INSTALL=1 to never call
# apt-get (the script then prints the exact line to run instead).
set -eu

cd "$(dirname "$0")/.."
mode=${1:-run}
build=${BUILD_DIR:-build}

# Debian 12 packages: build tools, dependencies, and what tests and
# benchmarks compare against.
packages="build-essential g++ meson ninja-build pkg-config python3 \
libhwloc-dev hwloc libblis-dev libjansson-dev check doxygen valgrind \
libbenchmark-dev clang libclang-rt-14-dev libudev-dev \
gnuplot-nox locales help2man groff-base \
python3-numpy python3-jsonschema libopenblas0-pthread likwid libsimdjson-dev libfast-float-dev \
libopenmpi-dev openmpi-bin netpipe-openmpi hyperfine libhdf5-dev libhdf5-openmpi-dev python3-h5py python3-mpi4py \
python3-pandas python3-matplotlib python3-pytest python3-pip python3-setuptools"

missing_packages() {
	for p in $packages; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			printf '%s ' "$p"
		fi
	done
}

install_missing() {
	command -v dpkg-query >/dev/null 2>&1 || {
		echo "quickstart: not a Debian system; install the equivalents of: $packages" >&2
		return 0
	}
	missing=$(missing_packages)
	[ -z "$missing" ] && return 0
	line="apt-get update && apt-get install -y --no-install-recommends $missing"
	if [ "$(id -u)" = 0 ] && [ -z "${PERFKIT_NO_INSTALL:-}" ]; then
		echo "quickstart: installing $missing"
		apt-get update -q
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
	else
		echo "quickstart: missing packages. Run as root:" >&2
		echo "  $line" >&2
		exit 1
	fi
}

configure_and_build() {
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" --buildtype=debugoptimized
	fi
	meson compile -C "$build"
}

# meson's summary is not a line CI can read; print the plain one.
print_totals() {
	python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): passed += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
}

install_missing
configure_and_build

case "$mode" in
run)
	exec "$build/examples/perfkit-flops"
	;;
test)
	status=0
	meson test -C "$build" --print-errorlogs || status=$?
	print_totals
	exit $status
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac
