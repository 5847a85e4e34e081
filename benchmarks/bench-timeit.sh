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
#    R2 runs; per extra run, the tool's wall time outside the runs it
#    measured, and its own CPU time (spawning, reaping, stop rules,
#    storage). Goal: perfkit's <= hyperfine's.
#
# Usage: benchmarks/bench-timeit.sh [PERFKIT_TIMEIT] [ROUNDS]
#   default build/examples/perfkit-timeit, 4 rounds.
# Not run by meson test (it asserts timings); run by hand, on a quiet machine.
set -eu

PK=${1:-build/examples/perfkit-timeit}
ROUNDS=${2:-4}
RUNS=30
WARMUP=3
R1=100
R2=500

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

# 2. Overhead: each tool times `true` -N with R1 and R2 runs, ROUNDS times,
# alternating; per extra run, (a) the tool's wall time minus the mean time
# it measured, and (b) its CPU time (wait4 on the tool: its own and its
# children's) minus the children's user + system time it reported. (b)
# hardly changes with the machine's load; (a) does.
echo
echo "2. Overhead per run: true -N, $R2 - $R1 extra runs, median over $ROUNDS rounds:"
python3 - "$PK" "$DIR" "$ROUNDS" "$R1" "$R2" <<'EOF'
import json, os, statistics, subprocess, sys, time
pk, d, rounds, r1, r2 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
out = os.path.join(d, 'o.json')
cmd = {'hyperfine': ['hyperfine', '-N', '--style', 'none', '--export-json', out],
       'perfkit-timeit': [pk, '-N', '--export-json', out]}

def one(tool, runs):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd[tool] + ['--runs', str(runs), 'true'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    r = json.load(open(out))['results'][0]
    measured = runs * r['mean']
    children = runs * (r['user'] + r['system'])
    return wall - measured, ru.ru_utime + ru.ru_stime - children, wall

per = {t: ([], [], []) for t in cmd}
for i in range(rounds):
    for tool in (list(cmd) if i % 2 == 0 else list(cmd)[::-1]):
        a1, c1, w1 = one(tool, r1)
        a2, c2, w2 = one(tool, r2)
        for k, v in enumerate(((a2 - a1), (c2 - c1), (w2 - w1))):
            per[tool][k].append(v / (r2 - r1) * 1e6)
med = {t: [statistics.median(x) for x in per[t]] for t in cmd}
h, p = med['hyperfine'], med['perfkit-timeit']
for name, k in (('wall outside the measured runs', 0), ('own CPU time', 1)):
    ok = 'ok' if p[k] <= h[k] else 'MISSED (goal <= hyperfine)'
    print(f'  {name:<31} hyperfine {h[k]:8.1f} us/run  perfkit-timeit '
          f'{p[k]:8.1f} us/run  {ok}')
print(f'  {"wall per run (true included)":<31} hyperfine {h[2]:8.1f} us/run  '
      f'perfkit-timeit {p[2]:8.1f} us/run')
EOF
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
