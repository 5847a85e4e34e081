"""The three result-file formats read with Python's own parsers, so the
tests of perfkit-flops and perfkit-flops-mpi check what the programs wrote
independently of libperfkit's readers. Each returns (records, meta)."""
import csv
import json


def parse_json(path):
    with open(path) as f:
        d = json.load(f)
    return d['records'], d['meta']


def parse_jsonl(path):
    """The first non-blank line is the header (schema, meta); records follow."""
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return lines[1:], lines[0].get('meta', {})


def parse_csv(path):
    """Leading '# key=value' lines are the metadata, then a header row."""
    meta, body = {}, []
    with open(path, newline='') as f:
        for line in f:
            if line.startswith('#'):
                k, _, v = line[1:].strip().partition('=')
                meta[k] = v
            else:
                body.append(line)
    return list(csv.DictReader(body)), meta
