/**
 * Faults in the middle of a run, against the real servers the tests start: each run ends within
 * its bound, writes a report that validates against the schema, says in the failed phase what
 * happened, leaves no process of its own behind, and shows no secret in any output.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, tempDir, type CliResult } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { reportSchemaErrors } from '../support/report-schema.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { startDockerEngine, type DockerEngineHandle } from '../support/docker-engine.js';

/** in every URL the runs get: it must appear in no output */
const SECRET = 'Fault-S3cret-pw';
/** environment variable that marks the processes of one run (and their children) */
const RUN_MARKER = 'PERF_ANALYZE_FAULT_RUN';

interface Phase {
  id: string;
  status: string;
  reason?: string;
}
interface Report {
  interrupted: boolean;
  phases: Phase[];
  metrics: Record<string, unknown>;
}

interface FaultRun {
  result: CliResult;
  elapsedMs: number;
  /** ms from the fault to the exit */
  afterFaultMs: number | null;
  /** the value of RUN_MARKER in this run's environment */
  marker: string;
  report: Report;
  texts: string[];
}

/**
 * Runs the binary and injects `fault` when a stderr line matches `when` (after `delayMs`).
 * Every wait here has a deadline: the child is killed after `timeoutMs`.
 */
async function runWithFault(args: string[], options: { when: RegExp; delayMs?: number; fault: (child: ChildProcess) => void | Promise<void>; timeoutMs: number; env?: Record<string, string> }): Promise<FaultRun> {
  const work = await tempDir('perf-analyze-fault-');
  const out = path.join(work, 'reports');
  const started = performance.now();
  let faultAt: number | null = null;
  const marker = path.basename(work);
  const result = await runCli([...args, '-o', out, '--no-color'], {
    cwd: work,
    timeoutMs: options.timeoutMs,
    env: { ...options.env, [RUN_MARKER]: marker },
    onSpawn(child, output) {
      const watch = setInterval(() => {
        if (!options.when.test(output.stderr())) return;
        clearInterval(watch);
        setTimeout(() => {
          faultAt = performance.now();
          void options.fault(child);
        }, options.delayMs ?? 0);
      }, 20);
      child.once('exit', () => clearInterval(watch));
    },
  });
  const ended = performance.now();
  const files = (await readdir(out)).filter((name) => !name.startsWith('.')).sort();
  const texts = await Promise.all(files.map((file) => readFile(path.join(out, file), 'utf8')));
  const json = files.findIndex((file) => file.startsWith('performance_analysis_report_'));
  if (json < 0) throw new Error(`no report written; exit ${result.code}; stderr:\n${result.stderr}`);
  return { result, marker, elapsedMs: ended - started, afterFaultMs: faultAt === null ? null : ended - faultAt, report: JSON.parse(texts[json]!) as Report, texts };
}

function expectSound(run: FaultRun, phaseId: string, status: RegExp, reason: RegExp) {
  expect(reportSchemaErrors(run.report)).toBe('');
  const phase = run.report.phases.find((candidate) => candidate.id === phaseId);
  expect(phase?.status).toMatch(status);
  expect(phase?.reason ?? '').toMatch(reason);
  expect(run.result.stderr).not.toMatch(/\n\s+at /);
  for (const text of [run.result.stdout, run.result.stderr, ...run.texts]) expect(text).not.toContain(SECRET);
}

/**
 * Processes the run left behind: every process of the run, and every one it started (a demo's
 * PostgreSQL, Redis and app), inherits RUN_MARKER in its environment; `ps` gives their command lines.
 */
