// Memory: peak RSS of the generator process over 1,000,000 requests against nginx (50 connections).
// Target: < 150 MB. REQUESTS to change the count.
import { ensureBuilt, ours, startNginx } from './lib.mjs';

const requests = Number(process.env.REQUESTS ?? 1_000_000);
ensureBuilt();
const nginx = await startNginx();
try {
  const startedAt = Date.now();
  const result = await ours(['closed', nginx.url, '50', '3600', String(requests)]);
  console.log(
    `${result.requests.toLocaleString('en-US')} requests in ${((Date.now() - startedAt) / 1000).toFixed(1)} s ` +
      `(${Math.round(result.rps)} req/s, ${result.errors} errors): peak RSS ${result.peakRssMB.toFixed(1)} MB (target < 150 MB)`,
  );
} finally {
  await nginx.stop();
}
