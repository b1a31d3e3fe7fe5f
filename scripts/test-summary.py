#!/usr/bin/env python3
"""Counts test cases across Meson test logs and prints 'N passed, N failed'.

Every test program speaks TAP (cmocka with CMOCKA_MESSAGE_OUTPUT=TAP, node's
test runner with --test-reporter=tap, our conformance runners). A case is a
TAP 'ok'/'not ok' line; '# SKIP' cases are counted as skipped. A program that
failed without reporting a failing case (crash, sanitizer report, timeout)
counts as one failed case, so nothing can fail silently.
"""
import json
import re
import sys

OK = re.compile(r'^\s*(not ok|ok)\b(.*)$')

def main(logs):
    passed = failed = skipped = 0
    problems = []
    tallies = []
    for log in logs:
        try:
            lines = open(log, encoding='utf-8', errors='replace').read().splitlines()
        except FileNotFoundError:
            problems.append(f'{log}: missing (suite did not run)')
            failed += 1
            continue
        for line in lines:
            if not line.strip():
                continue
            try:
                t = json.loads(line)
            except ValueError:
                problems.append(f'{log}: an unreadable line (two test runs wrote the log at once?)')
                failed += 1
                continue
            out = t.get('stdout') or ''
            # Conformance suites print their own tally ("# passed 86 of 86"): show it.
            if t.get('name', '').split(':')[-1].strip().startswith(('conformance', 'engine')):
                for l in out.splitlines():
                    if re.match(r'^#.*(passed|optimum|optima).* of ', l) or re.match(r'^# \w+: passed', l):
                        tallies.append(f"{t['name'].split('/')[-1].strip()}: {l.lstrip('# ')}")
            p = f = s = 0
            for l in out.splitlines():
                # node's TAP nests a file's tests; only leaf results count.
                m = OK.match(l)
                if not m:
                    continue
                if re.search(r'#\s*(SKIP|TODO)', m.group(2), re.I):
                    s += 1
                elif m.group(1) == 'ok':
                    p += 1
                else:
                    f += 1
            if t.get('result') not in ('OK', 'EXPECTEDFAIL', 'SKIP') and f == 0:
                f = 1
                problems.append(f"{t.get('name')}: {t.get('result')} without a failing case (crash or sanitizer report?)")
            passed, failed, skipped = passed + p, failed + f, skipped + s
    for line in sorted(set(tallies)):
        print('conformance: ' + line)
    for pr in problems:
        print('test-summary: ' + pr)
    line = f'{passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line)
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
