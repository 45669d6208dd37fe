/** Hand-built diagnosis artifacts for rule, reporter and schema tests. */
import type { DiagnosisMetrics, EndpointDiagnosis } from '../../src/contracts/diagnosis.js';

export function missingIndexEndpoint(change?: (endpoint: EndpointDiagnosis) => void): EndpointDiagnosis {
  const endpoint: EndpointDiagnosis = {
    name: 'GET /api/v1/user/profile',
    method: 'GET',
    path: '/api/v1/user/profile',
    thresholds: { warningMs: 100, criticalMs: 10_000 },
    requests: 120,
    errors: 0,
    windowMs: 2100,
    concurrency: 2,
    latencyP50Ms: 30,
    latencyP95Ms: 150,
    latencyMeanMs: 34,
    database: {
      totalMs: 3600,
      msPerRequest: 30,
      queriesPerRequest: 1,
      latencySharePercent: 88.2,
      topQueries: [
        {
          queryId: '42',
          query: 'SELECT id, total FROM orders WHERE customer_id = $1',
          calls: 120,
          totalMs: 3060,
          callsPerRequest: 1,
          msPerRequest: 25.5,
          sharePercent: 85,
          rowsPerCall: 3,
          sharedBlocksRead: 10,
          sharedBlocksHit: 90_000,
        },
      ],
      seqScannedTables: [
        { table: 'public.orders', seqScans: 120, rowsRead: 48_000_000, rowsReadPerRequest: 400_000, indexScans: 0, liveRows: 400_000, indexedColumns: ['id'] },
      ],
    },
    redis: { commandsPerRequest: 1, commands: [{ command: 'get', calls: 120, perRequest: 1 }], hits: 120, misses: 0, hitRatioPercent: 100, missesPerRequest: 0 },
    connections: { applicationName: 'app', maxConnections: 2, maxBusy: 2, allBusyPercent: 40, samples: 40 },
    // the database saturates with the users (database time grows with the latency): not a pool too small
    scaling: {
      concurrency: 8, requests: 100, errors: 0, latencyP95Ms: 600, latencyMeanMs: 130, dbMsPerRequest: 120, queriesPerRequest: 1,
      connections: { applicationName: 'app', maxConnections: 8, maxBusy: 8, allBusyPercent: 70, samples: 40 },
    },
    backgroundPercent: 2,
    confidence: 'high',
    notes: [],
  };
  change?.(endpoint);
  return endpoint;
}

export function buildDiagnosisMetrics(change?: (metrics: DiagnosisMetrics) => void): DiagnosisMetrics {
  const metrics: DiagnosisMetrics = {
    observed: ['postgres', 'redis'],
    background: { windowMs: 2000, dbCallsPerSecond: 0.5, dbMsPerSecond: 0.2, seqRowsPerSecond: 0, redisCommandsPerSecond: 0 },
    endpoints: [missingIndexEndpoint()],
    skipped: [{ name: 'POST /api/v1/orders', reason: 'POST: only GET endpoints are driven' }],
    limits: { secondsPerEndpoint: 2, requestsPerEndpoint: 300, concurrency: 2, controlSeconds: 2 },
    notVisible: [],
  };
  change?.(metrics);
  return metrics;
}
