#!/usr/bin/env python3
"""Regenerate iso3166-1.csv, iso4217.csv and iso639-1.csv in data/codes/.

Inputs (Debian packages, read at authoring time only, never at run time):
  iso-codes          /usr/share/iso-codes/json/iso_3166-1.json, iso_4217.json, iso_639-2.json
  unicode-cldr-core  /usr/share/unicode/cldr/common/supplemental/supplementalData.xml
Minor units of ISO 4217 are not in iso-codes: they are the table MINOR_EXCEPTIONS below
(every current code not listed has 2), written from the ISO 4217 list of current codes.

usage: python3 data/codes/tools/make-iso.py [OUTDIR]   (python3 standard library only)
"""
import csv
import json
import os
import sys
import xml.etree.ElementTree as ET

ISO = "/usr/share/iso-codes/json"
CLDR = "/usr/share/unicode/cldr/common/supplemental/supplementalData.xml"

# ISO 4217 minor units that differ from 2.  "N/A" = funds, metals, testing, no currency.
MINOR_EXCEPTIONS = {
    **{c: "0" for c in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()},
    **{c: "3" for c in "BHD IQD JOD KWD LYD OMR TND".split()},
    **{c: "4" for c in "CLF UYW".split()},
    **{c: "N/A" for c in "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split()},
}

# CLDR statuses that make a language one you must work in: national official ones.
# official_regional (e.g. Catalan in Spain) is left out on purpose.
OFFICIAL = {"official", "de_facto_official"}

# CLDR names Filipino "fil", which has no ISO 639-1 code; Filipino is standardised
# Tagalog, whose ISO 639-1 code is "tl", so the Philippines keep their national language.
CLDR_TO_639_1 = {"fil": "tl"}

# Where CLDR's speaker shares put a language first that is not the language of business
# and administration, name the primary one by hand (it moves to the front).
PRIMARY_FIRST = {"PY": "es"}

# ISO 4217 amendments later than the iso-codes snapshot used (4.15.0): withdrawn codes
# and their successors (HRK -> EUR 2023; SLL -> SLE; ZWL -> ZWG 2024; ANG -> XCG 2025).
WITHDRAWN = {"HRK", "SLL", "ZWL", "ANG"}
ADDED = [{"alpha_3": "XCG", "numeric": "532", "name": "Caribbean Guilder"},
         {"alpha_3": "ZWG", "numeric": "924", "name": "Zimbabwe Gold"}]


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)


def cldr_languages(alpha2_langs):
    """alpha-2 territory -> space-separated ISO 639-1 codes, most speakers first."""
    root = ET.parse(CLDR).getroot()
    out = {}
    for terr in root.iter("territory"):
        t = terr.get("type")
        if not t or len(t) != 2:
            continue
        official, spoken = [], []
        for lp in terr.findall("languagePopulation"):
            base = lp.get("type").split("_")[0]
            base = CLDR_TO_639_1.get(base, base)
            if base not in alpha2_langs:
                continue  # no ISO 639-1 code (e.g. fil, haw): cannot be expressed here
            pct = float(lp.get("populationPercent", "0"))
            (official if lp.get("officialStatus") in OFFICIAL else spoken).append((-pct, base))
        chosen = official or spoken[:1]  # no official language listed: most spoken one
        seen = []
        for _, code in sorted(chosen):
            if code not in seen:
                seen.append(code)
        first = PRIMARY_FIRST.get(t)
        if first in seen:
            seen.remove(first)
            seen.insert(0, first)
        out[t] = " ".join(seen)
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    langs = json.load(open(os.path.join(ISO, "iso_639-2.json"), encoding="utf-8"))["639-2"]
    l1 = sorted((x["alpha_2"], x["name"]) for x in langs if "alpha_2" in x)
    write(os.path.join(outdir, "iso639-1.csv"), ["code", "name"], l1)

    off = cldr_languages({c for c, _ in l1})
    countries = json.load(open(os.path.join(ISO, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    rows = []
    for c in sorted(countries, key=lambda x: x["alpha_2"]):
        rows.append([c["alpha_2"], c["alpha_3"], c["numeric"], c["name"], off.get(c["alpha_2"], "")])
    write(os.path.join(outdir, "iso3166-1.csv"),
          ["alpha2", "alpha3", "numeric", "name", "official_languages"], rows)

    cur = json.load(open(os.path.join(ISO, "iso_4217.json"), encoding="utf-8"))["4217"]
    cur = [c for c in cur if c["alpha_3"] not in WITHDRAWN] + ADDED
    rows = [[c["alpha_3"], c["numeric"], MINOR_EXCEPTIONS.get(c["alpha_3"], "2"), c["name"]]
            for c in sorted(cur, key=lambda x: x["alpha_3"])]
    write(os.path.join(outdir, "iso4217.csv"), ["code", "numeric", "minor_units", "name"], rows)


if __name__ == "__main__":
    main()
