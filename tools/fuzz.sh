#!/bin/sh
# Fuzz the file readers: build every tests/fuzz/fuzz-<name>.c with clang,
# libFuzzer, ASan and UBSan in build-fuzz, then run each for SECONDS (default
# 60) on a copy of tests/fuzz/corpus/<name>. Fails on any crash, leak,
# undefined behaviour or slow input; the input that failed is kept under
# build-fuzz/artifacts/.
#   tools/fuzz.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}

setup() {
	CC=clang CXX=clang++ meson setup build-fuzz -Dfuzzers=true -Dtests=disabled \
		-Ddocs=disabled -Dbenchmarks=disabled -Db_lundef=false
}

if [ ! -f build-fuzz/build.ninja ]; then
	setup
# tests/fuzz/meson.build looks for the targets' sources at configure time:
# pick up any added since. A folder configured before the library had C++
# sources (or with other compilers) is made again.
elif ! meson setup --reconfigure build-fuzz >/dev/null 2>&1; then
	rm -rf build-fuzz
	setup
fi

# The formats tests/fuzz/meson.build knows, where a target exists.
targets=""
for name in csv json jsonl pickle; do
	[ -f "tests/fuzz/fuzz-$name.c" ] && targets="$targets fuzz-$name"
done
if [ -z "$targets" ]; then
	echo "fuzz: no tests/fuzz/fuzz-{csv,json,jsonl,pickle}.c" >&2
	exit 1
fi
# shellcheck disable=SC2086 # one word per target
meson compile -C build-fuzz $targets

mkdir -p build-fuzz/artifacts
status=0
for t in $targets; do
	name=${t#fuzz-}
	work=$(mktemp -d)
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp -R "tests/fuzz/corpus/$name/." "$work/"
	fi
	dict=""
	if [ -f "tests/fuzz/$name.dict" ]; then
		dict="-dict=tests/fuzz/$name.dict"
	fi
	echo "== fuzz $t: $seconds s =="
	# shellcheck disable=SC2086 # an empty $dict is no argument
	if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	     UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	     "build-fuzz/tests/fuzz/$t" -max_total_time="$seconds" \
		-rss_limit_mb=2048 -max_len=65536 -timeout=10 \
		-artifact_prefix="build-fuzz/artifacts/$t-" \
		-print_final_stats=1 $dict "$work"; then
		echo "fuzz: $t FAILED; input kept in build-fuzz/artifacts/" >&2
		status=1
	fi
	rm -rf "$work"
done
exit $status
