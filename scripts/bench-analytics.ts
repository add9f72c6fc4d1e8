/**
 * `pnpm bench:analytics [--json] [--runs N]`
 *
 * Generates a year of hourly counts for 100 cameras (10 sites × 10 cameras, two directions: 1.75 M hourly rollup
 * rows, with the site-local day rollup derived from them) in a fresh PostgreSQL database with generate_series, then
 * times the analytics reports the API serves (the same code path as the routes, without HTTP), p50/p95 over
 * `--runs` runs each on random sites. Baseline in the same run: the year-long day/week/month reports computed
 * from the hourly rollup alone (what a design without a site-local day rollup would do).
 */
import { Command } from 'commander';
import type { CountsQuery } from '@tally/proto';
import { runMain, UsageError } from '@tally/proto/cli';
import type { Database } from '../cloud/src/db/client';
import { scratchDatabase } from '../cloud/src/db/scratch-database';
import { countsReport, type SiteRef } from '../cloud/src/db/queries/analytics';

const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TZ = 'Europe/Berlin';
const SITES = 10;
const CAMERAS_PER_SITE = 10;

function parse() {
  const o = new Command('bench-analytics')
    .option('--json', 'print a JSON object as the last line', false)
    .option('--runs <n>', 'timed runs per query', '60')
    .parse()
    .opts<{ json: boolean; runs: string }>();
  const runs = Number(o.runs);
  if (!Number.isInteger(runs) || runs < 5 || runs > 10_000)
    throw new UsageError('--runs must be an integer 5..10000');
  return { json: o.json, runs };
}

async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  return scratchDatabase('tally_bench_analytics', { poolSize: 2, adminUrl: PG_ADMIN });
}

/** 2026 in Berlin, hour by hour, for every camera: all in SQL, so 1.75 M rows take seconds, not minutes. */
async function generate(database: Database): Promise<SiteRef[]> {
  const [org] = await database.query<{ id: string }>(
    `INSERT INTO organisations (name) VALUES ('bench') RETURNING id`,
  );
  const sites = await database.query<{ id: string }>(
    `INSERT INTO sites (org_id, name, timezone) SELECT $1, 'site ' || g, $2 FROM generate_series(1, $3) g RETURNING id`,
    [org!.id, TZ, SITES],
  );
  await database.query(
    `INSERT INTO rollup_hour (site_id, bucket, device_id, camera_id, rule_id, kind, direction, object_class, count)
     SELECT s.id, h, 'dev-' || s.id, 'cam-' || c, 'door', 'line_cross', d, 'person',
            (abs(hashtext(s.id::text || c || h::text || d)) % 40)
       FROM unnest($1::uuid[]) AS s(id),
            generate_series(1, $2) AS c,
            generate_series(TIMESTAMPTZ '2026-01-01 00:00:00+01', TIMESTAMPTZ '2026-12-31 23:00:00+01', INTERVAL '1 hour') AS h,
            unnest(ARRAY['in', 'out']) AS d`,
    [sites.map((s) => s.id), CAMERAS_PER_SITE],
  );
  await database.query(
    `INSERT INTO rollup_day (site_id, day, device_id, camera_id, rule_id, kind, direction, object_class, count)
     SELECT r.site_id, (r.bucket AT TIME ZONE s.timezone)::date, device_id, camera_id, rule_id, kind, direction,
            object_class, sum(count)
       FROM rollup_hour r JOIN sites s ON s.id = r.site_id
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
  );
  await database.query(`ANALYZE`);
  return sites.map((s) => ({ siteId: s.id, timezone: TZ }));
}

interface Case {
  name: string;
  query: CountsQuery;
  table?: 'rollup_hour';
}

const YEAR = { from: '2026-01-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00' };
const CASES: Case[] = [
  { name: 'year by day', query: { ...YEAR, bucket: 'day' } },
  { name: 'year by week per camera', query: { ...YEAR, bucket: 'week', groupBy: 'camera' } },
  {
    name: 'year by month per direction, vs previous year',
    query: { ...YEAR, bucket: 'month', groupBy: 'direction', compare: true },
  },
  {
    name: 'month by hour',
    query: { from: '2026-10-01T00:00:00+02:00', to: '2026-11-01T00:00:00+01:00', bucket: 'hour' },
  },
  {
    name: 'week by hour per camera',
    query: {
      from: '2026-10-19T00:00:00+02:00',
      to: '2026-10-26T00:00:00+01:00',
      bucket: 'hour',
      groupBy: 'camera',
    },
  },
  {
    name: 'day by 15 minutes',
    query: { from: '2026-10-25T00:00:00+02:00', to: '2026-10-26T00:00:00+01:00', bucket: '15m' },
  },
];
const BASELINE: Case[] = CASES.slice(0, 3).map((c) => ({
  ...c,
  name: `${c.name} (hourly rollup only)`,
  table: 'rollup_hour',
}));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(database: Database, sites: SiteRef[], c: Case, runs: number) {
  const samples: number[] = [];
  for (let i = 0; i < runs + 3; i += 1) {
    const site = sites[i % sites.length]!;
    const start = performance.now();
    await countsReport(database, site, c.query, c.table ? { table: c.table } : {});
    if (i >= 3) samples.push(performance.now() - start); // three warm-up runs
  }
  samples.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    name: c.name,
    p50: r(percentile(samples, 50)),
    p95: r(percentile(samples, 95)),
    max: r(samples.at(-1)!),
  };
}

async function main() {
  const options = parse();
  const { database, drop } = await freshDatabase();
  try {
    const genStart = performance.now();
    const sites = await generate(database);
    const [rows] = await database.query<{ h: string; d: string }>(
      `SELECT (SELECT count(*) FROM rollup_hour) AS h, (SELECT count(*) FROM rollup_day) AS d`,
    );
    const generateSeconds = (performance.now() - genStart) / 1000;
    const results = [];
    for (const c of CASES) results.push(await time(database, sites, c, options.runs));
    const baseline = [];
    for (const c of BASELINE) baseline.push(await time(database, sites, c, options.runs));
    const worstP95 = Math.max(...results.map((r) => r.p95));
    const summary = {
      bench: 'analytics',
      cameras: SITES * CAMERAS_PER_SITE,
      sites: SITES,
      hourlyRows: Number(rows!.h),
      dailyRows: Number(rows!.d),
      generateSeconds: +generateSeconds.toFixed(1),
      runs: options.runs,
      queries: results,
      baseline,
      worstP95Ms: worstP95,
      target: { p95Ms: 100 },
      met: worstP95 < 100,
    };
    if (!options.json) {
      console.log(
        `${summary.hourlyRows} hourly rows, ${summary.dailyRows} daily rows (${summary.generateSeconds} s to generate)`,
      );
      for (const r of [...results, ...baseline])
        console.log(`${r.name.padEnd(60)} p50 ${r.p50} ms  p95 ${r.p95} ms`);
    }
    console.log(JSON.stringify(summary));
  } finally {
    await drop();
  }
}

runMain(main);
