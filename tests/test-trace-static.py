#!/usr/bin/env python3
"""PERFKIT_TRACE in a program linked with libperfkit.a that calls no trace
function (tests/trace-static.c): the file is written at exit (schema, every
B with its E), regions left open at exit are in it marked open, forked
children's events are merged with their pids, the spool folder is removed,
and a bad variable gives one line on stderr; tools/trace-html.py draws
the merged file (open regions and pids in its tooltips and lanes).
Usage: test-trace-static.py TRACE_STATIC TRACE_HTML_PY
"""
import glob
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_check  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
TRACE_HTML = sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(mode, tmp, **env):
    e = dict(os.environ, TMPDIR=os.path.join(tmp, 'spool'))
    e.pop('PERFKIT_TRACE', None)
    e.update(env)
    p = subprocess.run([EXE, mode], capture_output=True, text=True, cwd=tmp,
                       env=e, timeout=120)
    return p.returncode, p.stdout, p.stderr


def trace(path, what):
    doc, problems, _ = trace_check.check_file(path)
    for p in problems:
        check(False, f'{what}: {p}')
    return doc


def ends(doc, name, pid=None):
    """(E events of name, how many of them are marked open)."""
    evs = [e for e in doc['traceEvents'] if e['ph'] == 'E' and e['name'] == name
           and (pid is None or e['pid'] == pid)]
    return len(evs), sum(1 for e in evs if e.get('args', {}).get('open') is True)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, 'spool'))
        rc, out, err = run('plain', tmp)
        check(rc == 0 and err == '' and not glob.glob(os.path.join(tmp, '*.json')),
              f'without PERFKIT_TRACE: rc {rc}, err {err!r}')

        rc, out, err = run('plain', tmp, PERFKIT_TRACE='plain.json')
        check(rc == 0 and err == '', f'plain: rc {rc}, err {err!r}')
        doc = trace(os.path.join(tmp, 'plain.json'), 'plain')
        if doc:
            check(ends(doc, 'work') == (3, 0) and ends(doc, 'main') == (1, 0),
                  f'plain: ends {ends(doc, "work")} {ends(doc, "main")}')
            check(doc['otherData']['open'] == 0, 'plain: open count')

        rc, out, err = run('open', tmp, PERFKIT_TRACE='open.json')
        check(rc == 0 and err == '', f'open: rc {rc}, err {err!r}')
        doc = trace(os.path.join(tmp, 'open.json'), 'open')
        if doc:
            check(ends(doc, 'main') == (1, 1), f'open: main {ends(doc, "main")}')
            check(ends(doc, 'work') == (3, 0), f'open: work {ends(doc, "work")}')
            check(doc['otherData']['open'] == 1, 'open: open count')

        rc, out, err = run('fork', tmp, PERFKIT_TRACE='fork.json')
        check(rc == 0 and err == '', f'fork: rc {rc}, err {err!r}')
        kids = [int(x) for x in out.split()[1:3]] if out.startswith('children') else []
        check(len(kids) == 2, f'fork: output {out!r}')
        doc = trace(os.path.join(tmp, 'fork.json'), 'fork')
        if doc and kids:
            me = [e['pid'] for e in doc['traceEvents'] if e['name'] == 'process_name']
            check(len(set(me)) == 3 and set(kids) <= set(me),
                  f'fork: process_name pids {me}, children {kids}')
            check(doc['otherData']['processes'] == 3, 'fork: processes')
            for k in kids:
                check(ends(doc, 'child', k) == (1, 0), f'fork: child {k}: child')
                check(ends(doc, 'child-open', k) == (1, 1), f'fork: child {k}: child-open')
                check(ends(doc, 'main', k) == (1, 1), f'fork: child {k}: main inherited')
                check(ends(doc, 'work', k) == (0, 0), f'fork: child {k}: parent events')
            parent = [p for p in set(me) if p not in kids][0]
            check(ends(doc, 'work', parent) == (3, 0) and ends(doc, 'main', parent) == (1, 0),
                  'fork: the parent\'s events')
            page = os.path.join(tmp, 'fork.html')
            p = subprocess.run([sys.executable, TRACE_HTML, os.path.join(tmp, 'fork.json'),
                                page], capture_output=True, text=True, timeout=120)
            text = open(page, encoding='utf-8').read() if p.returncode == 0 else ''
            check('still open when written' in text and f'pid {kids[0]}' in text,
                  f'trace-html.py: rc {p.returncode}, {p.stderr[-300:]!r}')
        left = os.listdir(os.path.join(tmp, 'spool'))
        check(left == [], f'spool not removed: {left}')

        # the children cannot leave their part: each says why in one line,
        # and the parent's file has its own events
        for tmpdir, why in (('/' + 'a' * 4090, 'TMPDIR is too long'),
                            (os.path.join(tmp, 'missing', 'dir'), 'cannot make')):
            rc, out, err = run('fork', tmp, PERFKIT_TRACE='nospool.json', TMPDIR=tmpdir)
            lines = err.splitlines()
            check(rc == 0 and len(lines) == 2 and all(why in l for l in lines),
                  f'fork with TMPDIR {tmpdir[:30]}: rc {rc}, err {err!r}')
            doc = trace(os.path.join(tmp, 'nospool.json'), f'fork, TMPDIR {tmpdir[:30]}')
            check(doc is not None and doc['otherData']['processes'] == 1,
                  'fork without a spool: processes')

        rc, out, err = run('plain', tmp, PERFKIT_TRACE='bad.json',
                           PERFKIT_TRACE_EVENTS='0')
        check(rc == 0 and err.count('\n') == 1 and 'PERFKIT_TRACE_EVENTS' in err and
              not os.path.exists(os.path.join(tmp, 'bad.json')),
              f'bad PERFKIT_TRACE_EVENTS: rc {rc}, err {err!r}')
        rc, out, err = run('fork', tmp, PERFKIT_TRACE='/nonexistent-pk/t.json')
        check(rc == 0 and err.count('\n') == 1 and '/nonexistent-pk/t.json' in err,
              f'unwritable PERFKIT_TRACE: rc {rc}, err {err!r}')
    if failures:
        print(f'{len(failures)} failure(s)')
        sys.exit(1)
    print('ok')


main()