function leftover(marker: string, alsoInEnvironment: string[] = []): string[] {
  const needles = [`${RUN_MARKER}=${marker}`, ...alsoInEnvironment];
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const ours = pids.filter((pid) => {
    try {
      const environment = readFileSync(`/proc/${pid}/environ`, 'latin1');
      return needles.some((needle) => environment.includes(needle));
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
  if (ours.length === 0) return [];
  return execFileSync('ps', ['-o', 'pid=,args=', '-p', ours.join(',')], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

const config = async (content: object) => {
  const dir = await tempDir('perf-analyze-fault-config-');
  const file = path.join(dir, 'perf-analyze.json');
  await writeFile(file, JSON.stringify(content));
  return file;
};

/** A tiny API in its own process, so that a test can kill it. */
async function startApiProcess(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', `require('node:http').createServer((req, res) => setTimeout(() => res.end('ok'), 2)).listen(${port}, '127.0.0.1', () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the API process did not start in 10 s')), 10_000);
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

describe('faults in the middle of a run', () => {
  test('PostgreSQL stopped during the database phase: the database phase says so, the run goes on', async () => {
    const server: PostgresServer = await startPostgres();
    try {
      const url = server.urlFor('postgres').replace('postgres@', `postgres:${SECRET}@`);
      const run = await runWithFault(['-c', await config({ system: { sampleSeconds: 0.3 }, database: { sampleSeconds: 4 } }), '--database-url', url], {
        // the docker phase ended: the database phase is in its sampling window
        when: /Docker containers: /,
        delayMs: 1000,
        fault: () => void execFileSync('runuser', ['-u', 'postgres', '--', path.join(server.binDir, 'pg_ctl'), '-D', server.dataDir, '-m', 'immediate', '-w', 'stop']),
        timeoutMs: 60_000,
      });
      expect(run.result.code).not.toBeNull();
      expect(run.afterFaultMs).not.toBeNull();
      expect(run.afterFaultMs!).toBeLessThan(30_000);
      expectSound(run, 'database', /^(error|partial)$/, /PostgreSQL/);
      expect(leftover(run.marker)).toEqual([]);
    } finally {
      await server.stop().catch(() => undefined);
    }
  }, 90_000);

  test('Redis killed during the key scan: the database phase says so, the report is whole', async () => {
    const redis: RedisServer = await startRedis({ requirepass: SECRET });
    try {
      // enough keys that a slow scan (10 per SCAN call) runs for seconds
      const keys = Array.from({ length: 60_000 }, (_, i) => `*3\r\n$3\r\nSET\r\n$${`key:${i}`.length}\r\nkey:${i}\r\n$1\r\nv\r\n`).join('');
      execFileSync('redis-cli', ['-p', String(redis.port), '-a', SECRET, '--no-auth-warning', '--pipe'], { input: keys });
      const url = `redis://:${SECRET}@127.0.0.1:${redis.port}`;
      const run = await runWithFault(
        ['-c', await config({ system: { sampleSeconds: 0.3 }, redis: { sampleSeconds: 0.3, pingSamples: 5, scanCount: 10, maxScanSeconds: 30 } }), '--redis-url', url],
        { when: /Docker containers: /, delayMs: 1500, fault: () => void redis.process.kill('SIGKILL'), timeoutMs: 60_000 },
      );
      expect(run.afterFaultMs!).toBeLessThan(20_000);
      expectSound(run, 'database', /^(error|partial)$/, /Redis/);
      expect(leftover(run.marker)).toEqual([]);
    } finally {
      await redis.stop().catch(() => undefined);
    }
  }, 90_000);

  test('the API killed during the load test: the api phase names the failed requests, the run ends', async () => {
    const api = await startApiProcess();
    try {
      const run = await runWithFault(
        ['-c', await config({ system: { sampleSeconds: 0.2 }, api: { samples: 3, warmup: 0, timeoutSeconds: 2 }, load: { enabled: true, concurrency: [1, 2, 4], durationSeconds: 2, warmupSeconds: 0, timeoutSeconds: 2 } }), '--api-url', api.url], {
        // the first level finished: the second is under way
        when: /Load test: 1 user/,
        delayMs: 500,
        fault: () => void api.process.kill('SIGKILL'),
        timeoutMs: 60_000,
      });
      expect(run.afterFaultMs!).toBeLessThan(20_000);
      expectSound(run, 'api', /^partial$/, /the API stopped answering during the load test: at \d+ users \d+ of \d+ requests found no server/);
      const load = run.report.metrics.load as { ladder: Array<{ errors: { total: number } }> };
      expect(load.ladder.reduce((total, level) => total + level.errors.total, 0)).toBeGreaterThan(0);
      expect(leftover(run.marker)).toEqual([]);
    } finally {
      api.process.kill('SIGKILL');
    }
  }, 90_000);

  test('SIGINT during the load test: exit 130 within 5 s, a partial report marked interrupted', async () => {
    const api = await startApiProcess();
    try {
      const run = await runWithFault(
        ['-c', await config({ system: { sampleSeconds: 0.2 }, api: { samples: 3, warmup: 0 }, load: { enabled: true, concurrency: [1, 2, 4], durationSeconds: 5, warmupSeconds: 0 } }), '--api-url', api.url],
        { when: /API performance|Load test: 1 user/, delayMs: 1000, fault: (child) => void child.kill('SIGINT'), timeoutMs: 60_000 },
      );
      expect(run.result.code).toBe(130);
      expect(run.afterFaultMs!).toBeLessThan(5_000);
      expect(run.report.interrupted).toBe(true);
      expectSound(run, 'api', /^(partial|error|skipped)$/, /interrupted/);
      expect(leftover(run.marker)).toEqual([]);
    } finally {
      api.process.kill('SIGKILL');
    }
  }, 90_000);

  test('SIGTERM during the diagnosis of the demo: exit 130 within 5 s, the demo stack stopped, nothing left behind', async () => {
    // bcrypt cost 4: the API phase's logins take milliseconds, so the diagnosis starts about a second after
    // the database phase and then waits 10 s for PostgreSQL's counters before its control window
    const run = await runWithFault(['demo', '--samples', '3', '--sample-seconds', '0.2', '--no-load', '--fault', 'bcrypt-cost=4'], {
      when: /Databases: /,
      delayMs: 5000,
      fault: (child) => void child.kill('SIGTERM'),
      timeoutMs: 120_000,
    });
    expect(run.result.code === 130 || run.result.signal === 'SIGTERM').toBe(true);
    expect(run.afterFaultMs!).toBeLessThan(5_000);
    expect(run.report.interrupted).toBe(true);
    expectSound(run, 'api', /^(partial|error|skipped)$/, /Cross-layer diagnosis: interrupted/);
    // the demo app runs with an environment of its own: it is found by the demo database it uses
    const databaseUrl = (run.report as unknown as { target: { components: { database: { url: string } } } }).target.components.database.url;
    const demoPort = /:(\d+)\//.exec(databaseUrl)?.[1];
    expect(demoPort).toBeDefined();
    expect(leftover(run.marker, [`127.0.0.1:${demoPort}/`])).toEqual([]);
  }, 150_000);

  describe('the Docker engine stopped during the Docker phase', () => {
    let engine: DockerEngineHandle;
    beforeAll(async () => {
      engine = await startDockerEngine({ own: true });
      const image = await engine.busyboxImage();
      await engine.docker(['run', '-d', '--network', 'none', '--name', `${engine.prefix}-sleeper`, image, 'sleep', '600']);
    }, 120_000);
    afterAll(async () => {
      await engine.stop();
    }, 60_000);

    test('the docker phase says the engine stopped answering; the run ends in time', async () => {
      // SIGSTOP: the engine keeps its socket open and answers nothing, the case a per-call timeout and the deadline are for
      const run = await runWithFault(['-c', await config({ system: { sampleSeconds: 3 }, docker: { timeoutSeconds: 2 } }), '--docker-host', engine.host], {
        // the system phase ended: the Docker phase is in its window
        when: /Sampling host resources: /,
        delayMs: 1000,
        fault: () => void engine.daemon!.kill('SIGSTOP'),
        timeoutMs: 90_000,
      });
      engine.daemon!.kill('SIGCONT');
      expect(run.afterFaultMs!).toBeLessThan(30_000);
      expectSound(run, 'docker', /^(error|partial)$/, /Docker/);
      expect(leftover(run.marker)).toEqual([]);
      // the engine answers again: the run left no container of its own (only the test's sleeper)
      const names = (await engine.docker(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter(Boolean);
      expect(names).toEqual([`${engine.prefix}-sleeper`]);
    }, 120_000);
  });
});
