#!/bin/sh
# Install the build into a temporary root, then build and run an external
# program with README's own `cc` lines ("Using the library"), run exactly as
# written: once against the shared library, once statically against
# libperfkit.a with the shared library installed beside it. Also checks
# that perfkit.pc hands consumers no private flags and needs no other .pc,
# and that the installed programs carry the expected rpath.
# Usage: run-consumer.sh BUILD_DIR CONSUMER_C README INSTALL_RPATH [EXTRA_FLAGS]
# (INSTALL_RPATH: the rpath meson gives installed programs, '' for none;
# EXTRA_FLAGS, e.g. the sanitizer, go to every cc call.)
set -eu
build=$1
src=$2
readme=$3
want_rpath=$4
extra=${5:-}
realcc=$(command -v "${CC:-cc}")

fail() { echo "consumer: $*"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null

pc=$(find "$tmp/root" -name perfkit.pc | head -n 1)
[ -n "$pc" ] || fail "perfkit.pc was not installed"
libdir=$(dirname "$(dirname "$pc")")
# Point a copy of perfkit.pc at the temporary root, so that README's lines
# run with plain `pkg-config` as from a real prefix.
mkdir "$tmp/pc"
prefix=$(sed -n 's/^prefix=//p' "$pc")
sed "s|^prefix=.*|prefix=$tmp/root$prefix|" "$pc" > "$tmp/pc/perfkit.pc"
export PKG_CONFIG_PATH="$tmp/pc"

# No private build flags: only perfkit's include folder, and no Requires
# on hwloc, jansson or simdjson (their .pc files are not even needed).
cflags=$(PKG_CONFIG_LIBDIR="$tmp/pc" pkg-config --cflags perfkit) ||
	fail "pkg-config --cflags perfkit needs other .pc files"
cflags=$(printf '%s' "$cflags" | sed 's/ *$//')
echo "cflags: $cflags"
case " $cflags " in
*" -D"* | *simdjson*) fail "perfkit.pc leaks private flags: $cflags" ;;
esac
[ "$cflags" = "-I$tmp/root$prefix/include" ] ||
	fail "cflags are not just perfkit's include folder: $cflags"
PKG_CONFIG_LIBDIR="$tmp/pc" pkg-config --libs --static perfkit >/dev/null ||
	fail "pkg-config --static --libs perfkit needs other .pc files"
echo "libs:   $(pkg-config --libs perfkit)"
echo "static: $(pkg-config --static --libs perfkit)"

# README's lines: `cc` is the compiler with EXTRA_FLAGS, prog.c the consumer.
awk '/^## Using the library/ { on = 1; next } /^## / { on = 0 }
     on && /^cc -o prog prog\.c / { print }' "$readme" > "$tmp/lines"
shared_line=$(grep -v -e '-Bstatic' "$tmp/lines" | head -n 1)
static_line=$(grep -e '-Bstatic' "$tmp/lines" | head -n 1)
[ -n "$shared_line" ] && [ -n "$static_line" ] ||
	fail "README's 'Using the library' has no shared and static cc lines"
mkdir "$tmp/bin" "$tmp/work"
printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$realcc" "$extra" > "$tmp/bin/cc"
chmod +x "$tmp/bin/cc"
cp "$src" "$tmp/work/prog.c"
cd "$tmp/work"

echo "shared: $shared_line"
PATH="$tmp/bin:$PATH" sh -euc "$shared_line"
readelf -d prog | grep -q 'NEEDED.*libperfkit\.so\.1' ||
	fail "shared consumer does not need libperfkit.so.1"
LD_LIBRARY_PATH="$libdir" ./prog

# Static, with libperfkit.so installed beside libperfkit.a.
[ -e "$libdir/libperfkit.so" ] || fail "libperfkit.so was not installed"
rm -f prog
echo "static: $static_line"
PATH="$tmp/bin:$PATH" sh -euc "$static_line"
if readelf -d prog | grep -q 'NEEDED.*libperfkit'; then
	fail "static consumer still needs a shared libperfkit"
fi
# ... and it runs with the shared library gone.
rm -f "$libdir"/libperfkit.so*
LD_LIBRARY_PATH="$libdir" ./prog

# Installed programs find libperfkit through their rpath (or, for a
# system libdir, have none).
flops=$(find "$tmp/root" -path '*/bin/perfkit-flops' | head -n 1)
[ -n "$flops" ] || fail "perfkit-flops was not installed"
rpath=$(readelf -d "$flops" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p;s/.*(RPATH).*\[\(.*\)\]/\1/p')
[ "$rpath" = "$want_rpath" ] ||
	fail "installed perfkit-flops has rpath '$rpath', want '$want_rpath'"
echo "consumer: shared and static builds from README's lines OK; rpath '$rpath'"
