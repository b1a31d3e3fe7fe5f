#!/usr/bin/python3
"""`tradebridge impact did|bootstrap` against independent computations:
difference-in-differences with CR1 clustered errors against statsmodels
(OLS, cov_type='cluster', use_t=True) on generated panels, bootstrap
intervals against SciPy's stats.bootstrap, seeds, and bad input. TAP."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

BIN = os.environ["TB_BINARY"]
tmp = tempfile.mkdtemp(prefix="tb-impact-")
n = 0
failed = 0


def check(name, ok, detail=""):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {name}")
    if not ok:
        failed += 1
        for line in str(detail).splitlines()[:8]:
            print("#   " + line)


def run(*args):
    return subprocess.run([BIN, "impact", *args], capture_output=True, text=True)


def close(a, b, rel=1e-8):
    return abs(a - b) <= rel * (1 + abs(b))


def panel(seed, units, periods, start, treated_share, missing, effect):
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(units):
        tr = int(u < units * treated_share)
        base = rng.lognormal(8, 1.2)       # export sales are skewed
        growth = rng.normal(0.04, 0.02)
        for p in range(periods):
            post = int(p >= start)
            y = base * (1 + growth) ** p + effect * tr * post * rng.lognormal(0, 0.5) + rng.normal(0, 300)
            rows.append({"firm": f"SE{u:05d}", "year": 2015 + p, "took_part": tr, "post": post,
                         "exports": "" if rng.random() < missing else round(y, 2)})
    return pd.DataFrame(rows)


for seed, units, periods, start, share, missing in [(1, 40, 2, 1, 0.5, 0.0), (2, 120, 6, 3, 0.3, 0.08),
                                                     (3, 9, 4, 2, 0.34, 0.0), (4, 2000, 5, 2, 0.2, 0.1)]:
    df = panel(seed, units, periods, start, share, missing, 4000)
    path = os.path.join(tmp, f"panel{seed}.csv")
    df.to_csv(path, index=False)
    d = df[df.exports != ""].copy()
    d["exports"] = d.exports.astype(float)
    m = smf.ols("exports ~ took_part * post", d).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d.firm)[0]}, use_t=True)
    r = run("did", path, "--outcome", "exports", "--unit", "firm", "--period", "year", "--treated", "took_part",
            "--json")
    name = f"did matches statsmodels: {units} firms x {periods} periods, {int(missing * 100)}% missing"
    if r.returncode != 0:
        check(name, False, r.stderr)
        continue
    j = json.loads(r.stdout)
    k = "took_part:post"
    lo, hi = m.conf_int().loc[k]
    ok = (close(j["estimate"], m.params[k]) and close(j["se"], m.bse[k]) and close(j["t"], m.tvalues[k])
          and close(j["p"], m.pvalues[k], 1e-6) and close(j["ci95"][0], lo, 1e-7) and close(j["ci95"][1], hi, 1e-7)
          and j["observations"] == len(d) and j["units"] == d.firm.nunique()
          and j["missing_outcome"] == len(df) - len(d))
    check(name, ok, f"ours {j['estimate']} se {j['se']} p {j['p']}; statsmodels {m.params[k]} se {m.bse[k]} "
                    f"p {m.pvalues[k]}")
    if seed == 2:
        trends = {t["period"]: t for t in j["trends"]}
        want = d[d.took_part == 1].groupby("year").exports.mean()
        check("did --json gives the treated group's mean per period (pre-trends)",
              all(close(trends[str(y)]["treated_mean"], v) for y, v in want.items()))

# Staggered adoption: firms that start in 2017 and in 2019. The pooled estimate
# comes with a warning naming the start periods and counts, and each start
# period gets its own estimate (its firms against those never treated, post =
# from that start on), checked against statsmodels on the same subset.
rng = np.random.default_rng(21)
rows = []
for u in range(90):
    start = 2017 if u < 20 else 2019 if u < 50 else None
    base = rng.lognormal(8, 1)
    for yr in range(2015, 2022):
        post = int(yr >= (start or 2018))   # the file's post for the never treated: from 2018
        eff = 0 if not post or start is None else (5000 if start == 2017 else 1000)
        rows.append({"firm": f"F{u:03d}", "year": yr, "took_part": int(start is not None), "post": post,
                     "exports": round(base * 1.03 ** (yr - 2015) + eff + rng.normal(0, 300), 2)})
df = pd.DataFrame(rows)
path = os.path.join(tmp, "staggered.csv")
df.to_csv(path, index=False)
r = run("did", path, "--outcome", "exports", "--unit", "firm", "--period", "year", "--treated", "took_part", "--json")
j = json.loads(r.stdout) if r.returncode == 0 else {}
st = j.get("staggered", {})
check("did warns when treated units start in different periods, naming them and their counts",
      "2017: 20 units, 2019: 30 units" in st.get("warning", "") and "staggered adoption" in st.get("warning", ""),
      r.stdout + r.stderr)
ok = len(st.get("start_periods", [])) == 2
for e in st.get("start_periods", []):
    g = int(e["period"])
    d = df[(df.took_part == 0) | df.firm.isin(df[(df.took_part == 1) & (df.post == 1)].groupby("firm").year.min()
                                           .loc[lambda x: x == g].index)].copy()
    d["post"] = (d.year >= g).astype(int)
    m = smf.ols("exports ~ took_part * post", d).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d.firm)[0]}, use_t=True)
    k = "took_part:post"
    ok = ok and close(e["estimate"], m.params[k]) and close(e["se"], m.bse[k]) and e["comparison_units"] == 40
check("did gives the estimate per start period, matching statsmodels on that cohort and the never treated", ok,
      json.dumps(st)[:600])
r = run("did", path, "--outcome", "exports", "--unit", "firm", "--period", "year", "--treated", "took_part")
check("did's text output states the staggered-start warning and the per-period estimates",
      "warning" in r.stdout and "from 2017" in r.stdout and "from 2019" in r.stdout, r.stdout)
p1 = os.path.join(tmp, "panel1.csv")
r = run("did", p1, "--outcome", "exports", "--unit", "firm", "--period", "year", "--treated", "took_part", "--json")
check("a panel where every treated unit starts together has no staggered warning",
      r.returncode == 0 and "staggered" not in json.loads(r.stdout), r.stderr)

# Bootstrap against SciPy (different generators: agreement within a share of the width).
rng = np.random.default_rng(11)
gain = rng.lognormal(12, 1.1, 800)          # skewed export gains
cost = rng.uniform(2e5, 4e5, 800)
path = os.path.join(tmp, "gains.csv")
pd.DataFrame({"gain": gain.round(2), "cost": cost.round(2)}).to_csv(path, index=False)
g, c = pd.read_csv(path).gain.values, pd.read_csv(path).cost.values
for stat, fn in [("mean", np.mean), ("median", np.median)]:
    r = run("bootstrap", path, "--column", "gain", "--stat", stat, "--resamples", "20000", "--seed", "5", "--json")
    j = json.loads(r.stdout)
    width = j["ci95"]["percentile"][1] - j["ci95"]["percentile"][0]
    for method, key in [("percentile", "percentile"), ("BCa", "bca")]:
        ref = stats.bootstrap((g,), fn, n_resamples=20000, method=method, random_state=9,
                              vectorized=True if stat == "mean" else False).confidence_interval
        ok = (abs(j["ci95"][key][0] - ref.low) < 0.06 * width and abs(j["ci95"][key][1] - ref.high) < 0.06 * width
              and close(j["estimate"], fn(g)))
        check(f"bootstrap {stat} {method} interval agrees with SciPy", ok,
              f"ours {j['ci95'][key]} scipy {[ref.low, ref.high]}")
r = run("bootstrap", path, "--column", "gain", "--ratio-to", "cost", "--resamples", "5000", "--json")
j = json.loads(r.stdout)
est = g.sum() / c.sum()
idx = np.random.default_rng(3).integers(0, len(g), (5000, len(g)))
ratios = np.sort(g[idx].sum(1) / c[idx].sum(1))
lo, hi = np.quantile(ratios, [0.025, 0.975])
check("bootstrap of a ratio takes the ratio of sums in each resample",
      close(j["estimate"], est) and abs(j["ci95"]["percentile"][0] - lo) < 0.06 * (hi - lo)
      and abs(j["ci95"]["percentile"][1] - hi) < 0.06 * (hi - lo), f"{j} vs {lo} {hi}")
a = run("bootstrap", path, "--column", "gain", "--seed", "77", "--json").stdout
b = run("bootstrap", path, "--column", "gain", "--seed", "77", "--json").stdout
c2 = run("bootstrap", path, "--column", "gain", "--seed", "78", "--json").stdout
check("the same seed gives the same interval, another seed another",
      a == b and json.loads(a)["ci95"] != json.loads(c2)["ci95"] and json.loads(a)["seed"] == 77)

# Missing is missing, never 0.
path = os.path.join(tmp, "missing.csv")
with open(path, "w") as f:
    f.write("gain\n10\n\n20\nNA\n30\n,\n")
with open(path, "w") as f:
    f.write("gain,x\n10,1\n,1\n20,1\nNA,1\n30,1\n")
r = run("bootstrap", path, "--column", "gain", "--json", "--resamples", "500")
j = json.loads(r.stdout) if r.returncode == 0 else {}
check("empty and NA cells are left out and counted, not read as 0",
      j.get("n") == 3 and j.get("missing") == 2 and close(j.get("estimate", 0), 20.0), r.stdout + r.stderr)
r = run("bootstrap", path, "--column", "gain", "--resamples", "500")
check("the text output says how many rows were left out", "2 rows with an empty cell left out" in r.stdout, r.stdout)

# Bad input: one line on stderr naming the place, exit 2 (1 when the file cannot be read).
def bad(name, content, args, want_rc, want):
    p = os.path.join(tmp, "bad.csv")
    with open(p, "w") as f:
        f.write(content)
    r = run(*[x if x != "FILE" else p for x in args])
    check(name, r.returncode == want_rc and want in r.stderr and r.stderr.count("\n") == 1 and r.stdout == "",
          f"exit {r.returncode}: {r.stderr}")


P = "unit,period,treated,post,y\n"
bad("did: a cell that is not a number names its line and column", P + "a,1,1,0,5\na,2,1,1,x7\n",
    ["did", "FILE", "--outcome", "y"], 2, "line 3, column y: 'x7' is not a number")
bad("did: a missing column names it and lists the header", P + "a,1,1,0,5\n",
    ["did", "FILE", "--outcome", "sales"], 2, "no column 'sales' in the header (it has: unit, period, treated, post, y)")
bad("did: two rows for one unit and period are refused", P + "a,1,1,0,5\na,1,1,0,6\n",
    ["did", "FILE", "--outcome", "y"], 2, "line 3: a second row for unit 'a' in period '1'")
bad("did: a unit treated in some rows only is refused", P + "a,1,1,0,5\na,2,0,1,6\n",
    ["did", "FILE", "--outcome", "y"], 2, "unit 'a' is marked treated in some rows and not in others")
bad("did: treated must be 0 or 1", P + "a,1,2,0,5\n", ["did", "FILE", "--outcome", "y"], 2,
    "line 2, column treated: expected 0 or 1, got '2'")
bad("did: a design without comparison units says which cell is empty",
    P + "a,1,1,0,5\na,2,1,1,6\nb,1,1,0,5\nb,2,1,1,9\nc,1,1,0,1\n", ["did", "FILE", "--outcome", "y"], 2,
    "no observations of comparison units before")
bad("bootstrap: --ratio-to does not go with the median", "g,c\n1,2\n",
    ["bootstrap", "FILE", "--column", "g", "--ratio-to", "c", "--stat", "median"], 2, "does not go with --stat median")
bad("bootstrap: --resamples out of range", "g\n1\n", ["bootstrap", "FILE", "--column", "g", "--resamples", "5"], 2,
    "--resamples: expected 100 to 1000000")
bad("bootstrap: a stray quote is reported with its line", 'g\n1\n"2\n', ["bootstrap", "FILE", "--column", "g"], 2,
    "malformed quoting")
r = run("did", os.path.join(tmp, "nope.csv"), "--outcome", "y")
check("a missing file exits 1 and says why", r.returncode == 1 and "No such file or directory" in r.stderr, r.stderr)
r = run("did", "x.csv")
check("did without --outcome is a usage error", r.returncode == 2 and "--outcome COL is required" in r.stderr)

print(f"1..{n}")
sys.exit(1 if failed else 0)
