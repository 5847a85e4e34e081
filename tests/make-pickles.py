#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the pickles test-results-pickle reads, with what it must say.

For each plain value and protocol 2 to 5: NAME-pP.pkl from pickle.dumps and
NAME-pP.json, the JSON text perfkit_pickle_to_json() must give (json.dumps
with ensure_ascii=False and no spaces, NaN and the infinities as the
strings libperfkit writes). For each pickle that must be refused:
NAME.pkl and NAME.err (the errno name, then words the message must hold).
Nothing here is ever unpickled: the refused ones are dumped or made by
hand.

  make-pickles.py OUTDIR [STAMP]
"""
import collections
import datetime
import json
import math
import os
import pickle
import struct
import sys

COSMOFLOW_CONFIG = {
    'output_dir': 'results/scaling-cpu-n4',
    'mlperf': {'org': 'CSCS', 'division': 'closed', 'status': 'onprem'},
    'data': {'name': 'cosmo', 'data_dir': '/scratch/cosmoUniverse_2019_05_4parE_tf',
             'n_train': 1024, 'n_valid': 1024, 'sample_shape': [128, 128, 128, 4],
             'batch_size': 4, 'n_epochs': 16, 'shard': True, 'apply_log': True,
             'prefetch': 4, 'compression': None},
    'model': {'name': 'cosmoflow', 'input_shape': [128, 128, 128, 4],
              'target_size': 4, 'conv_size': 32, 'fc1_size': 128, 'fc2_size': 64,
              'hidden_activation': 'LeakyReLU', 'pooling_type': 'MaxPool3D',
              'dropout': 0.5},
    'optimizer': {'name': 'SGD', 'momentum': 0.9},
    # the real configuration is keyed by epoch: int keys
    'lr_schedule': {'base_lr': 0.001, 'scaling': 'linear', 'base_batch_size': 64,
                    'n_warmup_epochs': 4, 'decay_schedule': {32: 0.25, 64: 0.125}},
    'train': {'loss': 'mse', 'metrics': ['mean_absolute_error']},
    'n_ranks': 4,
}

shared = [1, 2]
word = 'repeated string'
GOOD = {
    'cosmoflow-config': COSMOFLOW_CONFIG,
    'ints': [0, 1, 255, 256, 65535, 65536, -1, -256, 2**31 - 1, -2**31, 2**31,
             -2**31 - 1, 2**40, 2**63 - 1, -2**63, 10**18, True, False, None],
    'floats': [0.0, -0.0, 0.1, 1 / 3, 1e16, 1e15, 123456789012345678.0, 1e-4,
               1e-5, 1.5e-7, 2.5, 100.0, 5e-324, 2.2250738585072014e-308,
               1.7976931348623157e308, -1e300, float('nan'), float('inf'),
               float('-inf'), 9007199254740993.0, 0.30000000000000004],
    'strings': ['', 'a', 'caf\u00e9', '\u20ac', '\U0001f389 party',
                'quote " backslash \\ slash /', 'tab\tnl\ncr\rbs\bff\f',
                '\x00\x01\x1f\x7f', 'x' * 300, '\u2028 line sep'],
    'containers': {'empty_list': [], 'empty_dict': {}, 'empty_tuple': (),
                   't1': (1,), 't2': (1, 2), 't3': (1, 2, 3), 't4': (1, 2, 3, 4),
                   'nested': [[[[[]]]], {'a': {'b': {'c': ()}}}],
                   'int_keys': {1: 'one', -2: 'minus two', 2**40: 'big'}},
    'shared': {'a': shared, 'b': shared, 'c': (shared, shared), 'w1': word,
               'w2': word, 'w3': [word, word]},
    'long-list': list(range(2500)),
    'big-dict': {f'key{i}': i * 0.5 for i in range(1500)},
    'deep': None,    # filled below
    'frames': ['%06d' % i + 'y' * 90 for i in range(2000)],   # > 64 KiB
    'top-level-int': 42,
    'top-level-str': 'just a string',
}
deep = []
node = deep
for _ in range(100):
    node.append([])
    node = node[0]
GOOD['deep'] = deep


class Point:
    def __init__(self):
        self.x = 1


a = []
a.append(a)
FRAMED = b'\x8c\x02os\x8c\x06system\x93\x8c\x0aecho pwned\x85R.'
REFUSED = {
    # a class instance: GLOBAL (protocols 2, 3) or STACK_GLOBAL (4, 5)
    'instance-p2': (pickle.dumps(Point(), 2), 'ENOTSUP', 'GLOBAL', 'refused'),
    'instance-p3': (pickle.dumps(Point(), 3), 'ENOTSUP', 'GLOBAL', 'refused'),
    'instance-p4': (pickle.dumps(Point(), 4), 'ENOTSUP', 'STACK_GLOBAL', 'refused'),
    'instance-p5': (pickle.dumps(Point(), 5), 'ENOTSUP', 'STACK_GLOBAL', 'refused'),
    # os.system('echo pwned'), by hand: GLOBAL then REDUCE
    'os-system': (b'\x80\x02cos\nsystem\nX\x0a\x00\x00\x00echo pwned\x85R.',
                  'ENOTSUP', 'pickle byte 2: GLOBAL', 'Python code'),
    'os-system-p4': (b'\x80\x04\x95' + struct.pack('<Q', len(FRAMED)) + FRAMED,
                     'ENOTSUP', 'pickle byte 23: STACK_GLOBAL'),
    # REDUCE alone, then BUILD, INST, OBJ, NEWOBJ: refused before anything
    'reduce': (b'\x80\x02N)R.', 'ENOTSUP', 'pickle byte 4: REDUCE'),
    'build': (b'\x80\x02}}b.', 'ENOTSUP', 'pickle byte 4: BUILD'),
    'inst': (b'\x80\x02(ios\nsystem\n.', 'ENOTSUP', 'pickle byte 3: INST'),
    'persid': (b'\x80\x02P1\n.', 'ENOTSUP', 'pickle byte 2: PERSID'),
    'ext1': (b'\x80\x02\x82\x01.', 'ENOTSUP', 'pickle byte 2: EXT1'),
    'datetime': (pickle.dumps(datetime.date(2020, 8, 6), 4), 'ENOTSUP', 'STACK_GLOBAL'),
    'ordered-dict': (pickle.dumps(collections.OrderedDict(a=1), 2), 'ENOTSUP', 'GLOBAL'),
    'set-p4': (pickle.dumps({1, 2}, 4), 'ENOTSUP', 'EMPTY_SET', 'sets'),
    'frozenset-p4': (pickle.dumps(frozenset({1}), 4), 'ENOTSUP', 'FROZENSET'),
    'set-p2': (pickle.dumps({1, 2}, 2), 'ENOTSUP', 'GLOBAL'),
    'bytes-p3': (pickle.dumps(b'abc', 3), 'ENOTSUP', 'SHORT_BINBYTES', 'bytes'),
    'bytes-big-p3': (pickle.dumps(b'a' * 300, 3), 'ENOTSUP', 'BINBYTES'),
    'bytearray-p5': (pickle.dumps(bytearray(b'ab'), 5), 'ENOTSUP', 'BYTEARRAY8'),
    'bytes-p2': (pickle.dumps(b'abc', 2), 'ENOTSUP', 'GLOBAL'),
    'protocol-0': (pickle.dumps({'a': 1}, 0), 'ENOTSUP', 'pickle byte 0', 'protocol 2 to 5'),
    'protocol-1': (pickle.dumps({'a': 1}, 1), 'ENOTSUP', 'pickle byte 0', 'protocol 2 to 5'),
    'huge-int': (pickle.dumps({'n': 2**64}, 4), 'ERANGE', 'LONG1', '64 bits'),
    'huge-negative-int': (pickle.dumps([-2**63 - 1], 2), 'ERANGE', 'LONG1', '64 bits'),
    'float-key': (pickle.dumps({1.5: 1}, 4), 'ENOTSUP', 'key of type float'),
    'tuple-key': (pickle.dumps({(1, 2): 1}, 4), 'ENOTSUP', 'key of type tuple'),
    'none-key': (pickle.dumps({None: 1}, 3), 'ENOTSUP', 'key of type None'),
    'self-list': (pickle.dumps(a, 4), 'ENOTSUP', 'contains itself'),
    'duplicate-key': (pickle.dumps({1: 'a', '1': 'b'}, 4), 'EBADMSG', 'key "1" twice'),
    'truncated': (pickle.dumps(COSMOFLOW_CONFIG, 4)[:-7], 'EBADMSG', 'truncated'),
}


def jsonable(v):
    """What perfkit_pickle_to_json() writes, as json.dumps input."""
    if isinstance(v, float) and not math.isfinite(v):
        return 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    return v


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, value in GOOD.items():
        text = json.dumps(jsonable(value), ensure_ascii=False,
                          separators=(',', ':'), allow_nan=False)
        for proto in (2, 3, 4, 5):
            base = os.path.join(out, f'{name}-p{proto}')
            with open(base + '.pkl', 'wb') as f:
                pickle.dump(value, f, protocol=proto)
            with open(base + '.json', 'w', encoding='utf-8') as f:
                f.write(text)
    for name, (data, code, *words) in REFUSED.items():
        with open(os.path.join(out, name + '.pkl'), 'wb') as f:
            f.write(data)
        with open(os.path.join(out, name + '.err'), 'w', encoding='utf-8') as f:
            f.write('\n'.join([code] + words) + '\n')
    if len(sys.argv) > 2:
        with open(sys.argv[2], 'w') as f:
            f.write('')


if __name__ == '__main__':
    main()
