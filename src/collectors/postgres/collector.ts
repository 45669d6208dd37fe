import type { Collector } from '../collector.js';
import type { Config } from '../../config/schema.js';
import { redactPostgresUrl, type SessionOptions } from '../../ports/postgres.js';
import { collectPostgres, postgresTargets } from './index.js';
import { readIdentity } from './instance.js';
import { CountingSession } from './session.js';
import { errorMessage } from '../../shared/errors.js';

export function sessionOptions(config: Config): SessionOptions {
  return {
    statementTimeoutMs: config.database.statementTimeoutMs,
    lockTimeoutMs: config.database.lockTimeoutMs,
    connectTimeoutMs: config.database.connectTimeoutMs,
  };
}

/** PostgreSQL: configured by database.url / --database-url / DATABASE_URL or database.databases. */
export const postgresCollector: Collector<'postgres'> = {
  id: 'postgres',
  phase: 'database',
  component: 'database',
  label: 'PostgreSQL',
  configured: (config) => postgresTargets(config).length > 0,
  describeTarget: (config) => postgresTargets(config).map((target) => redactPostgresUrl(target.url)).join(', '),
  async probe({ config, ports, signal }) {
    const port = ports.postgres;
    const details: string[] = [];
    const failures: string[] = [];
    for (const target of postgresTargets(config)) {
      if (signal.aborted) break;
      try {
        const session = new CountingSession(await port.connect(target.url, sessionOptions(config)));
        try {
          const identity = await readIdentity(session);
          const [ext] = await session.query<{ installed: boolean }>(
            "select exists (select 1 from pg_extension where extname = 'pg_stat_statements') as installed",
          );
          const privileges = identity.privileges.superuser ? 'superuser' : identity.privileges.readAllStats ? 'pg_read_all_stats' : 'no monitoring role';
          details.push(
            `${target.name}: PostgreSQL ${identity.version} as ${identity.privileges.role} (${privileges}), ` +
              `pg_stat_statements ${ext?.installed ? 'installed' : 'not installed'}`,
          );
        } finally {
          await session.close();
        }
      } catch (error) {
        failures.push(`${target.name}: ${errorMessage(error)}`);
      }
    }
    if (failures.length > 0) throw new Error([...failures, ...details].join('; '));
    return details.join('; ');
  },
  collect: ({ config, ports, signal }) =>
    collectPostgres(ports.postgres, ports.clock, {
      targets: postgresTargets(config),
      sampleSeconds: config.database.sampleSeconds ?? config.system.sampleSeconds,
      latencySamples: config.database.latencySamples,
      topStatements: config.database.topStatements,
      planStatements: config.database.planStatements,
      explainAnalyze: config.database.explainAnalyze,
      session: sessionOptions(config),
      signal,
    }),
};
