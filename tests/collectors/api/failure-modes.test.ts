/** Failure modes give findings, never crashes (test-local servers on free loopback ports). */
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../../support/free-port.js';
import { analyse } from './support.js';

const run = promisify(execFile);
const servers: Array<http.Server | https.Server> = [];

async function listen(server: http.Server | https.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const ruleIds = (findings: Array<{ ruleId: string }>) => findings.map((finding) => finding.ruleId);

describe('API failure modes', () => {
  it('connection refused: critical availability finding on api:instance', async () => {
    const port = await freePort();
    const { metrics, findings } = await analyse({ baseUrl: `http://127.0.0.1:${port}` });
    expect(metrics.reachable).toBe(false);
    expect(metrics.unreachable?.errorClass).toBe('refused');
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'api-unreachable', severity: 'critical', category: 'availability', subject: 'api:instance' })]);
  });

  it('unknown host (.invalid): a finding naming DNS', async () => {
    const { metrics, findings } = await analyse({ baseUrl: 'http://x.invalid' });
    expect(metrics.unreachable?.errorClass).toBe('dns');
    expect(findings[0]).toMatchObject({ ruleId: 'api-unreachable', subject: 'api:instance' });
    expect(findings[0]!.recommendation).toMatch(/does not resolve/);
  });

  it('timeouts: a server that never answers', async () => {
    const port = await listen(http.createServer(() => undefined));
    const started = Date.now();
    const { metrics, findings } = await analyse({ baseUrl: `http://127.0.0.1:${port}`, timeoutSeconds: 0.3, samples: 20 });
    expect(metrics.unreachable?.errorClass).toBe('timeout');
    expect(findings[0]).toMatchObject({ ruleId: 'api-unreachable', severity: 'critical' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('timeouts after a good start: counted per endpoint, sampling stops after a few', async () => {
    let count = 0;
    const port = await listen(
      http.createServer((req, res) => {
        count += 1;
        if (count <= 2) res.end('ok');
      }),
    );
    const { metrics, findings } = await analyse({ baseUrl: `http://127.0.0.1:${port}`, timeoutSeconds: 0.3, samples: 20, warmup: 0 });
    const endpoint = metrics.endpoints[0]!;
    expect(endpoint.errors.timeout).toBe(3);
    expect(endpoint.requests).toBe(4);
    expect(findings.find((finding) => finding.ruleId === 'api-error-rate')).toMatchObject({ severity: 'critical', subject: 'endpoint:GET /health' });
  });

  it('5xx bursts: error rate against the success-rate KPI', async () => {
    let count = 0;
    const port = await listen(
      http.createServer((req, res) => {
        count += 1;
        res.statusCode = count % 10 < 3 ? 503 : 200;
        res.end('{}');
      }),
    );
    const { metrics, findings } = await analyse({ baseUrl: `http://127.0.0.1:${port}`, samples: 50, warmup: 0 });
    expect(metrics.endpoints[0]!.serverErrors).toBeGreaterThan(10);
    const finding = findings.find((candidate) => candidate.ruleId === 'api-error-rate')!;
    expect(finding.message).toMatch(/503/);
    expect(finding.severity).toBe('critical');
  });

  it('redirect loops: critical finding with the chain', async () => {
    const port = await listen(
      http.createServer((req, res) => {
        res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
        res.end();
      }),
    );
    const { metrics, findings } = await analyse({ baseUrl: `http://127.0.0.1:${port}`, endpoints: [{ path: '/a' }], samples: 3 });
    expect(metrics.endpoints[0]!.redirect).toMatchObject({ loop: true, leftOrigin: false });
    expect(findings.find((finding) => finding.ruleId === 'api-redirect-loop')).toMatchObject({ severity: 'critical', subject: 'endpoint:GET /a' });
    expect(ruleIds(findings)).not.toContain('api-unexpected-status');
  });

  it('a redirect to another origin is never followed', async () => {
    const port = await listen(
      http.createServer((req, res) => {
        res.writeHead(301, { location: 'http://example.invalid/elsewhere' });
        res.end();
      }),
    );
    const { metrics, findings } = await analyse({ baseUrl: `http://127.0.0.1:${port}`, samples: 2 });
    expect(metrics.endpoints[0]!.redirect).toMatchObject({ leftOrigin: true, loop: false, hops: [{ status: 301 }] });
    expect(ruleIds(findings)).toContain('api-unexpected-status');
  });

  it('a huge body: cut at the cap and reported', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const port = await listen(
      http.createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 64; i++) res.write(chunk); // 4 MiB
        res.end();
      }),
    );
    const { metrics, findings } = await analyse({ baseUrl: `http://127.0.0.1:${port}`, maxBodyBytes: 100_000, samples: 3, warmup: 0 });
    const endpoint = metrics.endpoints[0]!;
    expect(endpoint.bodyCapHits).toBe(3);
    expect(endpoint.bodyBytes.max).toBe(100_000);
    expect(findings.find((finding) => finding.ruleId === 'api-body-cap')).toMatchObject({ severity: 'warning', subject: 'endpoint:GET /health' });
  });

  describe('a self-signed certificate', () => {
    let dir: string;
    let port: number;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-tls-'));
      await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
      const server = https.createServer({ key: await readFile(path.join(dir, 'key.pem')), cert: await readFile(path.join(dir, 'cert.pem')) }, (req, res) => res.end('ok'));
      port = await listen(server);
    }, 30_000);
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('is refused unless insecure', async () => {
      const { metrics, findings } = await analyse({ baseUrl: `https://127.0.0.1:${port}` });
      expect(metrics.unreachable?.errorClass).toBe('tls');
      expect(findings).toEqual([expect.objectContaining({ ruleId: 'api-tls-refused', severity: 'critical', subject: 'api:instance' })]);
    });

    it('is measured with insecure: true, TLS handshake timed', async () => {
      const { metrics, findings } = await analyse({ baseUrl: `https://127.0.0.1:${port}`, insecure: true, samples: 3 });
      expect(metrics.reachable).toBe(true);
      expect(metrics.endpoints[0]!.statusCodes).toEqual({ '200': 3 });
      expect(ruleIds(findings)).not.toContain('api-tls-refused');
    });
  });

  it('times the connection phases of a new connection', async () => {
    const port = await listen(http.createServer((req, res) => res.end('ok')));
    const { realHttpPort } = await import('../../../src/ports/http.js');
    const client = realHttpPort.client(`http://localhost:${port}/some/base`, { insecure: false, connectTimeoutMs: 1000 });
    try {
      const first = await client.request({ method: 'GET', path: '/x', timeoutMs: 1000, maxBodyBytes: 1000 });
      const second = await client.request({ method: 'GET', path: '/x', timeoutMs: 1000, maxBodyBytes: 1000 });
      expect(first.ok && second.ok).toBe(true);
      expect(first.timing.reusedConnection).toBe(false);
      expect(first.timing.connectMs).toBeGreaterThan(0);
      expect(second.timing.reusedConnection).toBe(true);
      expect(second.timing.connectMs).toBe(0);
      await expect(client.request({ method: 'GET', path: '//evil.example/x', timeoutMs: 1000, maxBodyBytes: 1000 })).rejects.toThrow(/only paths under/);
    } finally {
      await client.close();
    }
  });
});
