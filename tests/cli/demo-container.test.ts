/**
 * `perf-analyze demo --fault cpu-limit=CORES` end to end: the app runs in a Docker container with that
 * CPU limit (tests/support/docker-engine.ts gives the engine), the Docker phase and the diagnosis see
 * it, and it is removed at the end. Without an engine: a usage error naming what is missing.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/report-schema.js';
import { startDockerEngine, type DockerEngineHandle } from '../support/docker-engine.js';

let engine: DockerEngineHandle;
beforeAll(async () => {
  engine = await startDockerEngine();
}, 120_000);
afterAll(async () => {
  await engine?.stop();
}, 60_000);

describe('perf-analyze demo --fault cpu-limit', () => {
  it('runs the app in a container limited to 0.2 cores; the report shows its limit; the container is gone afterwards', async () => {
    const cwd = await tempDir();
    const result = await runCli(['demo', '--samples', '3', '--sample-seconds', '0.5', '--no-load', '--fault', 'cpu-limit=0.2,bcrypt-cost=4', '--no-color'], {
      cwd,
      timeoutMs: 150_000,
      env: { DOCKER_HOST: engine.host },
    });
    expect(result.stderr).toMatch(/in container perf-analyze-demo-\d+/);
    expect(result.code).toBe(0);
    const files = await readdir(path.join(cwd, 'reports'));
    const report = JSON.parse(await readFile(path.join(cwd, 'reports', files.find((file) => file.endsWith('.json'))!), 'utf8')) as {
      metrics: {
        docker?: { containers: Array<{ name: string; cpu: { limitCores: number | null } }> };
        diagnosis?: { observed: string[]; endpoints: Array<{ resources?: { containers: Array<{ name: string; cpuLimitCores: number | null }> } }> };
      };
    };
    expect(reportSchemaErrors(report)).toBe('');
    const name = /in container (perf-analyze-demo-\d+)/.exec(result.stderr)![1]!;
    expect(report.metrics.diagnosis?.observed).toContain('docker');
    const seen = report.metrics.diagnosis!.endpoints.flatMap((endpoint) => endpoint.resources?.containers ?? []);
    expect(seen.map((container) => [container.name, container.cpuLimitCores])).toContainEqual([name, 0.2]);
    expect(report.metrics.docker?.containers.map((container) => container.name)).toEqual([name]);
    const left = await engine.docker(['ps', '-aq', '--filter', `name=${name}`]);
    expect(left.trim()).toBe('');
  }, 180_000);

  it('no Docker engine: exit 2, says what is needed, nothing left running', async () => {
    const cwd = await tempDir();
    const result = await runCli(['demo', '--fault', 'cpu-limit=0.5'], { cwd, timeoutMs: 60_000, env: { DOCKER_HOST: `unix://${path.join(cwd, 'no-docker.sock')}` } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fault cpu-limit needs a running Docker engine/);
    expect(result.stderr).toMatch(/stopping the demo stack/);
  }, 60_000);

  it('cpu-limit needs a positive number of cores', async () => {
    const cwd = await tempDir();
    const result = await runCli(['demo', '--fault', 'cpu-limit=0'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fault cpu-limit needs a number of cores above 0/);
  });
});
