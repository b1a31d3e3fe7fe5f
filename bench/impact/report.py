#!/usr/bin/python3
"""The full impact report (issue 14) over 1,000,000 baseline export-sales
rows: 100,000 companies x 5 markets x 2 years, plus the 12-month follow-up
answers (about 80% respond, 5 markets each), programme cost per placement,
by cohort and in total, with bootstrap intervals - TradeBridge (`tradebridge impact
report`, end to end: SQLite, JSON, conversion, grouping, medians, bootstrap,
JSON out) against the same computation in pandas/NumPy from DataFrames
already in memory (reading not included, which favours Python).

  bench/impact/report.py --bin build/tradebridge [--companies N] [--resamples B] [--repeat R]
"""
import argparse
import json
import os
import resource
import sqlite3
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
ap.add_argument("--companies", type=int, default=100000)
ap.add_argument("--resamples", type=int, default=1000)
ap.add_argument("--repeat", type=int, default=3)
ap.add_argument("--keep", metavar="DIR", help="build the database in DIR, keep it and write DIR/report.json "
                "(to compare the report's bytes between two builds)")
args = ap.parse_args()
tmp = args.keep or tempfile.mkdtemp(prefix="tb-bench-report-")
db = os.path.join(tmp, "bench.db")
subprocess.run([args.bin, "demo", "--db", db, "--no-serve", "--force"], check=True, capture_output=True, cwd=tmp)

