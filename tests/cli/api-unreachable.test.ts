/**
 * An API where nothing listens: the API phase says it could not measure anything (`error` with the
 * reason), never `ok`, and the api-unreachable finding is still raised; with the load test on, the
 * load collector says the same. A port is taken and released so that nothing listens on it.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import path from 'node:path';
import { runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/report-schema.js';

let dir: string;
let url: string;

beforeAll(async () => {
  dir = await tempDir('perf-analyze-api-unreachable-');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  url = `http://127.0.0.1:${port}`;
});

interface ReportShape {
  phases: Array<{ id: string; status: string; reason?: string }>;
  findings: Array<{ ruleId: string; severity: string; subject: string }>;
}

describe('an API where nothing listens', () => {
  it('the API phase is error with the reason; the finding says the API is unreachable', async () => {
    const result = await runCli(['--json', '--sample-seconds', '0.3', '--api-url', url, '--load', '--load-concurrency', '1,2', '--load-duration', '0.5', '-o', path.join(dir, 'a')], {
      cwd: dir,
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', DATABASE_URL: '', REDIS_URL: '' },
    });
    const report = JSON.parse(result.stdout) as ReportShape;
    expect(reportSchemaErrors(report)).toBe('');
    const api = report.phases.find((phase) => phase.id === 'api')!;
    expect(api.status).toBe('error');
    expect(api.reason).toContain(`the API at ${url} could not be reached`);
    expect(api.reason).toContain('the API did not answer at any level');
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'api-unreachable', severity: 'critical', subject: 'api:instance' })]));
    expect(result.code).toBe(1);
  }, 60_000);
});
