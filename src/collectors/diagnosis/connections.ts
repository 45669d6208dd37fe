/**
 * The application's PostgreSQL connections during a window: pg_stat_activity sampled while the
 * endpoint is driven (client backends of the database, ours left out), grouped by application_name.
 * A pool too small for the concurrency shows as few connections, all busy, most of the time.
 */
import type { ConnectionUse } from '../../contracts/diagnosis.js';
import type { CountingSession } from '../postgres/session.js';
import { num } from '../postgres/session.js';
import { OWN_TAG } from './snapshot.js';

/** Time between two pg_stat_activity samples during a window. */
export const CONNECTION_SAMPLE_MS = 50;

export type ConnectionSample = Map<string, { total: number; busy: number }>;

export async function readConnections(session: CountingSession): Promise<ConnectionSample> {
  const rows = await session.query<Record<string, unknown>>(
    `/* ${OWN_TAG} */ select coalesce(application_name, '') as app, count(*)::int as total,
            count(*) filter (where state is not null and state <> 'idle')::int as busy
       from pg_stat_activity
      where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()
        and coalesce(application_name, '') <> 'perf-analyze'
      group by 1`,
  );
  return new Map(rows.map((row) => [String(row.app), { total: num(row.total), busy: num(row.busy) }]));
}

/** Pure: the application that kept the most connections busy over the samples, and how. */
export function connectionUse(samples: readonly ConnectionSample[]): ConnectionUse | null {
  if (samples.length === 0) return null;
  const busySum = new Map<string, number>();
  for (const sample of samples) for (const [app, use] of sample) busySum.set(app, (busySum.get(app) ?? 0) + use.busy);
  const app = [...busySum].sort((a, b) => b[1] - a[1])[0];
  if (!app || app[1] === 0) return null;
  let maxConnections = 0;
  let maxBusy = 0;
  let allBusy = 0;
  for (const sample of samples) {
    const use = sample.get(app[0]);
    if (!use) continue;
    maxConnections = Math.max(maxConnections, use.total);
    maxBusy = Math.max(maxBusy, use.busy);
    if (use.total > 0 && use.busy >= use.total) allBusy += 1;
  }
  return { applicationName: app[0], maxConnections, maxBusy, allBusyPercent: Math.round((allBusy / samples.length) * 1000) / 10, samples: samples.length };
}

/** Samples pg_stat_activity until `done` settles. */
export async function sampleConnectionsDuring<T>(session: CountingSession | null, done: Promise<T>): Promise<{ result: T; samples: ConnectionSample[] }> {
  const samples: ConnectionSample[] = [];
  let finished = false;
  const result = done.finally(() => (finished = true));
  if (session) {
    while (!finished) {
      try {
        samples.push(await readConnections(session));
      } catch {
        break;
      }
      if (!finished) await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, CONNECTION_SAMPLE_MS))]);
    }
  }
  return { result: await result, samples };
}
