/** Small node:http targets for the load tests, on free loopback ports, started and stopped by each test. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Target {
  url: string;
  origin: string;
  /** paths of every request the target received */
  paths: string[];
  close(): Promise<void>;
}

export async function startTarget(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Target> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers 200 after `delayMs`. */
export const delayed = (delayMs: number) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  setTimeout(() => res.end('ok'), delayMs);
};

/** Serves at most `slots` requests at once, each taking `delayMs`; the others wait their turn: capacity slots / delay. */
export function capacityLimited(slots: number, delayMs: number) {
  let busy = 0;
  const waiting: http.ServerResponse[] = [];
  const serve = (res: http.ServerResponse) => {
    busy += 1;
    setTimeout(() => {
      res.end('ok');
      busy -= 1;
      const next = waiting.shift();
      if (next) serve(next);
    }, delayMs);
  };
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (busy < slots) serve(res);
    else waiting.push(res);
  };
}

/** Answers quickly, except during one stall of `stallMs` starting `afterMs` after the first request: then nothing is answered until it ends. */
export function stallingOnce(afterMs: number, stallMs: number) {
  let first = 0;
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const now = performance.now();
    if (first === 0) first = now;
    const stallStart = first + afterMs;
    const stallEnd = stallStart + stallMs;
    const wait = now >= stallStart && now < stallEnd ? stallEnd - now : 0;
    setTimeout(() => res.end('ok'), wait);
  };
}
