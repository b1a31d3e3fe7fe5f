// duck.mjs - the DuckDB side of bench/trade (npm @duckdb/node-api, bench only):
// loads the same BACI-shaped CSV, builds the same aggregates (flows ordered by
// product, W_k, X_ik, M_jk, A_ij, H_ij), then runs the same rankings (every market
// of one HS6 product for one home country: import value, home exports and
// share, suppliers, HHI, supply, ease of trade, potential, untapped and a
// weighted percentile-rank score) as one SQL query each, on the jobs that
// bench_rank wrote. usage: node duck.mjs FILE.csv JOBS.txt [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [file, jobsFile, threads = '2'] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const now = () => performance.now();

let t0 = now();
await con.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${file}', header = true,
  columns = {'t': 'SMALLINT', 'i': 'SMALLINT', 'j': 'SMALLINT', 'k': 'INTEGER', 'v': 'DOUBLE', 'q': 'DOUBLE'},
  nullstr = 'NA')`);
const tLoad = now() - t0;
t0 = now();
await con.run(`CREATE TABLE flows AS SELECT i, j, k, v, q FROM raw ORDER BY k`);
await con.run(`DROP TABLE raw`);
await con.run(`CREATE TABLE world AS SELECT k, sum(v) AS w FROM flows GROUP BY k`);
await con.run(`CREATE TABLE xk AS SELECT i, k, sum(v) AS x FROM flows GROUP BY i, k`);
await con.run(`CREATE TABLE mk AS SELECT j, k, sum(v) AS m FROM flows GROUP BY j, k`);
await con.run(`CREATE TABLE bil AS SELECT i, j, sum(v) AS a FROM flows GROUP BY i, j`);
// hypothetical trade H_ij = sum_k (X_ik / W_k) M_jk for every pair, as our import builds it
await con.run(`CREATE TABLE hyp AS SELECT xk.i, mk.j, sum(xk.x / world.w * mk.m) AS h
  FROM xk JOIN world USING (k) JOIN mk USING (k) GROUP BY xk.i, mk.j`);
const tAgg = now() - t0;
const rows = Number((await (await con.run('SELECT count(*) FROM flows')).getRows())[0][0]);
console.log(`duckdb load: ${rows} rows, read_csv ${(tLoad / 1000).toFixed(2)} s + order/aggregate ` +
  `${(tAgg / 1000).toFixed(2)} s = ${((tLoad + tAgg) / 1000).toFixed(2)} s ` +
  `(${(rows / (tLoad + tAgg) / 1000).toFixed(2)} M rows/s), threads ${threads}`);

const rank = await con.prepare(`
WITH f AS (SELECT i, j, v FROM flows WHERE k = $2),
mkt AS (SELECT j, sum(v) AS m, count(*) AS suppliers, sum(v * v) AS ss,
               sum(CASE WHEN i = $1 THEN v ELSE 0 END) AS x
        FROM f GROUP BY j),
sup AS (SELECT coalesce(sum(CASE WHEN i = $1 THEN v END), 0) / sum(v) AS s FROM f),
hh AS (SELECT j, h FROM hyp WHERE i = $1),
aa AS (SELECT j, a FROM bil WHERE i = $1),
r AS (SELECT mkt.j, mkt.m, mkt.x, mkt.x / mkt.m AS share, mkt.suppliers,
             mkt.ss / (mkt.m * mkt.m) AS hhi, sup.s AS supply,
             CASE WHEN hh.h > 0 THEN coalesce(aa.a, 0) / hh.h ELSE 0 END AS ease
      FROM mkt CROSS JOIN sup LEFT JOIN hh USING (j) LEFT JOIN aa USING (j)
      WHERE mkt.j <> $1),
p AS (SELECT *, supply * m * ease AS potential, greatest(supply * m * ease - x, 0) AS untapped FROM r)
SELECT *, 100 * (0.25 * percent_rank() OVER (ORDER BY m) + 0.25 * percent_rank() OVER (ORDER BY untapped)
               + 0.05 * percent_rank() OVER (ORDER BY share)
               + 0.10 * (1 - percent_rank() OVER (ORDER BY hhi))) / 0.65 AS score
