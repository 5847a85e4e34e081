#!/bin/sh
# Install the build into a temporary prefix, then build an external MPI
# program with nothing but `pkg-config --cflags --libs perfkit-mpi` (which
# brings perfkit's and MPI's flags along) and run it on 2 ranks.
# Usage: run-consumer-mpi.sh BUILD_DIR CONSUMER_C MPIEXEC-WORDS... [-- EXTRA_FLAGS]
set -eu
build=$1
src=$2
shift 2
mpiexec=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiexec="$mpiexec $1"; shift; done
[ $# -gt 0 ] && shift
extra="$*"
cc=${CC:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null

pc=$(find "$tmp/root" -name perfkit-mpi.pc | head -n 1)
[ -n "$pc" ] || { echo "perfkit-mpi.pc was not installed"; exit 1; }
[ -n "$(find "$tmp/root" -path '*/perfkit/mpi.h')" ] || { echo "perfkit/mpi.h was not installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
# Point our two .pc files at the temporary prefix (not with
# --define-variable, which would move MPI's own package too).
prefix=$(sed -n 's/^prefix=//p' "$pc")
mkdir "$tmp/pc"
for f in perfkit.pc perfkit-mpi.pc; do
	sed "s|^prefix=.*|prefix=$tmp/root$prefix|" "$(dirname "$pc")/$f" > "$tmp/pc/$f"
done
export PKG_CONFIG_PATH="$tmp/pc"
pc_flags=""

echo "cflags: $(pkg-config $pc_flags --cflags perfkit-mpi)"
echo "libs:   $(pkg-config $pc_flags --libs perfkit-mpi)"
# shellcheck disable=SC2046,SC2086
$cc $extra -o "$tmp/consumer-mpi" "$src" $(pkg-config $pc_flags --cflags --libs perfkit-mpi)
for lib in libperfkit-mpi.so.1 libperfkit.so.1 libmpi.so; do
	readelf -d "$tmp/consumer-mpi" | grep -q "$lib" || { echo "consumer does not need $lib"; exit 1; }
done
# shellcheck disable=SC2086
LD_LIBRARY_PATH="$libdir" $mpiexec -np 2 "$tmp/consumer-mpi"
echo "consumer-mpi: built from perfkit-mpi.pc and ran on 2 ranks"