n = args.companies
rng = np.random.default_rng(14)
con = sqlite3.connect(db)
org = con.execute("SELECT id FROM orgs WHERE name = 'ITM Sweden'").fetchone()[0]
now = "2026-01-01T00:00:00Z"
markets = ["DE", "NO", "DK", "FI", "PL", "US", "GB", "AT", "IT", "FR"]
cohorts = []
for y in (2019, 2020, 2021, 2022):
    cur = con.execute("INSERT INTO cohorts (org_id, name, start_date, end_date, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                      (org, f"Bench {y}", f"{y}-02-01", f"{y}-07-31", now, now))
    cohorts.append((cur.lastrowid, y))
base = rng.lognormal(15, 1.2, (n, 5)).round()
growth = rng.lognormal(0.05, 0.3, n)
answered = rng.random(n) < 0.8
attr = rng.integers(0, 101, n)
created = rng.integers(0, 40, n) / 10
kept = rng.integers(0, 30, n) / 10
nps = rng.integers(0, 11, n)
sat = rng.choice(["exceeded", "met", "below"], n, p=[0.5, 0.4, 0.1])
keep = rng.random(n) < 0.55
cost = rng.integers(15000000, 20000000, n)
rows = {"company": [], "cohort": [], "base_year": []}
for i in range(n):
    cid, y = cohorts[i % 4]
    comp = con.execute("INSERT INTO companies (org_id, legal_name, country, nace, employees, created_at, updated_at) "
                       "VALUES (?,?,?,?,?,?,?)", (org, f"Bench company {i}", "SE", "28.13", 40, now, now)).lastrowid
    grad = con.execute("INSERT INTO graduates (org_id, name, created_at, updated_at) VALUES (?,?,?,?)",
                       (org, f"Bench trainee {i}", now, now)).lastrowid
    pl = con.execute("INSERT INTO placements (org_id, graduate_id, company_id, cohort_id, start_date, end_date, status, "
                     "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                     (org, grad, comp, cid, f"{y}-02-01", f"{y}-07-31", "completed", now, now)).lastrowid
    sales = [{"market": markets[(i + k) % 10], "year": yy, "amount_minor": int(base[i, k] * (0.95 if yy == y - 2 else 1))}
             for k in range(5) for yy in (y - 2, y - 1)]
    con.execute("INSERT INTO impact_baselines (company_id, org_id, year, currency, turnover_minor, employees, fte, sales, "
                "updated_at) VALUES (?,?,?,?,?,?,?,?,?)", (comp, org, y - 1, "SEK", int(base[i].sum() * 4), 40, 36.0,
                                                           json.dumps(sales), now))
    con.execute("INSERT INTO impact_costs VALUES (?,?,?,?,?,?,?)", (pl, org, "SEK", int(cost[i]), 3000000, 9000000, now))
    ans = None
    if answered[i]:
        ans = json.dumps({"export_sales": [{"market": markets[(i + k) % 10], "year": y + 1, "currency": "SEK",
                                            "amount_minor": int(base[i, k] * growth[i])} for k in range(5)],
                          "jobs_created_fte": float(created[i]), "jobs_kept_fte": float(kept[i]), "kept_on": bool(keep[i]),
                          "attribution_pct": int(attr[i]), "satisfaction": str(sat[i]), "nps": int(nps[i])})
    con.execute("INSERT INTO impact_surveys (org_id, placement_id, respondent, wave, token_hash, expires_at, sent_at, answers, "
                "submitted_at) VALUES (?,?,?,?,?,?,?,?,?)", (org, pl, "company", "m12", f"bench-{i}", 0, now,
                                                             ans or "{}", now if ans else None))
    rows["company"].append(i)
    rows["cohort"].append(f"Bench {y}")
    rows["base_year"].append(y - 1)
con.commit()
total_rows = con.execute("SELECT sum(json_array_length(sales)) FROM impact_baselines").fetchone()[0]
con.close()


def cpu():
    """CPU seconds of this process and its finished children: the machine may be shared."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def best(fn):
    t, c = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), cpu()
        out = fn()
        t.append(time.perf_counter() - t0)
        c.append(cpu() - c0)
    return (min(t), min(c)), out


def ours():
    r = subprocess.run([args.bin, "impact", "report", "--db", db, "--operator", str(org), "--group", "cohort",
                        "--resamples", str(args.resamples)], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout)


# pandas: the same rows as DataFrames (baseline sales, follow-up sales, answers, cost).
units = pd.DataFrame(rows)
bsales = pd.DataFrame({"company": np.repeat(np.arange(n), 10),
                       "year": np.tile(np.repeat([0, 1], 1), 5 * n) + np.repeat(units.base_year.values - 1, 10),
                       "amount": np.stack([base * 0.95, base], axis=2).reshape(-1).round()})
fsales = pd.DataFrame({"company": np.repeat(np.arange(n)[answered], 5),
                       "amount": (base[answered] * growth[answered, None]).astype(np.int64).reshape(-1)})
ans = pd.DataFrame({"company": np.arange(n)[answered], "attr": attr[answered], "created": created[answered],
                    "kept": kept[answered], "nps": nps[answered], "sat": sat[answered], "keep": keep[answered]})
costs = pd.DataFrame({"company": np.arange(n), "cost": cost + 3000000})


def theirs():
    b = bsales.merge(units[["company", "base_year"]], on="company")
    b = b[b.year == b.base_year].groupby("company").amount.sum().rename("base")
    f = fsales.groupby("company").amount.sum().rename("follow")
    u = units.set_index("company").join(b).join(f).join(ans.set_index("company")).join(costs.set_index("company"))
    u["change"] = u.follow - u.base
    u["attributable"] = u.change * u.attr / 100
    g = np.random.default_rng(5)
    out = {}
    for key, grp in [*u.groupby("cohort"), ("total", u)]:   # the groups and the total, as the report
        fig = {}
        for m in ("change", "attributable", "follow", "created", "kept"):
            x = grp[m].dropna().to_numpy()
            est = np.empty(args.resamples)
            for s in range(0, args.resamples, 50):
                idx = g.integers(0, len(x), (min(50, args.resamples - s), len(x)))
                est[s:s + len(idx)] = x[idx].mean(axis=1)
            fig[m] = (x.mean(), np.median(x), *np.quantile(est, [0.025, 0.975]), len(x))
        a = grp.dropna(subset=["attributable"])
        gain, c = a.attributable.to_numpy(), a.cost.to_numpy()
        est = np.empty(args.resamples)
        for s in range(0, args.resamples, 50):
            idx = g.integers(0, len(gain), (min(50, args.resamples - s), len(gain)))
            est[s:s + len(idx)] = gain[idx].sum(axis=1) / c[idx].sum(axis=1) - 1
        fig["roi"] = (gain.sum() / c.sum() - 1, *np.quantile(est, [0.025, 0.975]))
        fig["nps"] = ((grp.nps >= 9).mean() - (grp.nps <= 6).mean()) * 100
        fig["sat"] = grp.sat.value_counts().to_dict()
        fig["retention"] = grp.keep.dropna().mean()
        out[key] = fig
    return out


a, report = best(ours)
if args.keep:
    with open(os.path.join(tmp, "report.json"), "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
b, peer = best(theirs)
ours_mean = {g["key"]: g["export_change"]["mean"] for g in report["groups"]}
for k, fig in peer.items():
    if k == "total":   # ours also holds the demo's placements of the operator
        continue
    assert abs(ours_mean[k] - fig["change"][0]) <= 1e-6 * abs(fig["change"][0]) + 1, (k, ours_mean[k], fig["change"][0])
print(f"impact report by cohort, {total_rows:,} baseline export-sales rows + {int(answered.sum()) * 5:,} follow-up rows, "
      f"{n:,} placements, {args.resamples:,} resamples per interval")
print(f"{'':<48} {'wall':>9} {'CPU':>9}")
print(f"{'TradeBridge (impact report, end to end)':<48} {a[0]:>8.3f}s {a[1]:>8.3f}s")
print(f"{'pandas/NumPy (from memory)':<48} {b[0]:>8.3f}s {b[1]:>8.3f}s   ratio (CPU) {b[1] / a[1]:.2f}x")
print("the mean export change per cohort agrees between the two")
