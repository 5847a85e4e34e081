"""Checks of a Chrome Trace Event file written by libperfkit.

validate(): against tests/trace-event.schema.json, with the jsonschema
package: this Python's, else Debian's (python3-jsonschema, for
/usr/bin/python3, when the python3 on PATH is another one), else the small
validator below (the keywords the schema uses: type, required, properties,
items, enum, minimum, minLength, additionalProperties). nesting(): every B has its E
on the same thread, with the same name, and time never goes back.
"""
import json
import os
import subprocess

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      'trace-event.schema.json')
TYPES = {'object': dict, 'array': list, 'string': str, 'number': (int, float),
         'integer': int}


def _check(value, schema, where, errors):
    want = schema.get('type')
    if want and (not isinstance(value, TYPES[want]) or
                 (want in ('number', 'integer') and isinstance(value, bool))):
        errors.append(f'{where}: not a{"n" if want[0] in "aeiou" else ""} {want}')
        return
    if 'enum' in schema and value not in schema['enum']:
        errors.append(f'{where}: {value!r} not in {schema["enum"]}')
    if 'minimum' in schema and value < schema['minimum']:
        errors.append(f'{where}: {value} < {schema["minimum"]}')
    if 'minLength' in schema and len(value) < schema['minLength']:
        errors.append(f'{where}: shorter than {schema["minLength"]}')
    if isinstance(value, dict):
        props = schema.get('properties', {})
        for key in schema.get('required', []):
            if key not in value:
                errors.append(f'{where}: no {key!r}')
        for key, sub in value.items():
            if key in props:
                _check(sub, props[key], f'{where}.{key}', errors)
            elif schema.get('additionalProperties') is False:
                errors.append(f'{where}: unexpected {key!r}')
    if isinstance(value, list) and 'items' in schema:
        for i, sub in enumerate(value):
            _check(sub, schema['items'], f'{where}[{i}]', errors)


def _with_system_python(doc):
    """Errors found by Debian's jsonschema, or None without it."""
    code = ('import json, sys, jsonschema\n'
            'schema = json.load(open(sys.argv[1]))\n'
            'doc = json.load(sys.stdin)\n'
            'v = jsonschema.Draft202012Validator(schema)\n'
            'for e in v.iter_errors(doc): print(list(e.path), e.message)\n')
    if not os.path.exists('/usr/bin/python3'):
        return None
    p = subprocess.run(['/usr/bin/python3', '-c', code, SCHEMA], input=json.dumps(doc),
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return None
    return p.stdout.splitlines()


def validate(doc):
    """Schema errors of a parsed trace, as a list of strings."""
    with open(SCHEMA, encoding='utf-8') as f:
        schema = json.load(f)
    try:
        import jsonschema
    except ImportError:
        errors = _with_system_python(doc)
        if errors is None:
            errors = []
            _check(doc, schema, '$', errors)
        return errors
    v = jsonschema.Draft202012Validator(schema)
    return [f'{list(e.path)}: {e.message}' for e in v.iter_errors(doc)]


def nesting(doc):
    """Nesting errors, and the number of B events per thread."""
    errors, stacks, last, begins = [], {}, {}, {}
    for i, ev in enumerate(doc['traceEvents']):
        if ev['ph'] == 'M':
            continue
        tid = ev['tid']
        if ev['ts'] < last.get(tid, 0):
            errors.append(f'event {i}: ts {ev["ts"]} before {last[tid]}')
        last[tid] = ev['ts']
        stack = stacks.setdefault(tid, [])
        if ev['ph'] == 'B':
            stack.append(ev['name'])
            begins[tid] = begins.get(tid, 0) + 1
        elif not stack:
            errors.append(f'event {i}: E {ev["name"]!r} with nothing open')
        elif stack.pop() != ev['name']:
            errors.append(f'event {i}: E {ev["name"]!r} closes another name')
    for tid, stack in stacks.items():
        if stack:
            errors.append(f'thread {tid}: {stack} never ended')
    return errors, begins


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def check_file(path):
    """A trace file checked: (the parsed trace or None, what is wrong with
    it, B events per thread)."""
    if not os.path.exists(path):
        return None, [f'no trace {path}'], {}
    doc = load(path)
    errors = validate(doc)
    nest, begins = nesting(doc)
    problems = ([f'schema: {errors[:3]}'] if errors else []) + \
               ([f'nesting: {nest[:3]}'] if nest else [])
    return doc, problems, begins
