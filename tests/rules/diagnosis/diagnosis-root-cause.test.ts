import { describe, expect, it } from '@jest/globals';
import { evaluateRule } from '../../../src/rules/engine.js';
import { filterColumns, nPlusOne, poolWait, rule } from '../../../src/rules/diagnosis/diagnosis-root-cause.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import type { EndpointDiagnosis } from '../../../src/contracts/diagnosis.js';
import { buildDiagnosisMetrics, missingIndexEndpoint } from '../../support/diagnosis-fixture.js';
import { databaseArtifacts, healthyPostgres } from '../../support/postgres-fixture.js';
import { healthyApi } from '../../support/api-fixture.js';

const thresholds = mergeThresholds();
// without index advice (no statement planned): the fix names the filter columns no index starts with
const withoutAdvice = (endpoints: EndpointDiagnosis[]) =>
  buildDiagnosisMetrics((m) => {
    m.endpoints = endpoints;
    delete m.indexAdvice;
  });
const evaluate = (...endpoints: EndpointDiagnosis[]) => evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data: withoutAdvice(endpoints) } }, thresholds });

describe('diagnosis-root-cause', () => {
  it('is not applicable without the diagnosis artifact', () => {
    expect(evaluateRule(rule, { artifacts: {}, thresholds })).toBeNull();
    expect(evaluateRule(rule, { artifacts: { diagnosis: { status: 'error', durationMs: 0, error: 'x' } }, thresholds })).toBeNull();
  });

  it('a missing index: the query, its share, the rows scanned and the index to add', () => {
    const [finding] = evaluate(missingIndexEndpoint())!;
    expect(finding).toMatchObject({ severity: 'warning', subject: 'endpoint:GET /api/v1/user/profile', title: 'GET /api/v1/user/profile: root cause a missing index on public.orders' });
    expect(finding!.message).toContain('85 % of it is one query, `SELECT id, total FROM orders WHERE customer_id = $1`');
    expect(finding!.message).toContain('reads 400,000 rows of public.orders sequentially per request');
    expect(finding!.recommendation).toMatch(/^Add an index on public\.orders \(customer_id\)/);
  });

  it('a missing index the database phase planned: the same CREATE INDEX, with its planner costs', () => {
    const planned = (status: 'verified' | 'unverified' | 'rejected') =>
      healthyPostgres((postgres) => {
        postgres.databases[0]!.queryPlans = {
          hypopg: status !== 'unverified',
          explainAnalyze: false,
          totalMs: 1000,
          windowTotalMs: null,
          statements: [
            {
              queryId: '42', query: 'SELECT id, total FROM orders WHERE customer_id = $1', calls: 120, meanMs: 1, totalMs: 120, sharePercent: 50, window: null,
              method: 'prepared-generic-plan', totalCost: 8900, seqScannedTables: ['public.orders'], problems: [],
            },
          ],
          advice: [
            {
              table: 'public.orders', columns: ['customer_id'], createIndex: 'CREATE INDEX CONCURRENTLY ON public.orders (customer_id)', status,
              statements: [{ queryId: '42', costBefore: 8900, costAfter: status === 'rejected' ? 6000 : 12 }], sizeBytes: status === 'unverified' ? null : 9_000_000, estimatedRows: status === 'unverified' ? 3 : null,
            },
          ],
          skipped: [],
          durationMs: 10,
        };
      });
    const withPlans = (status: 'verified' | 'unverified' | 'rejected') =>
      evaluateRule(rule, {
        artifacts: { ...databaseArtifacts(planned(status)), diagnosis: { status: 'ok', durationMs: 0, data: withoutAdvice([missingIndexEndpoint()]) } },
        thresholds,
      })![0]!;
    expect(withPlans('verified').recommendation).toMatch(/^CREATE INDEX CONCURRENTLY ON public\.orders \(customer_id\): planner cost 8,900 -> 12 with a hypothetical index \(HypoPG/);
    // the diagnosis's own advice (its statements planned after the windows) comes first
    const own = evaluateRule(rule, { artifacts: { ...databaseArtifacts(planned('unverified')), diagnosis: { status: 'ok', durationMs: 0, data: buildDiagnosisMetrics() } }, thresholds })![0]!;
    expect(own.recommendation).toMatch(/^CREATE INDEX CONCURRENTLY ON public\.orders \(customer_id\): planner cost 8,900 -> 8 with a hypothetical index/);
    expect(withPlans('unverified').recommendation).toMatch(/^CREATE INDEX CONCURRENTLY ON public\.orders \(customer_id\) \(unverified: HypoPG is not installed/);
    // advice the planner rejected is no advice: the columns no index starts with, as without plans
    expect(withPlans('rejected').recommendation).toMatch(/^Add an index on public\.orders \(customer_id\)/);
    // ... with what the planner said of it
    expect(withPlans('rejected').recommendation).toContain("the planner's view: no one- or two-column index cut its planner cost by half (best tried: CREATE INDEX CONCURRENTLY ON public.orders (customer_id), 8,900 -> 6,000)");
  });

  const query = (id: string, text: string, callsPerRequest: number, rowsPerCall: number) => ({
    queryId: id, query: text, calls: callsPerRequest * 100, totalMs: callsPerRequest * 10, callsPerRequest, msPerRequest: callsPerRequest * 0.1,
    sharePercent: 50, rowsPerCall, sharedBlocksRead: 0, sharedBlocksHit: 0,
  });
  const ordersQuery = query('1', 'SELECT id, product_id FROM orders WHERE user_id = $1', 1, 40);
  const productQuery = query('2', 'SELECT name FROM products WHERE id = $1', 40, 1);

  it('N+1: the statement run once per row of another, batch it; ranked before nothing', () => {
    expect(nPlusOne([ordersQuery, productQuery])).toEqual({ query: productQuery, driver: ordersQuery });
    // repeated but tied to no other statement's rows: still a loop, no driver named
    expect(nPlusOne([query('1', 'SELECT 1', 1, 3), productQuery])).toEqual({ query: productQuery, driver: null });
    // under five calls per request: not a pattern
    expect(nPlusOne([ordersQuery, query('2', 'SELECT name FROM products WHERE id = $1', 4, 1)])).toBeNull();
    const [finding] = evaluate(
      missingIndexEndpoint((e) => {
        e.database!.topQueries = [ordersQuery, productQuery];
        e.database!.queriesPerRequest = 41;
        e.database!.seqScannedTables = [];
      }),
    )!;
    expect(finding!.title).toBe('GET /api/v1/user/profile: root cause an N+1 query pattern');
    expect(finding!.message).toContain('`SELECT name FROM products WHERE id = $1`, runs 40.0 times per request, once per row of `SELECT id, product_id FROM orders WHERE user_id = $1`');
    expect(finding!.recommendation).toMatch(/^Batch `SELECT name FROM products WHERE id = \$1`: load the rows of all 40 items in one query \(a JOIN in/);
    expect(finding!.evidence).toMatchObject({ value: 40, unit: 'calls/request', threshold: 5 });
  });

  it('a pool too small: latency grows with the users, database time does not, few connections all busy', () => {
    const waiting = (change?: (step: NonNullable<EndpointDiagnosis['scaling']>) => void) =>
      missingIndexEndpoint((e) => {
        e.scaling = {
          concurrency: 8, requests: 100, errors: 0, latencyP95Ms: 160, latencyMeanMs: 136, dbMsPerRequest: 31, queriesPerRequest: 1,
          connections: { applicationName: 'app', maxConnections: 1, maxBusy: 1, allBusyPercent: 90, samples: 40 },
        };
        change?.(e.scaling);
      });
    const [finding] = evaluate(waiting())!;
    expect(finding!.title).toBe('GET /api/v1/user/profile: root cause waiting for database connections (pool of 1)');
    expect(finding!.message).toContain('mean latency grew 4.0x');
    expect(finding!.recommendation).toMatch(/^Raise the application's database pool above 1 connection \(e\.g\. to 8/);
    // database time grew with the latency (a saturated database), as many connections as users, or rarely all busy: not the pool
    expect(poolWait(waiting((step) => (step.dbMsPerRequest = 100)))).toBeNull();
    expect(poolWait(waiting((step) => (step.connections!.maxConnections = 8)))).toBeNull();
    expect(poolWait(waiting((step) => (step.connections!.allBusyPercent = 20)))).toBeNull();
    expect(poolWait(waiting((step) => (step.latencyMeanMs = 50)))).toBeNull();
  });

  it('a fast endpoint: an info root cause within its target, with the breakdown, the cause, its fix and saving; within warning but above target: info too', () => {
    const [fast] = evaluate(missingIndexEndpoint((e) => (e.latencyP95Ms = 50)))!;
    expect(fast).toMatchObject({ severity: 'info', title: 'GET /api/v1/user/profile: root cause a missing index on public.orders' });
    expect(fast!.message).toContain('within its target of 200 ms');
    expect(fast!.message).toContain('Where the time goes (mean 34.0 ms per request): database 30.0 ms (88 %), cache about 0.12 ms (0 %), other 3.88 ms (11 %)');
    expect(fast!.breakdown).toEqual({ meanMs: 34, databaseMs: 30, cacheMs: 0.12, otherMs: 3.88 });
    expect(fast!.estimatedSavingMsPerRequest).toBe(25.5);
    const [finding] = evaluate(missingIndexEndpoint((e) => ((e.thresholds = undefined), (e.latencyP95Ms = 300))))!;
    expect(finding!.severity).toBe('info');
    expect(finding!.message).toContain('above 200 ms, target level');
  });

  it('the cache part is its commands times the Redis round trip measured by the diagnosis', () => {
    const data = buildDiagnosisMetrics((m) => {
      m.redisRoundTripMs = 0.2;
      m.endpoints = [missingIndexEndpoint((e) => (e.redis = { commandsPerRequest: 2, commands: [{ command: 'get', calls: 240, perRequest: 2 }], hits: 240, misses: 0, hitRatioPercent: 100, missesPerRequest: 0 }))];
    });
    const [finding] = evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data } }, thresholds })!;
    expect(finding!.breakdown).toEqual({ meanMs: 34, databaseMs: 30, cacheMs: 0.4, otherMs: 3.6 });
  });

  it('a healthy endpoint that does little: "its own work (within target)", nothing to fix', () => {
    const [finding] = evaluate(
      missingIndexEndpoint((e) => {
        e.latencyP95Ms = 2;
        e.latencyMeanMs = 1;
        e.database = { totalMs: 0, msPerRequest: 0, queriesPerRequest: 0, latencySharePercent: 0, topQueries: [], seqScannedTables: [] };
      }),
    )!;
    expect(finding).toMatchObject({ severity: 'info', title: 'GET /api/v1/user/profile: root cause its own work (within target)' });
    expect(finding!.recommendation).toMatch(/^Nothing to fix now/);
  });

  it('the login whose time is password hashing (the API phase timed bcrypt against it): names the cost and what lowering it saves', () => {
    const login = missingIndexEndpoint((e) => {
      e.name = 'POST /api/v1/auth/jwt/login';
      e.method = 'POST';
      e.path = '/api/v1/auth/jwt/login';
      e.thresholds = undefined;
      e.latencyP95Ms = 1400;
      e.latencyMeanMs = 1200;
      e.database = { totalMs: 100, msPerRequest: 0.5, queriesPerRequest: 4, latencySharePercent: 0, topQueries: [], seqScannedTables: [] };
    });
    const data = buildDiagnosisMetrics((m) => (m.endpoints = [login]));
    const api = healthyApi((a) => (a.login!.bcrypt = { ...a.login!.bcrypt!, consistentCost: 12, hashSharePercent: 80 }));
    const [finding] = evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data }, api: { status: 'ok', durationMs: 0, data: api } }, thresholds })!;
    expect(finding).toMatchObject({ severity: 'warning', title: 'POST /api/v1/auth/jwt/login: root cause password hashing (bcrypt cost 12)' });
    expect(finding!.message).toContain('a bcrypt hash at cost 12 takes 160 ms on this host, about 80 % of the login');
    expect(finding!.recommendation).toMatch(/^Lower the bcrypt cost from 12 to 10/);
    // cost 12 -> 10: 160 - 40 ms
    expect(finding!.estimatedSavingMsPerRequest).toBe(120);
    // hashing not most of the login, or another endpoint: not this cause
    const minor = healthyApi((a) => (a.login!.bcrypt = { ...a.login!.bcrypt!, hashSharePercent: 20 }));
    expect(evaluateRule(rule, { artifacts: { diagnosis: { status: 'ok', durationMs: 0, data }, api: { status: 'ok', durationMs: 0, data: minor } }, thresholds })![0]!.title).toContain('root cause unknown');
 
    // with a scan on an unindexed filter column too: the cause whose fix saves more wins
    const scanned = buildDiagnosisMetrics(
      (m) =>
        (m.endpoints = [
          missingIndexEndpoint((e) => {
            Object.assign(e, { name: login.name, method: 'POST', path: login.path, thresholds: undefined, latencyP95Ms: 1400, latencyMeanMs: 1200 });
            e.database!.latencySharePercent = 1;
            e.database!.topQueries[0]!.msPerRequest = 12;
          }),
        ]),
    );
    const title = (bcrypt: Partial<NonNullable<NonNullable<ReturnType<typeof healthyApi>['login']>['bcrypt']>>) =>
      evaluateRule(rule, {
        artifacts: { diagnosis: { status: 'ok', durationMs: 0, data: scanned }, api: { status: 'ok', durationMs: 0, data: healthyApi((a) => (a.login!.bcrypt = { ...a.login!.bcrypt!, ...bcrypt })) } },
        thresholds,
      })![0]!.title;
    expect(title({ consistentCost: 12, hashSharePercent: 80 })).toContain('password hashing (bcrypt cost 12)');
    expect(title({ consistentCost: 10, hashSharePercent: 80 })).toContain('a missing index on public.orders');
    // the host's CPU saturated by the logins: hashing above cost 10 explains it and is named first; at cost 10 the host is
    const busy = buildDiagnosisMetrics((m) => {
      const e = structuredClone(login);
      e.resources!.hostCpuPercent = 99;
      e.saturation = { fromConcurrency: 2, toConcurrency: 8, latencyGrowth: 4, saturated: [{ resource: 'host-cpu', subject: 'host (2 cores)', atConcurrency: 2, value: 99, limit: 95, unit: '% CPU busy' }] };
      m.endpoints = [e];
    });
    const busyTitle = (cost: number) =>
      evaluateRule(rule, {
        artifacts: { diagnosis: { status: 'ok', durationMs: 0, data: busy }, api: { status: 'ok', durationMs: 0, data: healthyApi((a) => (a.login!.bcrypt = { ...a.login!.bcrypt!, consistentCost: cost, hashSharePercent: 80 })) } },
        thresholds,
      })![0]!.title;
    expect(busyTitle(12)).toContain('password hashing (bcrypt cost 12)');
    expect(busyTitle(10)).toContain("the host's CPU is saturated");
  });

  it('nothing explains the time: "unknown" with what was seen', () => {
    const [finding] = evaluate(missingIndexEndpoint((e) => ((e.database!.latencySharePercent = 5), (e.database!.seqScannedTables = []))))!;
    expect(finding!.title).toBe('GET /api/v1/user/profile: root cause unknown');
    expect(finding!.message).toMatch(/the database explains 30\.0 ms per request \(5 % of its mean latency/);
  });

  it('nothing explains the time on a host saturated without our traffic: "unknown", saying so, and no advice to profile the handler', () => {
    const [finding] = evaluate(
      missingIndexEndpoint((e) => {
        e.database!.latencySharePercent = 5;
        e.database!.seqScannedTables = [];
        e.saturation = {
          fromConcurrency: 2,
          toConcurrency: 8,
          latencyGrowth: 1.2,
          saturated: [],
          notCauses: [{ resource: 'host-cpu', subject: 'host (2 cores)', atConcurrency: 2, value: 99, limit: 95, unit: '% CPU busy', why: 'background', detail: "the host's CPU was 98 % busy before any traffic (control window): not caused by these requests" }],
        };
      }),
    )!;
    expect(finding!.title).toBe('GET /api/v1/user/profile: root cause unknown');
    expect(finding!.message).toContain("The host's CPU was saturated without our traffic too: the host's CPU was 98 % busy before any traffic");
    expect(finding!.recommendation).toMatch(/^Run the diagnosis again when the host is not saturated by other work/);
  });

  it('a scan on an unindexed filter column that is not most of the latency is still the cause (e.g. a login dominated by hashing)', () => {
    const [finding] = evaluate(
      missingIndexEndpoint((e) => {
        e.database!.latencySharePercent = 5;
        e.database!.topQueries[0]!.sharePercent = 30;
      }),
    )!;
    expect(finding!.title).toBe('GET /api/v1/user/profile: root cause a missing index on public.orders');
    expect(finding!.message).toContain('it filters on customer_id, which no index of public.orders starts with');
    expect(finding!.recommendation).toMatch(/^Add an index on public\.orders \(customer_id\)/);
    expect(finding!.estimatedSavingMsPerRequest).toBe(25.5);
    // under a millisecond per request: not worth naming
    const [small] = evaluate(
      missingIndexEndpoint((e) => {
        e.database!.latencySharePercent = 5;
        e.database!.topQueries[0]!.sharePercent = 30;
        e.database!.topQueries[0]!.msPerRequest = 0.5;
      }),
    )!;
    expect(small!.title).toBe('GET /api/v1/user/profile: root cause unknown');
  });

  it('low confidence is said, the answer stays', () => {
    const [finding] = evaluate(missingIndexEndpoint((e) => ((e.confidence = 'low'), (e.backgroundPercent = 45))))!;
    expect(finding!.title).toContain('missing index');
    expect(finding!.message).toContain('Confidence low (background activity outside our traffic was 45 %');
  });

  it('ranks the same cause by the time per request it would save', () => {
    const small = missingIndexEndpoint((e) => ((e.name = 'GET /a'), (e.path = '/a'), (e.database!.topQueries[0]!.msPerRequest = 5)));
    const big = missingIndexEndpoint((e) => ((e.name = 'GET /b'), (e.path = '/b')));
    expect(evaluate(small, big)!.map((f) => f.subject)).toEqual(['endpoint:GET /b', 'endpoint:GET /a']);
  });

  const atCpuLimit = (change?: (endpoint: EndpointDiagnosis) => void) =>
    missingIndexEndpoint((e) => {
      e.database!.latencySharePercent = 3;
      e.database!.msPerRequest = 1;
      e.resources!.containers = [
        { name: 'api', cpuPercent: 24.8, cpuLimitCores: 0.25, cpuLimitPercent: 99.2, throttledPercent: 87, memoryBytes: 80_000_000, memoryLimitPercent: null },
      ];
      e.saturation = {
        fromConcurrency: 2, toConcurrency: 8, latencyGrowth: 4.1,
        saturated: [{ resource: 'container-cpu-limit', subject: 'container api', container: 'api', atConcurrency: 2, value: 99.2, limit: 90, unit: '% of its CPU limit' }],
      };
      change?.(e);
    });

  it('a container at its CPU limit while the database explains little: names the container, its use and limit, and what to raise', () => {
    const [finding] = evaluate(atCpuLimit())!;
    expect(finding!.title).toBe('GET /api/v1/user/profile: root cause container api at its CPU limit');
    expect(finding!.message).toContain('it used 24.8 % CPU (100 % = one core), 99.2 % of its limit of 0.25 cores, throttled in 87 % of its CFS periods');
    expect(finding!.message).toContain('the database explains only 1.00 ms per request (3 % of its mean latency');
    expect(finding!.message).toContain('From 2 to 8 users its mean latency grew 4.1x.');
    expect(finding!.recommendation).toMatch(/^Give container api more CPU \(`docker update --cpus 0\.5 api`/);
    expect(finding!.evidence).toMatchObject({ metric: 'diagnosis.endpoints[GET /api/v1/user/profile].resources.containers.cpuLimitPercent', value: 99.2, threshold: 90 });
    // the database explaining most of the time wins over a busy container
    expect(evaluate(atCpuLimit((e) => (e.database!.latencySharePercent = 88)))![0]!.title).toContain('missing index');
    // saturated only in the scaling window: the evidence says so
    const later = evaluate(atCpuLimit((e) => {
      e.scaling!.resources!.containers = e.resources!.containers;
      e.resources!.containers = [];
      e.saturation!.saturated[0]!.atConcurrency = 8;
    }))![0]!;
    expect(later.message).toContain('during the window at 8 users it used 24.8 % CPU');
    expect(later.evidence?.metric).toContain('scaling.resources.containers.cpuLimitPercent');
  });

  it("the host's CPU saturated, no container limit: says so with the busiest container and our own share", () => {
    const hostSaturated = (change: (e: EndpointDiagnosis) => void = () => undefined) =>
      evaluate(
        atCpuLimit((e) => {
          e.resources!.hostCpuPercent = 98.5;
          e.saturation!.saturated = [{ resource: 'host-cpu', subject: 'host (2 cores)', atConcurrency: 2, value: 98.5, limit: 95, unit: '% CPU busy' }];
          change(e);
        }),
      )![0]!;
    const finding = hostSaturated((e) => (e.database!.seqScannedTables = []));
    expect(finding.title).toBe("GET /api/v1/user/profile: root cause the host's CPU is saturated");
    expect(finding.message).toContain("root cause the host's CPU: 98.5 % busy during the window at 2 users (busiest container api, 24.8 % of one core), the load generator used 6.1 % of one core of it");
    // a scan on an unindexed filter column is named before the busy host: its index is the verifiable fix
    expect(hostSaturated().title).toBe('GET /api/v1/user/profile: root cause a missing index on public.orders');
    // four times the users and the latency barely grew: not queueing for the CPU (a handler that waits)
    expect(
      hostSaturated((e) => {
        e.database!.seqScannedTables = [];
        e.saturation!.latencyGrowth = 1.1;
      }).title,
    ).toBe('GET /api/v1/user/profile: root cause unknown');
  });

  it("within its target the host's CPU is not named (a closed loop saturates any CPU-bound service); a container's quota still is", () => {
    const [host] = evaluate(
      atCpuLimit((e) => {
        e.latencyP95Ms = 20;
        e.database!.seqScannedTables = [];
        e.resources!.hostCpuPercent = 98.5;
        e.saturation!.saturated = [{ resource: 'host-cpu', subject: 'host (2 cores)', atConcurrency: 2, value: 98.5, limit: 95, unit: '% CPU busy' }];
      }),
    )!;
    expect(host!.title).toBe('GET /api/v1/user/profile: root cause its own work (within target)');
    const [limited] = evaluate(atCpuLimit((e) => (e.latencyP95Ms = 20)))!;
    expect(limited).toMatchObject({ severity: 'info', title: 'GET /api/v1/user/profile: root cause container api at its CPU limit' });
  });

  it('a saturated generator is said next to the answer', () => {
    const [finding] = evaluate(
      atCpuLimit((e) => e.saturation!.saturated.push({ resource: 'generator', subject: 'perf-analyze (the load generator)', atConcurrency: 8, value: 97, limit: 90, unit: '% of one core' })),
    )!;
    expect(finding!.title).toContain('at its CPU limit');
    expect(finding!.message).toContain('The load generator itself was saturated at 8 users (97 % of one core): part of the latency there is ours.');
  });

  it('nothing explains the time: the host and the busiest container are among what was seen', () => {
    const [finding] = evaluate(missingIndexEndpoint((e) => ((e.database!.latencySharePercent = 5), (e.database!.seqScannedTables = []))))!;
    expect(finding!.message).toContain('host CPU 42.5 %, busiest container db at 88.2 % of one core');
  });

  it('ranks different causes by the time per request fixing them would save, and says the estimate', () => {
    // missing index: the query's 25.5 ms; N+1: 40 of 41 queries of a 34 ms request, all but one call saved (~32.3 ms)
    const index = missingIndexEndpoint((e) => ((e.name = 'GET /a'), (e.path = '/a')));
    const loop = missingIndexEndpoint((e) => {
      e.name = 'GET /b';
      e.path = '/b';
      e.database!.topQueries = [ordersQuery, productQuery];
      e.database!.queriesPerRequest = 41;
    });
    const findings = evaluate(index, loop)!;
    expect(findings.map((f) => f.subject)).toEqual(['endpoint:GET /b', 'endpoint:GET /a']);
    expect(findings[1]!.message).toContain('Fixing it would save about 25.5 ms per request (estimate).');
    expect(findings[0]!.message).toContain('Fixing it would save about 32.3 ms per request (estimate).');
  });

  it('filterColumns reads the columns compared with parameters', () => {
    expect(filterColumns('SELECT * FROM orders o WHERE o.customer_id = $1 AND status=$2')).toEqual(['customer_id', 'status']);
  });
});
