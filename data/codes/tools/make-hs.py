#!/usr/bin/env python3
"""Regenerate data/codes/hs2022.csv from the shared HS 2022 nomenclature.

Input: shared/data/trade/hs/harmonized-system.csv (datahub.io core dataset
"harmonized-system", ODC-PDDL, text from UN Comtrade; see shared SOURCES.md), columns
section,hscode,description,parent,level.  The file holds one edition (HS 2022) and one
"TOTAL" pseudo-row, which is dropped; chapters point to TOTAL, so their parent is empty.
Every row is checked: code length equals level, parent exists and is the code's prefix.

usage: python3 data/codes/tools/make-hs.py [SHARED_HS_CSV [OUT_CSV]]   (stdlib only)
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_IN = os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "trade", "hs",
                          "harmonized-system.csv")
DEFAULT_OUT = os.path.join(HERE, "..", "hs2022.csv")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_IN
    dst = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT
    rows = []
    with open(src, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            code, level = r["hscode"].strip(), int(r["level"])
            if code == "TOTAL":
                continue
            parent = r["parent"].strip()
            if parent == "TOTAL":
                parent = ""
            if len(code) != level or not code.isdigit():
                sys.exit(f"bad code/level: {code} {level}")
            if parent and not code.startswith(parent):
                sys.exit(f"parent {parent} is not a prefix of {code}")
            rows.append([code, level, parent, " ".join(r["description"].split())])
    codes = {r[0] for r in rows}
    if len(codes) != len(rows):
        sys.exit("duplicate codes")
    for r in rows:
        if r[2] and r[2] not in codes:
            sys.exit(f"missing parent {r[2]} of {r[0]}")
    rows.sort(key=lambda r: r[0])
    with open(dst, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "level", "parent", "description"])
        w.writerows(rows)
    counts = {lv: sum(1 for r in rows if r[1] == lv) for lv in (2, 4, 6)}
    print(f"{dst}: {len(rows)} codes {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
