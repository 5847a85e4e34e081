#!/usr/bin/env python3
"""Every example program follows one command-line convention.

--help prints usage on stdout and exits 0; --version prints
"<program> (libperfkit) <version>" and exits 0; a bad option or number
exits 2 with one line on stderr naming the option, the value and what is wrong,
and nothing is measured. No timing is asserted.
Usage: test-examples-cli.py VERSION EXAMPLES_SOURCE_DIR PROGRAM...
"""
import glob
import os
import subprocess
import sys

VERSION, SOURCES = sys.argv[1], sys.argv[2]
PROGRAMS = {os.path.basename(p): p for p in sys.argv[3:]}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(name, args):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT='1',
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM='1')
    p = subprocess.run([PROGRAMS[name]] + args, capture_output=True,
                       text=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


# Bad values of a whole-number option, and the words the message must hold
# besides the option and the quoted value.
INTEGER_BAD = [
    ('-1', 'negative'),
    ('99999999999999999999', 'too large'),
    ('12x', 'not a whole number'),
    ('', 'empty'),
    (' 7', 'not a whole number'),
]
# ... and of a real-number option that must be > 0.
POSITIVE_BAD = [
    ('-1', 'need a number > 0'),
    ('0', 'need a number > 0'),
    ('1e999', 'too large'),
    ('12x', 'not a number'),
    ('', 'empty'),
    ('nan', 'not finite'),
]

# program: [(args before the value, option named, args after, table)]
NUMBER_OPTIONS = {
    'perfkit-flops': [(['--workers'], '--workers', [], INTEGER_BAD),
                      (['--loopcount'], '--loopcount', [], INTEGER_BAD),
                      (['--sweep-sizes'], '--sweep-sizes', [], INTEGER_BAD)],
    'perfkit-flops-mpi': [(['--workers'], '--workers', [], INTEGER_BAD)],
    'perfkit-mpi-pi': [(['--darts'], '--darts', [], INTEGER_BAD),
                       (['--repeat'], '--repeat', [], INTEGER_BAD),
                       (['--deadline'], '--deadline', ['--price', '1'], POSITIVE_BAD)],
    'perfkit-mpi-correlate': [(['--items'], '--items', [], INTEGER_BAD),
                              (['--users'], '--users', [], INTEGER_BAD),
                              (['--top'], '--top', [], INTEGER_BAD)],
    'perfkit-mpi-pingpong': [(['--max-bytes'], '--max-bytes', [], INTEGER_BAD),
                             (['--window'], '--window', [], INTEGER_BAD),
                             (['--trial-time'], '--trial-time', [], POSITIVE_BAD)],
    'perfkit-mpi-collectives': [(['--max-bytes'], '--max-bytes', [], INTEGER_BAD),
                                (['--time'], '--time', [], POSITIVE_BAD)],
    'perfkit-scaling': [(['--threshold'], '--threshold', [], POSITIVE_BAD),
                        (['--ranks'], '--ranks', ['run-n%i'], INTEGER_BAD)],
    'perfkit-timeit': [(['--max-time'], '--max-time', [], POSITIVE_BAD),
                       (['--rel-ci'], '--rel-ci', [], POSITIVE_BAD),
                       (['--runs'], '--runs', [], INTEGER_BAD),
                       (['--warmup'], '--warmup', [], INTEGER_BAD)],
    'perfkit-regions': [(['-n'], '-n', [], INTEGER_BAD),
                        (['-s'], '-s', [], INTEGER_BAD)],
    'perfkit-user-kernel': [(['1000'], 'REPETITIONS', [], INTEGER_BAD)],
    'perfkit-machine': [],
    'perfkit-workshop': [(['--files'], '--files', [], INTEGER_BAD[1:]),
                         (['--workers'], '--workers', [], INTEGER_BAD)],
    'perfkit-compare': [(['--alpha'], '--alpha', [], POSITIVE_BAD)],
}

# Further bad command lines: (program, args, words the message must hold).
OTHER_BAD = [
    ('perfkit-regions', ['-n', '999999999'],
     ["-n '999999999'", 'from 1 to 100000']),
    ('perfkit-regions', ['-s', '5000'], ["-s '5000'", 'from 1 to 4096']),
    ('perfkit-user-kernel', ['-1'], ["'-1'"]),
    ('perfkit-user-kernel', ['12x'], ["N '12x'", 'not a whole number']),
    ('perfkit-user-kernel', ['1000', '0'], ["REPETITIONS '0'"]),
    ('perfkit-user-kernel', ['1', '2', '3'], ["unexpected argument '3'"]),
    ('perfkit-timeit', ['--rel-ci', '2'], ["--rel-ci '2'", '<= 1']),
    ('perfkit-timeit', ['--max-time', '99999999999999999999'],
     ["--max-time '99999999999999999999'", '<= 86400']),
    ('perfkit-timeit', [], ['no command to time']),
    ('perfkit-timeit', [''], ['command 1 is empty']),
    ('perfkit-machine', ['--json', '--kv'], ['choose one']),
    ('perfkit-machine', ['stray'], ["unexpected argument 'stray'"]),
    ('perfkit-flops', ['--sweep-workers=1,2,'], ["--sweep-workers '1,2,'",
                                                 'an empty item']),
    ('perfkit-flops', ['--workers'], ["option '--workers' needs a value"]),
    ('perfkit-flops', ['--placement', 'x'], ["--placement 'x'",
                                             'use none, compact or scatter']),
    ('perfkit-scaling', ['--ranks', '4,2', 'run-n%i'], ['must increase']),
    ('perfkit-scaling', ['--measure', 'speed'], ["--measure 'speed'",
                                                 'throughput, makespan']),
    ('perfkit-compare', ['--fail-on-regression', '5x'],
     ["--fail-on-regression '5x'", 'a percentage']),
    ('perfkit-compare', ['--alpha', '0.7'], ["--alpha '0.7'", '<= 0.5']),
    ('perfkit-compare', ['--group', 'k=1'], ["--group 'k=1'", 'KEY=OLD,NEW']),
    ('perfkit-compare', ['--metric', 'speed'], ["--metric 'speed'", 'gflops']),
    ('perfkit-compare', ['old.json'], ['two files, OLD and NEW']),
    ('perfkit-compare', ['a', 'b', 'c'], ["unexpected argument 'c'"]),
    ('perfkit-mpi-pi', ['--ranks', '2'], ['2 ranks asked for, the job has 1']),
    ('perfkit-mpi-pi', ['--price', '-1'], ["--price '-1'"]),
    ('perfkit-mpi-correlate', ['--input', '/', '--items', '3'], ['choose one']),
    ('perfkit-mpi-pingpong', ['--min-bytes', '9', '--max-bytes', '8'],
     ['--min-bytes 9 is above --max-bytes 8']),
    ('perfkit-mpi-pingpong', ['stray'], ["unexpected argument 'stray'"]),
    ('perfkit-mpi-collectives', ['--op', 'sum'], ["--op 'sum'", 'alltoall']),
    ('perfkit-mpi-collectives', ['--root', '1'], ['--root 1: not a rank']),
]


def test_sources_all_tested():
    # a new program must be added to this test (and to meson's list)
    names = {os.path.basename(p)[:-2]
             for p in glob.glob(os.path.join(SOURCES, 'perfkit-*.c'))}
    missing = names - set(PROGRAMS) - {'perfkit-flops-mpi', 'perfkit-mpi-pi',
                                       'perfkit-mpi-correlate', 'perfkit-mpi-pingpong',
                                       'perfkit-mpi-collectives'}
    check(not missing, f'programs not passed to the test: {missing}')
    check(set(PROGRAMS) <= set(NUMBER_OPTIONS),
          f'programs without cases here: {set(PROGRAMS) - set(NUMBER_OPTIONS)}')


def test_help_and_version(name):
    rc, out, err = run(name, ['--help'])
    check(rc == 0 and out.startswith(f'Usage: {name}') and err == '',
          f'{name} --help: rc {rc}, out {out[:60]!r}, err {err!r}')
    check('--version' in out, f'{name} --help does not mention --version')
    rc, out, err = run(name, ['--version'])
    check(rc == 0 and out == f'{name} (libperfkit) {VERSION}\n' and err == '',
          f'{name} --version: rc {rc}, out {out!r}, err {err!r}')


def expect_usage_error(name, args, needles):
    rc, out, err = run(name, args)
    check(rc == 2, f'{name} {args}: exit {rc}, want 2; stderr {err!r}')
    check(err.startswith(name + ': ') and err.count('\n') == 1,
          f'{name} {args}: want one line "{name}: ..." on stderr, got {err!r}')
    for n in needles:
        check(n in err, f'{name} {args}: stderr {err!r} lacks {n!r}')
    check(out == '', f'{name} {args}: printed {out[:80]!r}')


def test_bad_numbers(name):
    for before, opt, after, table in NUMBER_OPTIONS[name]:
        for value, problem in table:
            expect_usage_error(name, before + [value] + after,
                               [f"{opt} '{value}'", problem])


def test_unknown_option(name):
    expect_usage_error(name, ['--bogus'], ["unrecognized option '--bogus'"])


test_sources_all_tested()
for prog in sorted(PROGRAMS):
    test_help_and_version(prog)
    test_bad_numbers(prog)
    test_unknown_option(prog)
for prog, args, needles in OTHER_BAD:
    if prog in PROGRAMS:
        expect_usage_error(prog, args, needles)
print(f'{len(failures)} failures' if failures else 'all checks passed')
sys.exit(1 if failures else 0)
