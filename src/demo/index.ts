/**
 * The demo stack of `perf-analyze demo` (and of the API tests): throw-away PostgreSQL and Redis,
 * the target app on a free loopback port, and the configuration that analyses it.
 */
import pg from 'pg';
import type { ConfigInput } from '../config/schema.js';
import { startPostgres, startRedis, type PostgresService, type RedisService, type Service } from './services.js';
import { startTargetApp, type AppLauncher, type TargetApp, type TargetAppFaults } from './target-app.js';

export { MissingBinaryError } from './services.js';
export type { AppLauncher, TargetAppFaults } from './target-app.js';

/** The demo's credentials: passed to the app and, as ${VAR}s, to the login of the analysis. */
export const DEMO_USER_VARIABLE = 'PERF_DEMO_USER';
export const DEMO_PASSWORD_VARIABLE = 'PERF_DEMO_PASSWORD';
export const DEMO_CREDENTIALS = { user: 'demo@example.com', password: 'demo-password-not-secret' };

export interface DemoStack {
  postgres: PostgresService;
  redis: RedisService;
  /** starts one more target app against its own database (tests compare faults side by side) */
  startApp(faults?: TargetAppFaults, options?: { seedUsers?: number; launcher?: AppLauncher }): Promise<DemoApp>;
  stop(): Promise<void>;
  stopSync(): void;
}

/** A running target app and the database and Redis it uses (the demo analyses all three). */
export interface DemoApp extends TargetApp {
  databaseUrl: string;
  redisUrl: string;
}

export interface DemoStackOptions {
  onStep?: (text: string) => void;
}

export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const started: Service[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    started.length = 0;
  };
  try {
    options.onStep?.('starting a throw-away PostgreSQL');
    const postgres = await startPostgres();
    started.push(postgres);
    options.onStep?.('starting a throw-away Redis');
    const redis = await startRedis();
    started.push(redis);
    let apps = 0;
    return {
      postgres,
      redis,
      async startApp(faults = {}, appOptions = {}) {
        apps += 1;
        const database = `demo_${apps}`;
        const client = new pg.Client({ connectionString: postgres.url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${database}`);
        } finally {
          await client.end();
        }
        options.onStep?.('starting the demo target app');
        const app = await startTargetApp({
          databaseUrl: postgres.urlFor(database),
          redisUrl: redis.url,
          redisPrefix: `${database}:`,
          faults,
          demoUser: DEMO_CREDENTIALS.user,
          demoPassword: DEMO_CREDENTIALS.password,
          ...(appOptions.seedUsers !== undefined ? { seedUsers: appOptions.seedUsers } : {}),
          ...(appOptions.launcher ? { launcher: appOptions.launcher } : {}),
        });
        started.push(app);
        return Object.assign(app, { databaseUrl: postgres.urlFor(database), redisUrl: redis.url });
      },
      stop: stopAll,
      stopSync() {
        for (const service of started.reverse()) service.stopSync();
        started.length = 0;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The environment the demo's login reads its credentials from (${PERF_DEMO_USER}, ${PERF_DEMO_PASSWORD}). */
export function demoEnvironment(): Record<string, string> {
  return { [DEMO_USER_VARIABLE]: DEMO_CREDENTIALS.user, [DEMO_PASSWORD_VARIABLE]: DEMO_CREDENTIALS.password };
}

/** The API section that analyses the demo app: its endpoints and its login, credentials as ${VAR}s. */
export function demoApiConfig(baseUrl: string, samples = 20) {
  return {
    baseUrl,
    samples,
    endpoints: [
      { path: '/health' },
      { path: '/api/v1/user/profile', auth: true },
      { path: '/api/v1/performance/health' },
    ],
    login: {
      path: '/api/v1/auth/jwt/login',
      body: { username: `\${${DEMO_USER_VARIABLE}}`, password: `\${${DEMO_PASSWORD_VARIABLE}}` },
      contentType: 'form',
      tokenPath: 'access_token',
    },
  } satisfies NonNullable<ConfigInput['api']>;
}
