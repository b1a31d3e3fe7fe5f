// trade_lib.mjs - the trade data the market tests import into a test server's
// database: the real BACI shrimp extract and GeoDist (and World Bank on request).
import assert from 'node:assert/strict';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './lib.mjs';

export const tradeData = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/trade');

export function importTrade(db, { wdi = false } = {}) {
  const steps = [
    ['trade', 'import', '--db', db, '--quiet', `${tradeData}/baci/BACI_HS12_Y2018_shrimp6.csv`],
    ['trade', 'import-geo', '--db', db, `${tradeData}/cepii/dist_cepii.csv.gz`],
  ];
  if (wdi) steps.push(['trade', 'import-wdi', '--db', db, '--gdp', `${tradeData}/worldbank/gdp.csv.gz`,
    '--population', `${tradeData}/worldbank/population.csv.gz`]);
  for (const args of steps) {
    const r = runCli(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  }
}
