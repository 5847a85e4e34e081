#!/bin/sh
# Install the build into a temporary prefix, then build and run an external
# program with nothing but `pkg-config --cflags --libs perfkit`: once against
# the shared library, once with --static against libperfkit.a.
# Usage: run-consumer.sh BUILD_DIR CONSUMER_C [EXTRA_FLAGS]
set -eu
build=$1
src=$2
extra=${3:-}
cc=${CC:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null

pc=$(find "$tmp/root" -name perfkit.pc | head -n 1)
[ -n "$pc" ] || { echo "perfkit.pc was not installed"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
libdir=$(dirname "$(dirname "$pc")")
# Point the installed perfkit.pc at the temporary prefix.
prefix=$(pkg-config --variable=prefix perfkit)
pc_flags="--define-variable=prefix=$tmp/root$prefix"

echo "cflags: $(pkg-config $pc_flags --cflags perfkit)"
echo "libs:   $(pkg-config $pc_flags --libs perfkit)"
# shellcheck disable=SC2046,SC2086
$cc $extra -o "$tmp/consumer-shared" "$src" $(pkg-config $pc_flags --cflags --libs perfkit)
LD_LIBRARY_PATH="$libdir" "$tmp/consumer-shared"
if ! readelf -d "$tmp/consumer-shared" | grep -q 'libperfkit.so.1'; then
	echo "shared consumer does not need libperfkit.so.1"; exit 1
fi

# Static: hide the shared library so the linker must take libperfkit.a.
rm -f "$libdir"/libperfkit.so*
echo "static: $(pkg-config $pc_flags --static --libs perfkit)"
# shellcheck disable=SC2046,SC2086
$cc $extra -o "$tmp/consumer-static" "$src" $(pkg-config $pc_flags --static --cflags --libs perfkit)
"$tmp/consumer-static"
if readelf -d "$tmp/consumer-static" | grep -q 'libperfkit'; then
	echo "static consumer still needs a shared libperfkit"; exit 1
fi
echo "consumer: shared and static builds OK"
