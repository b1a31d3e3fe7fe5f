#!/usr/bin/env python3
"""Cohort progress grid: GET /api/v1/cohorts/{id}/progress for a cohort of
N trainees x M modules (default 1,000 x 12) on the demo database, timed from
the client (keep-alive, one connection), p50/p99 over --requests calls; the
peer is the grid's SQL run directly through Python's sqlite3 on the same file.
The fixture is written with plain SQL into a copy of the demo database."""
import argparse, http.client, json, os, random, re, shutil, sqlite3, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument('--bin', required=True)
ap.add_argument('--requests', type=int, default=200)
ap.add_argument('--trainees', type=int, default=1000)
ap.add_argument('--modules', type=int, default=12)
args = ap.parse_args()

tmp = tempfile.mkdtemp(prefix='tb-bench-training-')
db = os.path.join(tmp, 'bench.db')
subprocess.run([args.bin, 'demo', '--db', db, '--no-serve'], check=True, stdout=subprocess.DEVNULL, cwd=tmp)

con = sqlite3.connect(db)
cur = con.cursor()
org = 2
cur.execute("INSERT INTO cohorts (org_id, name, start_date, end_date, curriculum_version, created_at, updated_at) "
            "VALUES (?, 'Bench cohort', '2026-01-01', '2026-12-31', 'ITM@1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", (org,))
cohort = cur.lastrowid
company = cur.execute("SELECT id FROM companies WHERE org_id = ? LIMIT 1", (org,)).fetchone()[0]
cv, content = cur.execute("SELECT id, content FROM curriculum_versions LIMIT 1").fetchone()
# Each module carries its deliverable adapted to the company, as a real plan does (JSON text).
deliverables = [json.dumps(m['deliverable']) for m in json.loads(content)['modules']]
gcols = [r[1] for r in cur.execute("PRAGMA table_info(graduates)") if r[1] != 'id']
template = cur.execute("SELECT id FROM graduates WHERE org_id = ? LIMIT 1", (org,)).fetchone()[0]
rng = random.Random(7)
states = ['planned', 'submitted', 'changes_requested', 'approved']
now = '2026-06-01T00:00:00Z'
for t in range(args.trainees):
    sel = ', '.join({'name': '?', 'email': '?', 'user_id': 'NULL'}.get(c, c) for c in gcols)
    cur.execute(f"INSERT INTO graduates ({', '.join(gcols)}) SELECT {sel} FROM graduates WHERE id = ?",
                (f'Bench Trainee {t:04d}', f'bench{t}@example.org', template))
    g = cur.lastrowid
    cur.execute("INSERT INTO placements (org_id, graduate_id, company_id, cohort_id, start_date, end_date, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, '2026-01-01', '2026-12-31', 'signed', ?, ?)", (org, g, company, cohort, now, now))
    p = cur.lastrowid
    cur.execute("INSERT INTO learning_plans (org_id, placement_id, curriculum_version_id, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)", (org, p, cv, now, now))
    plan = cur.lastrowid
    for m in range(args.modules):
        s = rng.choice(states)
        cur.execute("INSERT INTO plan_modules (org_id, plan_id, placement_id, position, code, title, mandatory, selected, "
                    "planned_start, due_date, deliverable, state, test_state, result, last_activity, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, 1, 1, '2026-01-01', ?, ?, ?, ?, ?, ?, ?)",
                    (org, plan, p, m + 1, f'M{m + 1:02d}', f'Module {m + 1}', f'2026-{1 + m % 12:02d}-28',
                     deliverables[m % len(deliverables)], s,
                     'passed' if s == 'approved' else rng.choice(['none', 'failed']),
                     rng.randint(50, 100) if s == 'approved' else None, now, now))
con.commit()
# The grid's statement (src/store/stmts_training.inc, PROGRESS_GRID) with the tenant bound.
sql = ("SELECT m.placement_id, g.name AS trainee, m.code, m.state, m.test_state, m.result, m.selected, "
       "m.due_date, m.last_activity FROM plan_modules m JOIN placements p ON p.id = m.placement_id "
       "JOIN graduates g ON g.id = p.graduate_id WHERE p.cohort_id = :cohort_id AND (:all = 1 OR m.org_id = :tenant) "
       "ORDER BY p.id, m.position")
con.close()

srv = subprocess.Popen([args.bin, 'serve', '--db', db, '--listen', '127.0.0.1:0', '--log-level', 'warn'],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp)
port = None
for line in srv.stdout:
    m = re.search(r'listening on http://127\.0\.0\.1:(\d+)', line)
    if m:
        port = int(m.group(1))
        break
try:
    c = http.client.HTTPConnection('127.0.0.1', port)
    c.request('POST', '/api/v1/auth/login', json.dumps({'email': 'coordinator@demo.tradebridge.org', 'password': 'TradeBridge-demo-2026'}),
              {'Content-Type': 'application/json'})
    r = c.getresponse()
    cookie = r.getheader('Set-Cookie').split(';')[0]
    r.read()
    path = f'/api/v1/cohorts/{cohort}/progress'
    def api():
        c.request('GET', path, headers={'Cookie': cookie})
        resp = c.getresponse()
        body = resp.read()
        assert resp.status == 200, body[:200]
        return body
    raw = api()
    body = json.loads(raw)
    assert len(body['trainees']) == args.trainees and len(body['modules']) == args.modules, (len(body['trainees']), len(body['modules']))
    def cpu():   # the server's user + system CPU time (seconds)
        f = open(f'/proc/{srv.pid}/stat').read().rsplit(')', 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')
    cpu0 = cpu()
    times = []
    for _ in range(args.requests):
        t0 = time.perf_counter(); api(); times.append(time.perf_counter() - t0)
    server_cpu = (cpu() - cpu0) / args.requests * 1000
    ro = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    peer = []
    pcpu0 = time.process_time()
    for _ in range(args.requests):
        t0 = time.perf_counter()
        rows = ro.execute(sql, {'cohort_id': cohort, 'tenant': org, 'all': 0}).fetchall()
        peer.append(time.perf_counter() - t0)
    peer_cpu = (time.process_time() - pcpu0) / args.requests * 1000
    assert len(rows) == args.trainees * args.modules
finally:
    srv.terminate()
    srv.wait()
    shutil.rmtree(tmp, ignore_errors=True)

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000

print(f'cohort progress grid, {args.trainees} trainees x {args.modules} modules, {args.requests} requests')
print(f'  API (GET {path}, JSON {len(raw) // 1024} KiB): p50 {pct(times, 50):.1f} ms, p99 {pct(times, 99):.1f} ms')
print(f'  server CPU per request (user + system, independent of other load): {server_cpu:.1f} ms; '
      f'load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores')
print(f'  peer (the grid query alone, Python sqlite3): p50 {pct(peer, 50):.1f} ms, p99 {pct(peer, 99):.1f} ms; '
      f'CPU per query {peer_cpu:.1f} ms')
print(f'  ratio API/peer in CPU time per answer (steadier on a loaded machine): {server_cpu / peer_cpu:.2f}')
print(f'  ratio API/peer at p99: {pct(times, 99) / pct(peer, 99):.2f}; goal: API p99 under 50 ms -> '
      f'{"met" if pct(times, 99) < 50 else "NOT met"}')
