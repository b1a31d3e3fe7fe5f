#!/usr/bin/python3
"""bench.py - tradebridge match against SciPy on the same generated instances.

Generates every instance with a fixed seed, writes it in the tradebridge text
format, runs `tradebridge match ... --json` and SciPy (Debian's python3-scipy)
in the same run, checks that the optimal totals are identical and prints the
ratios. What is compared: tradebridge's "solve_seconds" (measured inside the
binary after the file has been parsed into memory) against the wall time of the
single SciPy call on an in-memory array (instance generation, file writing and
file loading are excluded on both sides). Stable matching has no SciPy
counterpart; its solve and end-to-end times are reported against the 1 s goal.

usage: bench.py [--bin build/tradebridge] [--dir /tmp/tb-bench-match] [--quick]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import scipy
import scipy.optimize
import scipy.sparse
import scipy.sparse.csgraph

SEED = 20261127


def write_dense(path, c):
    with open(path, "w") as f:
        f.write(f"dense {c.shape[0]} {c.shape[1]} int min\n")
        for row in c:
            f.write(" ".join(map(str, row.tolist())))
            f.write("\n")


def write_sparse(path, n, rows, cols, vals):
    with open(path, "w") as f:
        f.write(f"sparse {n} {n} {len(vals)} int min\n")
        chunk = 200000
        for s in range(0, len(vals), chunk):
            e = min(len(vals), s + chunk)
            f.write("\n".join(f"{r} {c} {v}" for r, c, v in
                              zip(rows[s:e].tolist(), cols[s:e].tolist(), vals[s:e].tolist())))
            f.write("\n")


def run_tb(binary, args, repeat=1):
    """Best of `repeat` runs (by solve_seconds): the machine is shared."""
    best = None
    for _ in range(repeat):
        p = subprocess.run([binary, "match"] + args + ["--json"], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"tradebridge failed ({p.returncode}): {p.stderr.strip()}")
        d = json.loads(p.stdout)
        if best is None or d["solve_seconds"] < best["solve_seconds"]:
            best = d
    return best


def time_best(fn, repeat):
    best, out = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        t = time.perf_counter() - t
        best = t if best is None or t < best else best
    return best, out


def dense_random(rng, n):
    return rng.integers(0, 100000, size=(n, n), dtype=np.int64)


def dense_lowrank(rng, n):
    # Rank-3 products plus a little noise: many near-equal alternatives, long
    # augmenting paths; the classic hard case for shortest-path solvers.
    a = rng.random((n, 3))
    b = rng.random((n, 3))
    return (np.rint(a @ b.T * 30000).astype(np.int64)
            + rng.integers(0, 10000, size=(n, n), dtype=np.int64))


def sparse_instance(rng, n, deg):
    # One hidden perfect matching keeps the instance feasible; the other
    # deg-1 columns per row are distinct random columns.
    perm = rng.permutation(n)
    cols = np.empty((n, deg), dtype=np.int64)
    cols[:, 0] = perm
    cols[:, 1:] = rng.integers(0, n, size=(n, deg - 1))
    rows = np.repeat(np.arange(n), deg)
    cols = cols.reshape(-1)
    key = rows * n + cols
    _, first = np.unique(key, return_index=True)
    first.sort()
    rows, cols = rows[first], cols[first]
    vals = rng.integers(1, 100001, size=len(rows), dtype=np.int64)
    return rows, cols, vals


def write_hr(path, rng, nc, npos, length):
    # Each graduate lists `length` distinct positions (increasing random gaps,
    # then shuffled); each position ranks everyone who listed it by a quality
    # score plus noise. Capacities 1..8.
    gaps = rng.integers(1, npos // length, size=(nc, length))
    base = rng.integers(0, npos, size=(nc, 1))
    lists = (base + np.cumsum(gaps, axis=1)) % npos
    order = np.argsort(rng.random((nc, length)), axis=1)
    lists = np.take_along_axis(lists, order, axis=1)
    cap = rng.integers(1, 9, size=npos)
    quality = rng.random(nc)
    cand = np.repeat(np.arange(nc), length)
    pos = lists.reshape(-1)
    score = quality[cand] + 0.3 * rng.random(len(cand))
    idx = np.lexsort((-score, pos))
    pos_sorted, cand_sorted = pos[idx], cand[idx]
    bounds = np.searchsorted(pos_sorted, np.arange(npos + 1))
    with open(path, "w") as f:
        f.write(f"hr {nc} {npos}\n")
        cs = cand_sorted.tolist()
        b = bounds.tolist()
        caps = cap.tolist()
        for p in range(npos):
            f.write(f"p {p} {caps[p]} " + " ".join(map(str, cs[b[p]:b[p + 1]])) + "\n")
        for c, row in enumerate(lists.tolist()):
            f.write(f"c {c} " + " ".join(map(str, row)) + "\n")


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build", "tradebridge"))
    ap.add_argument("--dir", default="/tmp/tb-bench-match")
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    print(f"SciPy {scipy.__version__}, NumPy {np.__version__}, seed {SEED}, binary {args.bin}")
    print("Compared: tradebridge solve_seconds (inside the binary, after parsing) vs the")
    print("SciPy call on an in-memory array; generation and file I/O excluded on both sides.")
    print("Best of 3 runs on both sides for n <= 2000 and the sparse instance, 1 run for n = 5000.\n")
    hdr = f"{'instance':<28}{'tb solve':>10}{'tb parse':>10}{'scipy':>10}{'ratio':>8}  total (identical?)"
    print(hdr)
    print("-" * len(hdr))
    ok = True

    dense_sizes = [300, 600] if args.quick else [2000, 5000]
    for kind, gen in (("dense random", dense_random), ("dense low-rank", dense_lowrank)):
        for n in dense_sizes:
            c = gen(rng, n)
            path = os.path.join(args.dir, f"{kind.replace(' ', '_')}_{n}.txt")
            write_dense(path, c)
            rep = 3 if n <= 2000 else 1
            d = run_tb(args.bin, ["assign", path], rep)
            ts, (r, cc) = time_best(lambda: scipy.optimize.linear_sum_assignment(c), rep)
            st = int(c[r, cc].sum())
            same = int(d["total"]) == st
            ok &= same
            print(f"{kind + ' n=' + str(n):<28}{d['solve_seconds']:>10.3f}{d['parse_seconds']:>10.3f}"
                  f"{ts:>10.3f}{ts / d['solve_seconds']:>7.1f}x  {d['total']} ({'yes' if same else 'NO: scipy ' + str(st)})",
                  flush=True)
            del c

    n = 5000 if args.quick else 50000
    deg = 20
    rows, cols, vals = sparse_instance(rng, n, deg)
    path = os.path.join(args.dir, f"sparse_{n}_{deg}.txt")
    write_sparse(path, n, rows, cols, vals)
    d = run_tb(args.bin, ["assign", path], 3)
    m = scipy.sparse.csr_matrix((vals.astype(np.float64), (rows, cols)), shape=(n, n))
    ts, (r, cc) = time_best(lambda: scipy.sparse.csgraph.min_weight_full_bipartite_matching(m), 3)
    st = int(round(m[r, cc].sum()))
    same = int(d["total"]) == st
    ok &= same
    print(f"{'sparse n=' + str(n) + ' ' + str(deg) + '/row':<28}{d['solve_seconds']:>10.3f}"
          f"{d['parse_seconds']:>10.3f}{ts:>10.3f}{ts / d['solve_seconds']:>7.1f}x  {d['total']} "
          f"({'yes' if same else 'NO: scipy ' + str(st)})", flush=True)

    nc, npos = (20000, 4000) if args.quick else (200000, 40000)
    path = os.path.join(args.dir, f"hr_{nc}_{npos}.txt")
    write_hr(path, rng, nc, npos, 20)
    print()
    for side in ("candidates", "positions"):
        d = run_tb(args.bin, ["stable", path, "--proposing", side], 3)
        ok &= d["blocking_pairs"] == 0
        print(f"stable {nc} x {npos}, lists of 20, {side} proposing: solve {d['solve_seconds']:.3f} s, "
              f"parse {d['parse_seconds']:.3f} s, matched {d['matched']}, "
              f"blocking pairs {d['blocking_pairs']} (goal: solve < 1 s)", flush=True)
    print("\nall totals identical" if ok else "\nMISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
