#!/usr/bin/env python3
"""Fail when lib/perfkit.sym and the symbols libperfkit.so exports disagree.

With --selftest, prove the check can fail: a map missing one exported symbol,
and a map naming a symbol that is not exported, must both be rejected.
"""
import argparse
import re
import subprocess
import sys


def exported_symbols(lib, nm):
    out = subprocess.run([nm, '-D', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[1], parts[2].split('@')[0]
        if kind == 'A':  # version nodes such as PERFKIT_1.0
            continue
        syms.add(name)
    return syms


def map_symbols(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    text = re.sub(r'#.*', '', text)
    syms = set()
    for node in re.finditer(r'global:(.*?)(?:local:|\})', text, flags=re.S):
        for tok in node.group(1).split(';'):
            tok = tok.strip()
            if tok:
                syms.add(tok)
    return syms


def compare(exported, mapped):
    errors = []
    for s in sorted(exported - mapped):
        errors.append(f'exported but not in the map: {s}')
    for s in sorted(mapped - exported):
        errors.append(f'in the map but not exported: {s}')
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('lib')
    ap.add_argument('map')
    ap.add_argument('--nm', default='nm')
    ap.add_argument('--selftest', action='store_true')
    args = ap.parse_args()

    exported = exported_symbols(args.lib, args.nm)
    with open(args.map, encoding='utf-8') as f:
        mapped = map_symbols(f.read())
    if not exported:
        print('no exported symbols found: is this the shared library?')
        return 1

    if args.selftest:
        victim = sorted(exported)[0]
        missing = compare(exported, mapped - {victim})
        extra = compare(exported, mapped | {'perfkit_no_such_function'})
        ok = (any(victim in e for e in missing) and
              any('perfkit_no_such_function' in e for e in extra))
        print('selftest: the check', 'fails as it should' if ok else 'CANNOT FAIL')
        return 0 if ok else 1

    errors = compare(exported, mapped)
    for e in errors:
        print(e)
    print(f'{len(exported)} exported, {len(mapped)} in the map, '
          f'{len(errors)} disagreements')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
