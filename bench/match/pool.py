#!/usr/bin/python3
"""pool.py - a match run from the whole pool at scale, end to end.

Generates an operator's pool (default 50,000 graduates) and one cohort's open
positions (default 5,000) with realistic languages (a native language, English
at B1-C2 for most, sometimes a third), ISCED-F fields, months lived in other
countries, mobility, availability dates and consent (95%; 4% already placed),
and positions at companies in Nordic/Baltic/central European countries that
ask for English and the language of their target market at B1-C1. Writes the
input of a run (the shape POST /api/v1/match-runs builds) and runs
`tradebridge match run FILE --summary` with source "pool" for both engines.

What is timed: compute_seconds = candidate generation, scoring, solve and the
explanations of every graduate, inside the binary after the JSON is parsed
(parse_seconds, reported apart), wall clock and CPU time of the process (on
a shared, loaded machine the two differ); max_rss_kb is the peak memory.

usage: pool.py [--bin build/tradebridge] [--graduates 50000] [--positions 5000]
               [--repeat 3] [--dir /tmp/tb-bench-pool]
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys

SEED = 20261207
COUNTRIES = {  # country: official language
    "SE": "sv", "FI": "fi", "DK": "da", "NO": "no", "EE": "et", "LV": "lv", "LT": "lt", "PL": "pl",
    "DE": "de", "AT": "de", "NL": "nl", "FR": "fr", "ES": "es", "IT": "it", "PT": "pt", "CZ": "cs",
}
HOME = ["SE", "FI", "DK", "EE", "LV", "LT", "PL", "DE"]
FIELDS = ["0311", "0410", "0411", "0413", "0414", "0416", "0417", "0222", "0231", "0232", "0714", "0715",
          "0721", "0731", "0811", "1015"]
LEVELS = ["A2", "B1", "B2", "C1", "C2"]
HS = ["8413", "8414", "8481", "9403", "4418", "2204", "0303", "3004", "8501", "8708", "6110", "9018"]
TITLES = ["Export assistant", "Market analyst", "Sales trainee", "Export coordinator", "Business developer",
          "Customer success trainee", "Logistics trainee"]


def date(rng, lo_month, hi_month):
    return f"2026-{rng.randint(lo_month, hi_month):02d}-{rng.randint(1, 28):02d}"


def graduates(rng, n):
    out = []
    langs = list(set(COUNTRIES.values()))
    for i in range(n):
        home = rng.choice(HOME)
        ls = [{"code": COUNTRIES[home], "level": "native"}]
        if rng.random() < 0.9:
            ls.append({"code": "en", "level": rng.choice(LEVELS[1:])})
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            code = rng.choice(langs)
            if all(x["code"] != code for x in ls):
                ls.append({"code": code, "level": rng.choice(LEVELS)})
        stays = [{"country": rng.choice(list(COUNTRIES)), "months": rng.randint(3, 24), "kind": "studied"}
                 for _ in range(rng.choice([0, 0, 1, 1, 2]))]
        g = {"id": i + 1, "name": f"Graduate {i + 1}", "residence": home, "nationality": home,
             "field": rng.choice(FIELDS), "languages": ls, "countries": stays,
             "mobility": [] if rng.random() < 0.6 else rng.sample(list(COUNTRIES), 3),
             "available_from": date(rng, 5, 10), "version": 1}
        if rng.random() < 0.95:
            g["consent"] = {"purpose": "matching", "text_version": "1", "given_at": "2026-01-01T00:00:00Z"}
        if rng.random() < 0.04:
            g["placed"] = True
        out.append(g)
    return out


def positions(rng, n, n_companies):
    companies = [{"id": k + 1, "nace": rng.choice(["28.13", "28.14", "31.01", "10.20", "11.02", "46.90"])}
                 for k in range(n_companies)]
    home_of = {c["id"]: rng.choice(HOME) for c in companies}
    out = []
    for i in range(n):
        cid = rng.randint(1, n_companies)
        markets = rng.sample([c for c in COUNTRIES if c != home_of[cid]], rng.choice([1, 1, 2]))
        req = [{"code": "en", "min_level": "B2"}]
        ml = COUNTRIES[markets[0]]
        if ml != "en":
            req.append({"code": ml, "min_level": rng.choice(["B1", "B2", "C1"])})
        out.append({"id": 100000 + i, "title": rng.choice(TITLES), "company_id": cid,
                    "company_name": f"Company {cid}", "places": rng.choice([1, 1, 1, 2]),
                    "languages": req, "target_markets": markets, "fields": rng.sample(FIELDS, 2),
                    "location_country": "" if rng.random() < 0.1 else home_of[cid],
                    "products": [rng.choice(HS)], "start_date": date(rng, 7, 11), "status": "open",
                    "version": 1})
    return out, companies


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build", "tradebridge"))
    ap.add_argument("--graduates", type=int, default=50000)
    ap.add_argument("--positions", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/tb-bench-pool")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    rng = random.Random(SEED)
    grads = graduates(rng, args.graduates)
    poss, companies = positions(rng, args.positions, max(1, args.positions // 3))
    # a few applications, as in a live cohort
    apps = [{"id": k + 1, "graduate_id": rng.randint(1, args.graduates), "position_id": rng.choice(poss)["id"],
             "stage": "applied"} for k in range(args.positions // 2)]
    print(f"pool: {args.graduates} graduates x {args.positions} open positions, {len(apps)} applications, "
          f"seed {SEED}; median of {args.repeat} runs")
    ok = True
    for engine, opts in (("assign", {"source": "pool", "mode": "partial"}),
                         ("stable", {"source": "pool", "proposing": "candidates"})):
        path = os.path.join(args.dir, f"pool_{engine}.json")
        with open(path, "w") as f:
            json.dump({"engine": engine, "options": opts, "weights": None, "graduates": grads,
                       "positions": poss, "companies": companies, "applications": apps, "constraints": []}, f)
        runs = []
        for _ in range(args.repeat):
            p = subprocess.run([args.bin, "match", "run", path, "--summary"], capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"tradebridge failed: {p.stderr.strip()}")
            runs.append(json.loads(p.stdout))
        s = runs[0]
        comp = statistics.median(r["compute_seconds"] for r in runs)
        cpu = statistics.median(r["compute_cpu_seconds"] for r in runs)
        parse = statistics.median(r["parse_seconds"] for r in runs)
        rss = max(r["max_rss_kb"] for r in runs)
        ok &= comp < 2.0
        print(f"{engine:<7} compute {comp:.3f} s [{min(r['compute_seconds'] for r in runs):.3f}-"
              f"{max(r['compute_seconds'] for r in runs):.3f}] wall (goal < 2 s), CPU {cpu:.3f} s, JSON parse {parse:.3f} s, "
              f"peak memory {rss / 1024:.0f} MiB; pairs scored {s['pool']['pairs_scored']}, "
              f"pairs kept {s['pairs_considered']}, eligible {s['pool']['eligible']}, "
              f"assigned {s['assigned']} ({s['suggestions']} suggestions)", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
