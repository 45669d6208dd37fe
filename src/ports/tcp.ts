import net from 'node:net';

/** Opening TCP connections to measure how long the handshake takes. */
export interface TcpPort {
  /**
   * Connects to host:port, closes at once, and resolves with the connect time in ms
   * (monotonic clock, microsecond resolution); rejects with the socket error or a timeout.
   */
  connectTimeMs(host: string, port: number, timeoutMs: number): Promise<number>;
}

export const realTcpPort: TcpPort = {
  connectTimeMs: (host, port, timeoutMs) =>
    new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        clearTimeout(timer);
        socket.destroy();
        resolve(elapsed);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(error.code ?? error.message));
      });
    }),
};