FROM p ORDER BY score DESC`);

const jobs = readFileSync(jobsFile, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
// Back to back, then paced like bench_rank (TB_BENCH_GAP_US, default 2000 us, before each query);
// the rows as JS values (against bench_rank's "rank only"), then as a JSON body
// (getRowObjectsJson + JSON.stringify, against its "warm (rank + JSON)").
const gapMs = Number(process.env.TB_BENCH_GAP_US ?? 2000) / 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (const json of [false, true]) {
  for (const paced of [false, true]) {
    const ms = [], cpu = [];
    let out = 0;
    for (const [home, hs6] of jobs) {
      if (paced) await sleep(gapMs);
      const t = now(), c = process.cpuUsage();   // CPU of every thread of the process (DuckDB's two and node's)
      rank.bindSmallInt(1, home);
      rank.bindInteger(2, hs6);
      const result = await rank.run();
      const res = json ? await result.getRowObjectsJson() : await result.getRows();
      if (json) JSON.stringify(res);
      ms.push(now() - t);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
      out += res.length;
    }
    ms.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const q = (v, f, digits = 2) => v[Math.min(v.length - 1, Math.floor(v.length * f))].toFixed(digits);
    console.log(`duckdb rank${json ? ' + JSON' : ''}, ${paced ? 'paced' : 'back to back'}: ${ms.length} rankings, ` +
      `${out} market rows, p50 ${q(ms, 0.5)} ms, p99 ${q(ms, 0.99)} ms, max ${ms[ms.length - 1].toFixed(2)} ms; ` +
      `CPU p50 ${q(cpu, 0.5, 3)} ms, CPU p99 ${q(cpu, 0.99, 3)} ms`);
  }
}

// Interleaved (TB_BENCH_RANK="bench_rank DB YEAR"): for each job, TradeBridge's
// ranking in bench_rank's serve mode (it times itself, and sleeps on its pipe
// in between, like a server between requests), then DuckDB's query for the
// same job, alternately, so that both see the same load from other processes.
if (process.env.TB_BENCH_RANK) {
  const { spawn } = await import('node:child_process');
  const [bin, ...args] = process.env.TB_BENCH_RANK.split(' ');
  const child = spawn(bin, [...args, 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let pending = '', waiting = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    pending += d;
    const nl = pending.indexOf('\n');
    if (nl >= 0 && waiting) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const w = waiting;
      waiting = null;
      w(line);
    }
  });
  const ours = (home, hs6, json) => new Promise((resolve) => {
    waiting = resolve;
    child.stdin.write(`${home} ${hs6} ${json ? 1 : 0}\n`);
  });
  const q = (v, f) => v[Math.min(v.length - 1, Math.floor(v.length * f))];
  for (const json of [false, true]) {
    const a = { ms: [], cpu: [], pre: 0 }, b = { ms: [], cpu: [] };
    for (const [home, hs6] of jobs) {
      const [ms, cpu, pre] = (await ours(home, hs6, json)).split(' ').map(Number);
      a.ms.push(ms);
      a.cpu.push(cpu);
      a.pre += pre > 0;
      const t = now(), c = process.cpuUsage();
      rank.bindSmallInt(1, home);
      rank.bindInteger(2, hs6);
      const result = await rank.run();
      const res = json ? await result.getRowObjectsJson() : await result.getRows();
      if (json) JSON.stringify(res);
      b.ms.push(now() - t);
      const d = process.cpuUsage(c);
      b.cpu.push((d.user + d.system) / 1000);
    }
    for (const v of [a.ms, a.cpu, b.ms, b.cpu]) v.sort((x, y) => x - y);
    const what = json ? 'rank + JSON' : 'rank only';
    for (const [label, f] of [['p50', 0.5], ['p99', 0.99]]) {
      console.log(`interleaved ${what}, wall ${label}: TradeBridge ${q(a.ms, f).toFixed(2)} ms, DuckDB ` +
        `${q(b.ms, f).toFixed(2)} ms, ratio ${(q(b.ms, f) / q(a.ms, f)).toFixed(1)}x`);
    }
    for (const [label, f] of [['p50', 0.5], ['p99', 0.99]]) {
      console.log(`interleaved ${what}, CPU ${label}: TradeBridge ${q(a.cpu, f).toFixed(3)} ms, DuckDB ` +
        `${q(b.cpu, f).toFixed(3)} ms, ratio ${(q(b.cpu, f) / q(a.cpu, f)).toFixed(1)}x`);
    }
    console.log(`interleaved ${what}: ${a.pre} of ${jobs.length} TradeBridge rankings preempted; ` +
      `max ${a.ms[a.ms.length - 1].toFixed(2)} ms vs DuckDB ${b.ms[b.ms.length - 1].toFixed(2)} ms`);
  }
  child.stdin.end();
}
