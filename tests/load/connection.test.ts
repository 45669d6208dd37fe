/** The load transport: request bytes, response framing, reconnects and failures (test-local servers on free loopback ports). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from '@jest/globals';
import { encodeRequest, endpointOf, HttpConnection, type Endpoint } from '../../src/load/connection.js';
import { classifyError } from '../../src/load/errors.js';
import { freePort } from '../support/free-port.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A raw TCP server: `onRequest` gets each request head (up to the blank line) and writes what it likes. */
async function rawServer(onRequest: (socket: net.Socket, head: string, index: number) => void): Promise<{ origin: string; connections: () => number }> {
  let connections = 0;
  let index = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        onRequest(socket, head, index++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

interface Exchange {
  status: number;
  error: Error | null;
}

/** A connection whose exchanges resolve promises, one at a time. */
function connect(endpoint: Endpoint) {
  let pending: ((exchange: Exchange) => void) | undefined;
  const connection = new HttpConnection(endpoint, {
    onExchangeEnd(status, error) {
      const resolve = pending;
      pending = undefined;
      resolve?.({ status, error });
    },
  });
  closers.push(async () => connection.close());
  const request = (method = 'GET', requestPath = '/') =>
    new Promise<Exchange>((resolve) => {
      pending = resolve;
      connection.send(encodeRequest(endpoint, { method, path: requestPath, headers: {} }), method === 'HEAD');
    });
  return { connection, request };
}

describe('encodeRequest', () => {
  const endpoint = endpointOf('http://127.0.0.1:8080', 1000);

  test('request line, Host from the origin, keep-alive, the headers, content-length and body', () => {
    const bytes = encodeRequest(endpoint, { method: 'POST', path: '/a?b=1', headers: { 'x-token': 't' }, body: 'héllo' });
    expect(bytes.toString('utf8')).toBe(
      'POST /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nconnection: keep-alive\r\nx-token: t\r\ncontent-length: 6\r\n\r\nhéllo',
    );
  });

  test('a given Host or content-length is not doubled; POST without a body says content-length 0', () => {
    expect(encodeRequest(endpoint, { method: 'GET', path: '/', headers: { Host: 'example.test' } }).toString()).toBe(
      'GET / HTTP/1.1\r\nconnection: keep-alive\r\nHost: example.test\r\n\r\n',
    );
    expect(encodeRequest(endpoint, { method: 'POST', path: '/', headers: {} }).toString()).toContain('content-length: 0\r\n');
    expect(encodeRequest(endpoint, { method: 'GET', path: '/', headers: {} }).toString()).not.toContain('content-length');
  });

  test('IPv6 and default ports', () => {
    expect(endpointOf('http://[::1]:81', 1)).toMatchObject({ hostname: '::1', port: 81, hostHeader: '[::1]:81', secure: false });
    expect(endpointOf('https://localhost', 1)).toMatchObject({ hostname: 'localhost', port: 443, hostHeader: 'localhost', secure: true });
  });

  test('header injection and invalid paths are refused before anything is sent', () => {
    expect(() => encodeRequest(endpoint, { method: 'GET', path: '/', headers: { 'x-a': 'v\r\nx-b: w' } })).toThrow(/header x-a/);
    expect(() => encodeRequest(endpoint, { method: 'GET', path: '/', headers: { 'x a': 'v' } })).toThrow(/header name/);
    expect(() => encodeRequest(endpoint, { method: 'GET', path: '/a b', headers: {} })).toThrow(/path/);
    expect(() => encodeRequest(endpoint, { method: 'GE T', path: '/', headers: {} })).toThrow(/method/);
  });
});

describe('HttpConnection', () => {
  test('content-length, chunked, 1xx then final, and HEAD responses on one keep-alive connection', async () => {
    const server = await rawServer((socket, head, index) => {
      if (index === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel');
      if (index === 0) setTimeout(() => socket.write('lo'), 20);
      if (index === 1) socket.write('HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
      if (index === 2) socket.write('HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
      // a HEAD response announces a length but has no body
      if (index === 3) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      if (index === 4) socket.write(`HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n`);
      expect(head).toMatch(/^(GET|HEAD) \/ HTTP\/1.1\r\nhost: 127.0.0.1:\d+\r\n/);
    });
    const { request } = connect(endpointOf(server.origin, 2000));
    expect(await request()).toEqual({ status: 200, error: null });
    expect(await request()).toEqual({ status: 201, error: null });
    expect(await request()).toEqual({ status: 204, error: null });
    expect(await request('HEAD')).toEqual({ status: 200, error: null });
    expect(await request()).toEqual({ status: 404, error: null });
    expect(server.connections()).toBe(1);
  });

  test('Connection: close and a body delimited by the close; the next request reconnects', async () => {
    const server = await rawServer((socket, _head, index) => {
      if (index === 0) socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const { request } = connect(endpointOf(server.origin, 2000));
    expect(await request()).toEqual({ status: 200, error: null });
    expect(await request()).toEqual({ status: 200, error: null });
    expect(server.connections()).toBe(2);
  });

  test('a keep-alive connection the server closes between requests: the next request reconnects', async () => {
    const server = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const { request } = connect(endpointOf(server.origin, 2000));
    expect(await request()).toEqual({ status: 200, error: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await request()).toEqual({ status: 200, error: null });
    expect(server.connections()).toBe(2);
  });

  test('a response cut short: reset; nothing listening: refused; no answer: timeout', async () => {
    const cut = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort'));
    const first = await connect(endpointOf(cut.origin, 2000)).request();
    expect(first.status).toBe(200);
    expect(classifyError(first.error)).toBe('reset');

    const refused = await connect(endpointOf(`http://127.0.0.1:${await freePort()}`, 2000)).request();
    expect(classifyError(refused.error)).toBe('refused');

    const silent = await rawServer(() => undefined);
    const startedAt = performance.now();
    const timedOut = await connect(endpointOf(silent.origin, 150)).request();
    expect(classifyError(timedOut.error)).toBe('timeout');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);
  });

  test('the timeout is a gap with no bytes, not a total: a slow body that keeps coming succeeds', async () => {
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n');
      let sent = 0;
      const timer = setInterval(() => {
        socket.write('x');
        if (++sent === 6) clearInterval(timer);
      }, 100);
    });
    // 600 ms in all, twice the timeout, with no gap near it
    const result = await connect(endpointOf(server.origin, 300)).request();
    expect(result).toEqual({ status: 200, error: null });
  });

  test('garbage instead of HTTP: an error of class other, and the connection recovers', async () => {
    const server = await rawServer((socket, _head, index) => {
      if (index === 0) socket.write('NOT HTTP AT ALL\r\n\r\n');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    const { request } = connect(endpointOf(server.origin, 2000));
    const bad = await request();
    expect(bad.error?.message).toMatch(/parse error/i);
    expect(classifyError(bad.error)).toBe('other');
    expect(await request()).toEqual({ status: 200, error: null });
  });

  test('a 64 MB body streams through (the body is never kept: the parser is given no body callback)', async () => {
    const size = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 120);
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': size });
      let left = size / chunk.length;
      const more = () => {
        while (left > 0) {
          left -= 1;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const result = await connect(endpointOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 5000)).request();
    expect(result).toEqual({ status: 200, error: null });
  });

  test('https: a self-signed certificate is refused unless insecure', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'perf-analyze-load-tls-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
    const server = https.createServer({ key: await readFile(path.join(dir, 'key.pem')), cert: await readFile(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const refused = await connect(endpointOf(origin, 2000)).request();
    expect(refused.error?.message).toMatch(/self.signed/i);
    const { request } = connect(endpointOf(origin, 2000, true));
    expect(await request()).toEqual({ status: 200, error: null });
    expect(await request()).toEqual({ status: 200, error: null });
  }, 30_000);
});
