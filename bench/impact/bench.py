#!/usr/bin/python3
"""Impact estimators: TradeBridge against the same computation in Python
(NumPy, pandas, statsmodels from Debian), same data, same machine, same run.

  bootstrap: 10,000 resamples of the mean and of the median over 5,000 trainees
  did:       difference-in-differences with CR1 clustered errors on a panel of
             200,000 firms x 5 years = 1,000,000 export-sales rows

TradeBridge is timed end to end as a command (reading the CSV included);
Python is timed from data already in memory (reading not included), which
favours Python. Prints the best of --repeat runs and the ratio."""
import argparse
import os
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
ap.add_argument("--repeat", type=int, default=3)
ap.add_argument("--firms", type=int, default=200000)
args = ap.parse_args()
tmp = tempfile.mkdtemp(prefix="tb-bench-impact-")


def best(fn):
    t = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    return min(t)


def tb(*a):
    r = subprocess.run([args.bin, "impact", *a], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)


rng = np.random.default_rng(1)
gain = rng.lognormal(12, 1.1, 5000).round(2)
p = os.path.join(tmp, "gains.csv")
pd.DataFrame({"gain": gain}).to_csv(p, index=False)
rows = []
for stat, fn in [("mean", np.mean), ("median", np.median)]:
    ours = best(lambda: tb("bootstrap", p, "--column", "gain", "--stat", stat, "--resamples", "10000"))

    def py():
        g = np.random.default_rng(5)
        est = np.empty(10000)
        for b in range(0, 10000, 500):     # chunks keep memory at 20 MB
            idx = g.integers(0, len(gain), (500, len(gain)))
            est[b:b + 500] = fn(gain[idx], axis=1)
        return np.quantile(est, [0.025, 0.975])
    theirs = best(py)
    rows.append((f"bootstrap {stat}, 10,000 resamples x 5,000 trainees", ours, "NumPy (vectorised)", theirs))

n = args.firms
firm = np.repeat(np.arange(n), 5)
year = np.tile(np.arange(2019, 2024), n)
treated = (firm % 5 == 0).astype(int)
post = (year >= 2021).astype(int)
y = (rng.lognormal(8, 1.2, n)[firm] * 1.04 ** (year - 2019) + 4000 * treated * post + rng.normal(0, 300, n * 5)).round(2)
df = pd.DataFrame({"unit": firm, "period": year, "treated": treated, "post": post, "exports": y})
p = os.path.join(tmp, "panel.csv")
df.to_csv(p, index=False)
ours = best(lambda: tb("did", p, "--outcome", "exports"))
theirs = best(lambda: smf.ols("exports ~ treated * post", df).fit(cov_type="cluster", cov_kwds={"groups": df.unit},
                                                                  use_t=True))
rows.append((f"difference-in-differences, {n * 5:,} rows, {n:,} clusters", ours, "statsmodels OLS cluster", theirs))

print(f"{'computation':<58} {'TradeBridge':>11} {'peer':>24} {'peer time':>10} {'ratio':>7}")
for name, a, peer, b in rows:
    print(f"{name:<58} {a:>10.3f}s {peer:>24} {b:>9.3f}s {b / a:>6.1f}x")
