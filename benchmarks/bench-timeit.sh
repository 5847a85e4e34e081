#!/bin/sh
# SPDX-License-Identifier: MIT
#
# perfkit-timeit against hyperfine (Debian's `hyperfine`), in one script, on
# the same commands, in alternating rounds (hyperfine, perfkit, hyperfine,
# perfkit, ...) so that a change of the machine's load hits both.
#
# 1. Medians: each command is timed ROUNDS times by each tool with the same
#    --warmup and --runs; the median of each tool's medians is compared.
#    Goal: perfkit / hyperfine within 1 +- 0.03.
# 2. Overhead per run: `true` without a shell (-N), timed with R1 and then
#    R2 runs; the tool's own wall time per extra run, minus the time it
#    measured for `true`, is what the tool spends around each run (spawn
#    bookkeeping, stop rules, storage). Goal: perfkit's <= hyperfine's.
#
# Usage: benchmarks/bench-timeit.sh [PERFKIT_TIMEIT] [ROUNDS]
#   default build/examples/perfkit-timeit, 4 rounds.
# Not run by meson test (it asserts timings); run by hand, on a quiet machine.
set -eu

PK=${1:-build/examples/perfkit-timeit}
ROUNDS=${2:-4}
RUNS=30
WARMUP=3
R1=200
R2=1000

command -v hyperfine >/dev/null || { echo "bench-timeit: hyperfine not found (apt-get install hyperfine)" >&2; exit 2; }
[ -x "$PK" ] || { echo "bench-timeit: $PK is not executable" >&2; exit 2; }

DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
seq 1 150000 > "$DIR/data.txt"   # 1 MB of text for gzip

echo "bench-timeit: $(hyperfine --version) against $("$PK" --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# the median over rounds of each file's first "median", then its range
median_of() {
	python3 - "$@" <<'EOF'
import json, statistics, sys
m = [json.load(open(p))['results'][0]['median'] for p in sys.argv[1:]]
print(statistics.median(m), min(m), max(m))
EOF
}

run_pk() {
	"$PK" $1 --warmup $WARMUP --runs $RUNS --export-json "$DIR/p$3.json" \
		"$2" >/dev/null
}

# one command, $1 = "-N" or "", $2 = the command; prints a line
compare_medians() {
	shell=$1 cmd=$2 i=0
	while [ "$i" -lt "$ROUNDS" ]; do
		# the order alternates (HP, PH, ...): a drifting load hits both
		[ $((i % 2)) -eq 1 ] && run_pk "$shell" "$cmd" $i
		hyperfine $shell --style none --warmup $WARMUP --runs $RUNS \
			--export-json "$DIR/h$i.json" "$cmd" >/dev/null 2>&1
		[ $((i % 2)) -eq 0 ] && run_pk "$shell" "$cmd" $i
		i=$((i + 1))
	done
	h=$(median_of "$DIR"/h*.json)
	p=$(median_of "$DIR"/p*.json)
	rm -f "$DIR"/h*.json "$DIR"/p*.json
	python3 -c "import sys
h, hl, hh = map(float, sys.argv[1].split())
p, pl, ph = map(float, sys.argv[2].split())
r = p / h
print(f'  {sys.argv[3]}')
print(f'    hyperfine {h*1e3:8.3f} ms [{hl*1e3:.3f}, {hh*1e3:.3f}]  perfkit {p*1e3:8.3f} ms'
      f' [{pl*1e3:.3f}, {ph*1e3:.3f}]  ratio {r:.4f}'
      f'  {\"ok\" if abs(r - 1) <= 0.03 else \"MISSED (goal 1 +- 0.03)\"}')" \
		"$h" "$p" "$shell${shell:+ }$cmd"
}

echo
echo "1. Medians, $ROUNDS rounds of --warmup $WARMUP --runs $RUNS per tool: the median over"
echo "   rounds [lowest, highest round], ratio = perfkit / hyperfine:"
compare_medians -N "sleep 0.05"
compare_medians -N "gzip -9 -c $DIR/data.txt"
compare_medians "" "gzip -9 -c $DIR/data.txt | wc -c"

# wall seconds of one tool timing `true` -N with $2 runs; the tool's own
# measured mean goes to $DIR/mean
wall_of() {
	tool=$1 runs=$2
	t0=$(date +%s%N)
	if [ "$tool" = hyperfine ]; then
		hyperfine -N --style none --runs "$runs" --export-json "$DIR/o.json" true >/dev/null 2>&1
	else
		"$PK" -N --runs "$runs" --export-json "$DIR/o.json" true >/dev/null
	fi
	t1=$(date +%s%N)
	python3 -c "import json; print(json.load(open('$DIR/o.json'))['results'][0]['mean'])" > "$DIR/mean"
	echo $(( t1 - t0 ))
}

# overhead per run in ns, median over rounds, for one tool
overhead() {
	tool=$1 i=0 list="" walls=""
	while [ "$i" -lt "$ROUNDS" ]; do
		w1=$(wall_of "$tool" $R1)
		w2=$(wall_of "$tool" $R2)
		m=$(cat "$DIR/mean")
		list="$list $(python3 -c "print(($w2 - $w1) / ($R2 - $R1) - $m * 1e9)")"
		walls="$walls $(( (w2 - w1) / (R2 - R1) ))"
		i=$((i + 1))
	done
	python3 -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" $list
	python3 -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" $walls
}

echo
echo "2. Overhead per run: true -N, ($R2 - $R1) extra runs; wall per extra run minus the measured time of true:"
ho=$(overhead hyperfine | tr '\n' ' ')
po=$(overhead perfkit | tr '\n' ' ')
python3 -c "import sys
h, hw = map(float, sys.argv[1].split())
p, pw = map(float, sys.argv[2].split())
print(f'  overhead: hyperfine {h/1e3:8.1f} us/run   perfkit-timeit {p/1e3:8.1f} us/run'
      f'   ratio {p/h:.3f}  {\"ok\" if p <= h else \"MISSED (goal <= 1)\"}')
print(f'  wall per run (true included): hyperfine {hw/1e3:.1f} us, perfkit-timeit {pw/1e3:.1f} us')" "$ho" "$po"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
