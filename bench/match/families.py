#!/usr/bin/python3
"""families.py - the exact engines against SciPy on instance families made here.

The generators below are plain NumPy and know nothing about the solver (no
hidden structure tuned to it): each family is written to the tradebridge text
format, solved by `tradebridge match assign --json` and by SciPy in the same
run, the optimal totals are compared, and the ratio SciPy / tradebridge is
printed for every family. Each side runs `--repeat` times (default 3) and
the median is reported, with min and max, because the machine is shared.

Compared: tradebridge's solve_seconds (inside the binary, after parsing)
against the wall time of the single SciPy call on an in-memory matrix
(min_weight_full_bipartite_matching for sparse, linear_sum_assignment for
dense); generation and file I/O excluded on both sides.

Families (sparse: n = 50,000 rows, about 20 allowed pairs per row):
  uniform      random columns, integer costs 1..1000 (nothing else)
  languages    graduates and positions speak one of 12 languages with Zipf
               popularity; 80% of a row's pairs go to positions of its language,
               cost = level gap x 200 + field mismatch 300 + noise 1..200
  low-rank     random columns, cost = 1000 a_i . b_j (rank 3) + noise 1..100 (SciPy drops zeros)
  forbidden    rows and columns in 50 regions; a row may not use columns of
               the 30 regions its region excludes (every pair there forbidden)
  rectangular  40,000 rows x 50,000 columns, random columns, costs 1..1000
Dense: uniform integer costs 0..99,999, n = 2000 and 5000.

The structured families add one random perfect matching (a random cost like
the others) so that a full assignment exists; the plain uniform and
rectangular ones do not need it at this density.

usage: families.py [--bin build/tradebridge] [--dir /tmp/tb-bench-families]
                   [--quick] [--repeat 3] [--only NAME,NAME]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import scipy
import scipy.optimize
import scipy.sparse
import scipy.sparse.csgraph

SEED = 20261207


def dedup(rows, cols, vals, ncols):
    key = rows.astype(np.int64) * ncols + cols
    _, first = np.unique(key, return_index=True)
    first.sort()
    return rows[first], cols[first], vals[first]


def uniform(rng, n, m, deg):
    rows = np.repeat(np.arange(n), deg)
    cols = rng.integers(0, m, size=n * deg)
    vals = rng.integers(1, 1001, size=n * deg)
    return dedup(rows, cols, vals, m)


def with_perfect(rng, n, rows, cols, vals, lo, hi):
    perm = rng.permutation(n)
    rows = np.concatenate([rows, np.arange(n)])
    cols = np.concatenate([cols, perm])
    vals = np.concatenate([vals, rng.integers(lo, hi + 1, size=n)])
    return dedup(rows, cols, vals, n)


def languages(rng, n, deg):
    k = 12
    pop = 1.0 / np.arange(1, k + 1)
    pop /= pop.sum()
    glang = rng.choice(k, size=n, p=pop)
    plang = rng.choice(k, size=n, p=pop)
    glevel = rng.integers(0, 6, size=n)
    plevel = rng.integers(0, 6, size=n)
    gfield = rng.integers(0, 30, size=n)
    pfield = rng.integers(0, 30, size=n)
    by_lang = [np.flatnonzero(plang == lang) for lang in range(k)]
    rows = np.repeat(np.arange(n), deg)
    cols = rng.integers(0, n, size=n * deg)
    same = rng.random(n * deg) < 0.8
    for lang in range(k):
        sel = np.flatnonzero(same & (glang[rows] == lang))
        if len(by_lang[lang]) and len(sel):
            cols[sel] = by_lang[lang][rng.integers(0, len(by_lang[lang]), size=len(sel))]
    gap = np.abs(glevel[rows] - plevel[cols])
    vals = (gap * 200 + (gfield[rows] != gfield[cols]) * 300
            + (glang[rows] != plang[cols]) * 1000 + rng.integers(1, 201, size=len(rows)))
    r, c, v = dedup(rows, cols, vals, n)
    return with_perfect(rng, n, r, c, v, 1, 2500)


def lowrank(rng, n, deg):
    a = rng.random((n, 3))
    b = rng.random((n, 3))
    rows = np.repeat(np.arange(n), deg)
    cols = rng.integers(0, n, size=n * deg)
    vals = (np.rint(np.einsum("ij,ij->i", a[rows], b[cols]) * 1000).astype(np.int64)
            + rng.integers(1, 101, size=n * deg))
    r, c, v = dedup(rows, cols, vals, n)
    return with_perfect(rng, n, r, c, v, 1, 3100)


def forbidden(rng, n, deg):
    regions = 50
    greg = rng.integers(0, regions, size=n)
    preg = rng.integers(0, regions, size=n)
    # region g excludes the 30 regions g+1 .. g+30 (mod 50): allowed 20 of 50
    rows = np.repeat(np.arange(n), deg * 3)
    cols = rng.integers(0, n, size=n * deg * 3)
    ok = ((preg[cols] - greg[rows]) % regions) > 30
    ok |= preg[cols] == greg[rows]
    rows, cols = rows[ok], cols[ok]
    vals = rng.integers(1, 1001, size=len(rows))
    r, c, v = dedup(rows, cols, vals, n)
    # the perfect matching respects the rule: pair rows and columns of the same region
    perm = np.empty(n, dtype=np.int64)
    order_g = np.argsort(greg, kind="stable")
    order_p = np.argsort(preg, kind="stable")
    # match by rank inside the sorted orders; where regions differ the pair is
    # still allowed only if the rule allows it, so regions are rebalanced first
    preg[order_p] = greg[order_g]
    perm[order_g] = order_p
    pr = np.concatenate([r, np.arange(n)])
    pc = np.concatenate([c, perm])
    pv = np.concatenate([v, rng.integers(1, 1001, size=n)])
    ok = (((preg[pc] - greg[pr]) % regions) > 30) | (preg[pc] == greg[pr])
    return dedup(pr[ok], pc[ok], pv[ok], n)


def write_sparse(path, n, m, rows, cols, vals):
    with open(path, "w") as f:
        f.write(f"sparse {n} {m} {len(vals)} int min\n")
        chunk = 200000
        for s in range(0, len(vals), chunk):
            e = min(len(vals), s + chunk)
            f.write("\n".join(f"{a} {b} {c}" for a, b, c in
                              zip(rows[s:e].tolist(), cols[s:e].tolist(), vals[s:e].tolist())))
            f.write("\n")


def write_dense(path, c):
    with open(path, "w") as f:
        f.write(f"dense {c.shape[0]} {c.shape[1]} int min\n")
        for row in c:
            f.write(" ".join(map(str, row.tolist())))
            f.write("\n")


def tb(binary, path):
    p = subprocess.run([binary, "match", "assign", path, "--json"], capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip()
    d = json.loads(p.stdout)
    return d, None


def summary(xs):
    return statistics.median(xs), min(xs), max(xs)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build", "tradebridge"))
    ap.add_argument("--dir", default="/tmp/tb-bench-families")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    n = 5000 if args.quick else 50000
    deg = 20
    fams = [
        ("uniform", lambda rng: (n, n) + uniform(rng, n, n, deg)),
        ("languages", lambda rng: (n, n) + languages(rng, n, deg)),
        ("low-rank", lambda rng: (n, n) + lowrank(rng, n, deg)),
        ("forbidden", lambda rng: (n, n) + forbidden(rng, n, deg)),
        ("rectangular", lambda rng: (n * 4 // 5, n) + uniform(rng, n * 4 // 5, n, deg)),
    ]
    dense_sizes = [300, 600] if args.quick else [2000, 5000]
    print(f"SciPy {scipy.__version__}, NumPy {np.__version__}, seed {SEED}, binary {args.bin}")
    print(f"median of {args.repeat} runs per side (min-max in brackets); ratio = SciPy / tradebridge medians")
    hdr = f"{'family':<22}{'edges':>10}{'tb solve':>22}{'scipy':>22}{'ratio':>8}  same total"
    print(hdr)
    print("-" * len(hdr))
    ok = True
    rng = np.random.default_rng(SEED)
    for name, gen in fams:
        if only and name not in only:
            continue
        nr, nc, rows, cols, vals = gen(rng)
        path = os.path.join(args.dir, f"{name}.txt")
        write_sparse(path, nr, nc, rows, cols, vals)
        m = scipy.sparse.csr_matrix((vals.astype(np.float64), (rows, cols)), shape=(nr, nc))
        tts, sts, total, stotal = [], [], None, None
        for _ in range(args.repeat):
            d, e = tb(args.bin, path)
            if d is None:
                total = "error: " + e
                break
            tts.append(d["solve_seconds"])
            total = int(d["total"])
            t = time.perf_counter()
            try:
                r, c = scipy.sparse.csgraph.min_weight_full_bipartite_matching(m)
                stotal = int(round(m[r, c].sum()))
            except ValueError:
                stotal = "infeasible"
            sts.append(time.perf_counter() - t)
        if not tts:
            print(f"{name:<22}{len(vals):>10}  {total}")
            ok = False
            continue
        tm, tlo, thi = summary(tts)
        sm, slo, shi = summary(sts)
        same = total == stotal
        ok &= same
        print(f"{name + ' ' + str(nr) + 'x' + str(nc):<22}{len(vals):>10}"
              f"{tm:>8.3f} [{tlo:.3f}-{thi:.3f}]{sm:>8.3f} [{slo:.3f}-{shi:.3f}]{sm / tm:>7.1f}x  "
              f"{'yes' if same else 'NO'} ({total} / {stotal})", flush=True)
    for dn in dense_sizes:
        name = f"dense uniform n={dn}"
        if only and "dense" not in only:
            continue
        c = rng.integers(0, 100000, size=(dn, dn), dtype=np.int64)
        path = os.path.join(args.dir, f"dense_{dn}.txt")
        write_dense(path, c)
        rep = args.repeat
        tts, sts = [], []
        for _ in range(rep):
            d, e = tb(args.bin, path)
            if d is None:
                sys.exit(e)
            tts.append(d["solve_seconds"])
            t = time.perf_counter()
            r, cc = scipy.optimize.linear_sum_assignment(c)
            sts.append(time.perf_counter() - t)
        st = int(c[r, cc].sum())
        same = int(d["total"]) == st
        ok &= same
        tm, tlo, thi = summary(tts)
        sm, slo, shi = summary(sts)
        print(f"{name:<22}{dn * dn:>10}{tm:>8.3f} [{tlo:.3f}-{thi:.3f}]{sm:>8.3f} [{slo:.3f}-{shi:.3f}]"
              f"{sm / tm:>7.1f}x  {'yes' if same else 'NO'} ({d['total']} / {st})", flush=True)
        del c
    print("\nall totals identical" if ok else "\nMISMATCH or error")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
