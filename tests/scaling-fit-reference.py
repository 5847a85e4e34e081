#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference values for tests/test-scaling-fits.c, computed independently of
libperfkit with scipy (Debian python3-scipy 1.10): scipy.optimize.least_squares
for the fits (bounded, trust-region reflective), scipy.optimize.brentq for the
ends of the profile-likelihood intervals, scipy.stats.t for the quantile.
Not run by meson (scipy is no build dependency): run it by hand,

    /usr/bin/python3 tests/scaling-fit-reference.py

and paste its output into the test when a data set changes.
"""
import csv
import glob
import json
import math
import os

import numpy as np
from scipy import optimize, stats

TOL = dict(xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=100000)


def fit(resid, x0, lo, hi):
    r = optimize.least_squares(resid, x0, bounds=(lo, hi), method='trf', **TOL)
    return r.x, float(np.sum(r.fun ** 2))


def profile_ci(resid, xhat, rss, dof, j, lo, hi, span):
    """Ends of {v: min RSS with x[j] = v <= rss (1 + t^2/dof)} by brentq."""
    t = stats.t.ppf(0.975, dof)
    thr = rss * (1 + t * t / dof)
    free = [k for k in range(len(xhat)) if k != j]

    def prof(v):
        def r(z):
            x = np.array(xhat, dtype=float)
            x[free] = z
            x[j] = v
            return resid(x)
        best = None
        for start in (np.array(xhat)[free],):
            _, s = fit(r, np.clip(start, np.array(lo)[free] + 0,
                                  np.array(hi)[free]),
                       np.array(lo)[free], np.array(hi)[free])
            best = s if best is None else min(best, s)
        return best - thr

    ends = []
    for d in (-1, 1):
        b = lo[j] if d < 0 else hi[j]
        v = xhat[j] + d * span
        while True:
            if (d < 0 and v <= b) or (d > 0 and v >= b):
                v = b
            if prof(v) > 0:
                ends.append(optimize.brentq(prof, min(xhat[j], v),
                                            max(xhat[j], v), xtol=1e-14,
                                            rtol=1e-13))
                break
            if v == b:
                ends.append(b)
                break
            v = xhat[j] + 2 * (v - xhat[j])
    return ends


def fraction(name, p, t, g):
    """log t = log T1 + log g(f, p): x = (f, T1)."""
    p, y = np.array(p, float), np.log(np.array(t, float))

    def resid(x):
        return y - math.log(x[1]) - np.log(g(x[0], p))
    best = None
    for f0 in np.linspace(0.01, 0.99, 9):
        x, s = fit(resid, [f0, float(np.exp(np.mean(y)))], [0, 1e-300],
                   [1, np.inf])
        if best is None or s < best[1]:
            best = (x, s)
    x, rss = best
    dof = len(p) - 2
    fci = profile_ci(resid, x, rss, dof, 0, [0, 1e-300], [1, np.inf], 0.01)
    tci = profile_ci(resid, x, rss, dof, 1, [0, 1e-300], [1, np.inf],
                     0.01 * x[1])
    print(f'{name}: f = {x[0]:.12g} [{fci[0]:.12g}, {fci[1]:.12g}]  '
          f'T1 = {x[1]:.12g} [{tci[0]:.12g}, {tci[1]:.12g}]  '
          f'rse = {math.sqrt(rss / dof):.12g}')


def usl(name, n, x, norm=True):
    n, x = np.array(n, float), np.array(x, float)
    c = x.max()
    xs = x / c

    def resid(th):
        return xs - th[2] * n / (1 + th[0] * (n - 1) + th[1] * n * (n - 1))
    lo, hi = [0, 0, 1e-300], [np.inf] * 3
    best = None
    for a0, b0 in ((0.01, 0.001), (0.1, 0.0001), (0.001, 0.01), (0, 0)):
        th, s = fit(resid, [a0, b0, xs[0] / n[0]], lo, hi)
        if best is None or s < best[1]:
            best = (th, s)
    th, rss = best
    dof = len(n) - 3
    out = [f'{name}: rss = {rss * c * c:.12g}']
    for j, nm in enumerate(('alpha', 'beta', 'gamma')):
        ci = profile_ci(resid, th, rss, dof, j, lo, hi,
                        max(abs(th[j]) * 0.05, 1e-6))
        k = c if j == 2 else 1
        out.append(f'  {nm} = {th[j] * k:.12g} [{ci[0] * k:.12g}, '
                   f'{ci[1] * k:.12g}]')
    print('\n'.join(out))


amdahl = lambda f, p: f + (1 - f) / p
gustafson = lambda f, p: p / (p - f * (p - 1))

# A strong-scaling sweep with repeats (made up): f about 0.1, T1 about 10 s.
fraction('amdahl-repeats',
         [1, 1, 2, 2, 4, 4, 8, 8, 16, 16],
         [10.2, 9.9, 5.61, 5.43, 3.31, 3.2, 2.12, 2.19, 1.63, 1.57], amdahl)
# Superlinear within the noise: the fit ends at the bound f = 0.
fraction('amdahl-bound', [1, 2, 4, 8], [8.0, 3.96, 2.02, 0.99], amdahl)

# The CosmoFlow-like sample (examples/data/cosmoflow-cpu): mean epoch time
# per rank count with epoch 0 dropped; weak scaling, so Gustafson.
here = os.path.dirname(os.path.abspath(__file__))
ranks, times = [], []
for d in glob.glob(os.path.join(here, '..', 'examples', 'data',
                                'cosmoflow-cpu', 'scaling-n*')):
    with open(os.path.join(d, 'config.json')) as f:
        r = json.load(f)['ranks']
    with open(os.path.join(d, 'history.csv')) as f:
        ts = [float(row['time']) for row in csv.DictReader(f)
              if float(row['epoch']) >= 1]
    ranks.append(r)
    times.append(sum(ts) / len(ts))
order = np.argsort(ranks)
ranks = [ranks[i] for i in order]
times = [times[i] for i in order]
print('cosmoflow ranks', ranks)
print('cosmoflow times', ' '.join(f'{t:.17g}' for t in times))
fraction('gustafson-cosmoflow', ranks, times, gustafson)
fraction('amdahl-cosmoflow-per-sample', ranks,
         [t / (80 * r) for r, t in zip(ranks, times)], amdahl)

# Gunther's textbook example (alpha = beta = 0.02, gamma = 1, 4 places),
# as in tests/test-scaling-usl.c.
usl('usl-gunther', [1, 2, 4, 6, 8, 10],
    [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557])
# Coherency only (made up from alpha = 0, beta = 0.01, gamma = 100 with
# noise): the fit puts alpha at its bound 0.
usl('usl-bound', [1, 2, 4, 8, 16, 32],
    [100.0, 196.0, 365.0, 525.0, 470.0, 293.0])
