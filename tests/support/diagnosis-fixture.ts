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
      resources: { hostCpuPercent: 71.5, cores: 2, generator: { cpuPercent: 12.5, eventLoopDelayP99Ms: 0.4 }, containers: [] },
    },
    resources: {
      hostCpuPercent: 42.5,
      cores: 2,
      generator: { cpuPercent: 6.1, eventLoopDelayP99Ms: 0.2 },
      containers: [
        { name: 'db', cpuPercent: 88.2, cpuLimitCores: null, cpuLimitPercent: null, throttledPercent: null, memoryBytes: 300_000_000, memoryLimitPercent: null },
        { name: 'app', service: 'web', cpuPercent: 20.1, cpuLimitCores: 1, cpuLimitPercent: 20.1, throttledPercent: 0, memoryBytes: 90_000_000, memoryLimitPercent: 17.6 },
      ],
    },
    resourcesAfter: { hostCpuPercent: 12.5, cores: 2, generator: { cpuPercent: 0, eventLoopDelayP99Ms: 0 }, containers: [] },
    saturation: {
      fromConcurrency: 2,
      toConcurrency: 8,
      latencyGrowth: 3.82,
      saturated: [],
      notCauses: [
        {
          resource: 'container-cpu-limit', subject: 'container zoo-cpuhog', container: 'zoo-cpuhog', atConcurrency: 2, value: 100.4, limit: 90, unit: '% of its CPU limit',
          why: 'background', detail: 'container zoo-cpuhog was at its CPU limit before any traffic (99.8 % of its CPU limit in the control window): not caused by these requests',
        },
      ],
    },
    backgroundPercent: 2,
    confidence: 'high',
    counters: { settled: false, waitedMs: 12_004, reads: 49, reason: 'table scans not yet published by PostgreSQL: public.users 12 of 200 after 12.0 s' },
    notes: [],
  };
  change?.(endpoint);
  return endpoint;
}

export function buildDiagnosisMetrics(change?: (metrics: DiagnosisMetrics) => void): DiagnosisMetrics {
  const metrics: DiagnosisMetrics = {
    observed: ['postgres', 'redis'],
    background: { windowMs: 2000, dbCallsPerSecond: 0.5, dbMsPerSecond: 0.2, seqRowsPerSecond: 0, redisCommandsPerSecond: 0 },
    controlCounters: { before: { settled: true, waitedMs: 1103, reads: 2 }, after: { settled: true, waitedMs: 251, reads: 2 } },
    endpoints: [missingIndexEndpoint()],
    indexAdvice: {
      hypopg: true,
      explainAnalyze: false,
      totalMs: 0,
      windowTotalMs: null,
      statements: [
        {
          queryId: '42', query: 'SELECT id, total FROM orders WHERE customer_id = $1', calls: 120, meanMs: 0, totalMs: 0, sharePercent: null, window: null,
          method: 'prepared-generic-plan', totalCost: 8900, seqScannedTables: ['public.orders'],
          problems: [{ kind: 'seq-scan', node: 'Seq Scan', table: 'public.orders', filter: '(customer_id = $1)', estimatedRows: 4, actualRows: null, tableRows: 400000, cost: 8900 }],
        },
      ],
      advice: [
        { table: 'public.orders', columns: ['customer_id'], createIndex: 'CREATE INDEX CONCURRENTLY ON public.orders (customer_id)', status: 'verified', statements: [{ queryId: '42', costBefore: 8900, costAfter: 8.3 }], sizeBytes: 9_000_000, estimatedRows: null },
      ],
      skipped: [],
      durationMs: 35,
    },
    skipped: [{ name: 'POST /api/v1/orders', reason: 'POST: only GET endpoints are driven' }],
    limits: { secondsPerEndpoint: 2, requestsPerEndpoint: 300, concurrency: 2, controlSeconds: 2 },
    notVisible: [],
    control: {
      resources: { hostCpuPercent: 30.2, cores: 2, generator: { cpuPercent: 0, eventLoopDelayP99Ms: 0 }, containers: [] },
      connections: null,
      saturated: [{ resource: 'container-cpu-limit', subject: 'container zoo-cpuhog', container: 'zoo-cpuhog', atConcurrency: 0, value: 99.8, limit: 90, unit: '% of its CPU limit' }],
    },
    servingContainers: ['web'],
    redisRoundTripMs: 0.12,
  };
  change?.(metrics);
  return metrics;
}
