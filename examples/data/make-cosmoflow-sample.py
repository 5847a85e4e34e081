#!/usr/bin/env python3
"""Regenerate the SYNTHETIC sample run folders under examples/data/.

The numbers are made up (a USL-shaped epoch time plus 2% noise, epoch 0
30% slower as a warm-up), laid out as the CosmoFlow benchmark writes its
results: one folder per rank count with history.csv and config.json.
Deterministic: the same seed gives the same files.
"""
import json
import os
import random

RANKS = [1, 2, 4, 8, 16, 32, 64]
EPOCHS = 6
HERE = os.path.dirname(os.path.abspath(__file__))

# name: (gamma samples/s on one rank, alpha, beta, n_train, n_valid, seed)
SERIES = {
    'cosmoflow-cpu': (0.42, 0.004, 3e-5, 64, 16, 1),
    'cosmoflow-cpu-dummy': (0.45, 0.003, 2e-5, 64, 16, 2),
}


def write_run(folder, ranks, gamma, alpha, beta, n_train, n_valid, rng):
    os.makedirs(folder, exist_ok=True)
    samples = (n_train + n_valid) * ranks  # shard: false, so n *= ranks
    x = gamma * ranks / (1 + alpha * (ranks - 1) + beta * ranks * (ranks - 1))
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump({'data': {'n_train': n_train, 'n_valid': n_valid,
                            'shard': False}, 'ranks': ranks}, f, indent=2)
        f.write('\n')
    with open(os.path.join(folder, 'history.csv'), 'w') as f:
        f.write('epoch,loss,lr,mean_absolute_error,time,val_loss,'
                'val_mean_absolute_error\n')
        loss = 0.9
        for e in range(EPOCHS):
            t = samples / x * (1.3 if e == 0 else 1.0) * rng.uniform(0.98, 1.02)
            loss *= rng.uniform(0.7, 0.9)
            f.write(f'{e},{loss:.6f},0.001,{loss * 0.8:.6f},{t:.3f},'
                    f'{loss * 1.1:.6f},{loss * 0.85:.6f}\n')


def main():
    for name, (gamma, alpha, beta, n_train, n_valid, seed) in SERIES.items():
        rng = random.Random(seed)
        for r in RANKS:
            write_run(os.path.join(HERE, name, f'scaling-n{r}'), r, gamma,
                      alpha, beta, n_train, n_valid, rng)


if __name__ == '__main__':
    main()
