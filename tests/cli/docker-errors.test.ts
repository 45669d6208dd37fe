/**
 * A configured Docker engine that cannot be read never stops the run: the docker phase is
 * "error" with a reason that says what to do, a docker:engine finding is raised, and the host
 * phase and the report are there as usual. No engine is needed: a missing socket, a stale one
 * (its server killed) and one the user may not open stand in for the failures.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/report-schema.js';

const NOBODY = 65534;
let dir: string;
let privateServer: net.Server;
let privateSocket: string;
let staleSocket: string;

interface Phase { id: string; status: string; reason?: string }
interface ReportShape {
  phases: Phase[];
  findings: Array<{ ruleId: string; severity: string; subject: string; message: string }>;
  metrics: Record<string, unknown>;
}

beforeAll(async () => {
  dir = await tempDir('perf-analyze-docker-errors-');
  // a socket only root may open
  privateSocket = path.join(dir, 'private.sock');
  privateServer = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => privateServer.listen(privateSocket, resolve));
  await chmod(privateSocket, 0o600);
  // a stale socket: its server was killed, the file stays (an engine that crashed or was stopped)
  staleSocket = path.join(dir, 'stale.sock');
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(staleSocket)}, () => console.log('up'))`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  expect(existsSync(staleSocket)).toBe(true);
});

afterAll(() => {
  privateServer?.close();
});

async function runWith(dockerHost: string, options: { uid?: number } = {}): Promise<{ code: number | null; report: ReportShape; files: string[] }> {
  const out = path.join(dir, `reports-${Math.random().toString(36).slice(2)}`);
  await mkdir(out);
  await chmod(out, 0o777);
  const result = await runCli(['--json', '--sample-seconds', '0.3', '--docker-host', dockerHost, '-o', out], {
    cwd: dir,
    env: { DOCKER_HOST: '' },
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
  });
  const report = JSON.parse(result.stdout) as ReportShape;
  expect(reportSchemaErrors(report)).toBe('');
  return { code: result.code, report, files: await readdir(out) };
}

function expectEngineError(report: ReportShape, reason: RegExp): void {
  const docker = report.phases.find((phase) => phase.id === 'docker')!;
  expect(docker.status).toBe('error');
  expect(docker.reason).toMatch(reason);
  expect(report.phases.find((phase) => phase.id === 'system')!.status).toBe('ok');
  expect(report.metrics.system).toBeDefined();
  expect(report.metrics.docker).toBeUndefined();
  const finding = report.findings.find((candidate) => candidate.ruleId === 'docker-engine-unreachable')!;
  expect(finding).toMatchObject({ severity: 'warning', subject: 'docker:engine' });
  expect(finding.message).toMatch(reason);
}

describe('Docker engine that cannot be read', () => {
  test('no socket at the path: error "no Docker engine socket", report written', async () => {
    const { report, files } = await runWith(path.join(dir, 'absent.sock'));
    expectEngineError(report, /no Docker engine socket at unix:\/\/.*absent\.sock/);
    expect(files.some((file) => file.endsWith('.json'))).toBe(true);
    expect(files.some((file) => file.endsWith('.txt'))).toBe(true);
  });

  test('a stopped engine (stale socket): connection refused', async () => {
    const { report } = await runWith(`unix://${staleSocket}`);
    expectEngineError(report, /connection refused at unix:\/\/.*stale\.sock: the Docker engine is not running/);
    const check = (report.metrics.prerequisites as { checks: Array<{ id: string; ok: boolean }> }).checks.find((c) => c.id === 'docker-reachable');
    expect(check).toMatchObject({ ok: false });
  });

  test('a socket without permission (run as nobody): permission denied', async () => {
    const { report } = await runWith(privateSocket, { uid: NOBODY });
    expectEngineError(report, /permission denied on unix:\/\/.*private\.sock/);
  });

  test('nothing listening on a TCP engine URL: connection refused', async () => {
    const server = net.createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
    await new Promise((resolve) => server.close(resolve));
    const { report } = await runWith(`tcp://127.0.0.1:${port}`);
    expectEngineError(report, new RegExp(`connection refused at tcp://127\\.0\\.0\\.1:${port}`));
  });

  test('docker.enabled false: skipped with that reason', async () => {
    const out = path.join(dir, 'reports-disabled');
    const config = path.join(dir, 'disabled.yaml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(config, 'docker:\n  enabled: false\n');
    const result = await runCli(['--json', '--sample-seconds', '0.3', '-c', config, '-o', out], { cwd: dir, env: { DOCKER_HOST: '/nowhere.sock' } });
    const report = JSON.parse(result.stdout) as ReportShape;
    expect(report.phases.find((phase) => phase.id === 'docker')).toMatchObject({ status: 'skipped', reason: 'not configured: docker.enabled is false' });
    expect(report.findings.some((finding) => finding.ruleId === 'docker-engine-unreachable')).toBe(false);
  });

  test('a bad --docker-host is a usage error naming the flag', async () => {
    const result = await runCli(['--docker-host', 'ssh://me@host'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--docker-host');
    expect(result.stderr).toContain('unix socket path');
  });
});
