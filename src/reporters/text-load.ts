/** The load-test section of the text summary: throughput and percentiles per level, the knee. */
import type { LatencySummary, LoadMetrics, LoadRunMetrics } from '../contracts/load.js';
import { MAX_WIDTH, heading, oneLine, table, wrap } from './format.js';

const ms = (value: number | null) => (value === null ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const errors = (run: LoadRunMetrics) => (run.errors.total === 0 ? '0' : `${run.errorPercent.toFixed(2)} %`);
const generator = (run: LoadRunMetrics) => `${run.generator.cpuPercent.toFixed(0)} %${run.generator.saturated ? ' (limit)' : ''}`;
const latencyCells = (latency: LatencySummary) => [ms(latency.p50Ms), ms(latency.p95Ms), ms(latency.p99Ms), ms(latency.maxMs)];

export function loadSection(load: LoadMetrics): string[] {
  const lines = heading(`LOAD TEST (${oneLine(load.baseUrl)}; ${load.endpoints.map(oneLine).join(', ')})`);
  if (load.ladder.length > 0) {
    lines.push('Closed model (each user sends its next request when the previous ends); latency in ms:');
    lines.push(
      ...table(
        [
          { header: 'users', align: 'right' },
          { header: 'req/s', align: 'right' },
          { header: 'p50', align: 'right' },
          { header: 'p95', align: 'right' },
          { header: 'p99', align: 'right' },
          { header: 'max', align: 'right' },
          { header: 'errors', align: 'right' },
          { header: 'gen CPU', align: 'right' },
        ],
        load.ladder.map((run) => [String(run.concurrency), count(run.throughputRps), ...latencyCells(run.latency), errors(run), generator(run)]),
      ),
    );
  }
  if (load.knee) lines.push(...wrap(`Capacity: ${oneLine(load.knee.summary)}.`, MAX_WIDTH));
  if (load.rates.length > 0) {
    lines.push('', 'Open model (fixed rate; p95/p99 from each intended start, "sent" = as sent); latency in ms:');
    lines.push(
      ...table(
        [
          { header: 'rate', align: 'right' },
          { header: 'req/s', align: 'right' },
          { header: 'p50', align: 'right' },
          { header: 'p95', align: 'right' },
          { header: 'p99', align: 'right' },
          { header: 'sent p99', align: 'right' },
          { header: 'late', align: 'right' },
          { header: 'dropped', align: 'right' },
          { header: 'errors', align: 'right' },
        ],
        load.rates.map((run) => [
          count(run.targetRps ?? 0),
          count(run.throughputRps),
          ms(run.latency.p50Ms),
          ms(run.latency.p95Ms),
          ms(run.latency.p99Ms),
          ms(run.asSentLatency?.p99Ms ?? null),
          count(run.late ?? 0),
          count(run.dropped ?? 0),
          errors(run),
        ]),
      ),
    );
  }
  for (const note of [...load.skippedEndpoints.map((entry) => `${entry.name}: ${entry.reason}`), ...load.skipped]) {
    lines.push(...wrap(`Not run: ${oneLine(note)}`, MAX_WIDTH));
  }
  return lines;
}
