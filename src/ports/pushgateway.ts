/** Pushes Prometheus text to a Pushgateway (PUT replaces the group's metrics). */
export interface PushgatewayPort {
  /** resolves with the HTTP status; rejects on a network error or after `timeoutMs` */
  push(url: string, body: string, timeoutMs: number): Promise<number>;
}

export const realPushgateway: PushgatewayPort = {
  async push(url, body, timeoutMs) {
    const parsed = new URL(url);
    const headers: Record<string, string> = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' };
    if (parsed.username || parsed.password) {
      // credentials in the URL become a Basic header; fetch refuses URLs that carry them
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    const response = await fetch(parsed, { method: 'PUT', body, headers, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  },
};
