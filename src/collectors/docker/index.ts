import pLimit from 'p-limit';
import type { CollectorOptions, CollectorResult } from '../../contracts/collector.js';
import type { ContainerMetrics, DockerMetrics, LatencyTarget } from '../../contracts/docker.js';
import type { Clock } from '../../ports/clock.js';
import { describeEndpoint, type DockerEndpoint, type DockerEngine, type DockerPort, type RawContainerSummary } from '../../ports/docker.js';
import type { TcpPort } from '../../ports/tcp.js';
import { selectContainer, type ContainerFilter } from './filters.js';
import { groupByService } from './groups.js';
import { latencyTarget, publishedEndpoints, type LatencyEndpoint } from './latency.js';
import { containerMetrics, publishedPorts, type ContainerIdentity, type ContainerReading } from './stats.js';
import { engineIsLocal } from './target.js';
import { errorMessage } from '../../shared/errors.js';

export interface DockerCollectorPorts {
  docker: DockerPort;
  tcp: TcpPort;
  clock: Clock;
}

export interface DockerCollectorOptions extends CollectorOptions {
  endpoint: DockerEndpoint;
  /** the window between the two samples (config.system.sampleSeconds) */
  sampleSeconds: number;
  include: ContainerFilter;
  exclude: ContainerFilter;
  /** stats / inspect calls in flight at once */
  concurrency: number;
  timeoutMs: number;
  /** TCP connects per service; 0 = none */
  latencySamples: number;
  /** configured services (API, database, Redis) to time connects to, besides the published ports */
  services: LatencyEndpoint[];
  /** exits within this many hours are reported */
  recentExitHours: number;
}

/** Spacing between two connects to the same service, so N samples are not one burst. */
const LATENCY_GAP_MS = 20;
const LATENCY_TIMEOUT_MS = 2000;

const nameOf = (summary: RawContainerSummary) => (summary.Names?.[0] ?? summary.Id.slice(0, 12)).replace(/^\//, '');

/**
 * The Docker phase. Reads every selected container twice, `sampleSeconds` apart: inspect
 * (state, health, restarts, limits) and, for running ones, one stats reading. The engine
 * answers stats once a second for every caller, so the calls of one sample run together
 * (bounded by `concurrency`) and the first sample overlaps the window: the phase takes about
 * the window plus one engine tick. TCP connect latency is measured during the window.
 * Throws (with a sentence saying what to do) when the engine cannot be reached.
 */
export async function collectDocker(ports: DockerCollectorPorts, options: DockerCollectorOptions): Promise<CollectorResult<DockerMetrics>> {
  const { clock } = ports;
  const { signal } = options;
  const engine = ports.docker.connect(options.endpoint, options.timeoutMs);
  const notes: string[] = [];
  const limit = pLimit(options.concurrency);

  const [version, info] = await Promise.all([engine.version(), engine.info()]);
  const startedMs = clock.monotonicMs();
  const windowEndMs = startedMs + options.sampleSeconds * 1000;

  const firstList = await engine.listContainers();
  const containersByState: Record<string, number> = {};
  for (const summary of firstList) containersByState[summary.State ?? 'unknown'] = (containersByState[summary.State ?? 'unknown'] ?? 0) + 1;
  const keep = (summary: RawContainerSummary) => selectContainer(nameOf(summary), summary.Labels ?? {}, options.include, options.exclude);
  const firstSelected = firstList.filter(keep);

  const first = await readAll(engine, firstSelected, limit, clock, notes);

  // published ports come from the first listing; the connects happen while the window runs
  const identities = new Map<string, ContainerIdentity>(firstSelected.map((summary) => [summary.Id, identityOf(summary)]));
  const latencyEndpoints = [...options.services];
  if (options.latencySamples > 0) {
    if (engineIsLocal(options.endpoint)) {
      const published = publishedEndpoints(
        firstSelected
          .filter((summary) => summary.State === 'running')
          .map((summary) => ({ name: nameOf(summary), state: 'running', publishedPorts: publishedPorts(summary.Ports) })),
      );
      latencyEndpoints.push(...published.endpoints);
      if (published.skipped.length > 0) notes.push(`published ports bound to a non-loopback address not timed: ${published.skipped.join(', ')}`);
    } else {
      notes.push(`the engine is remote (${describeEndpoint(options.endpoint)}): published container ports not timed`);
    }
  }
  const [latency] = await Promise.all([
    measureLatency(ports.tcp, clock, latencyEndpoints, options.latencySamples, windowEndMs, signal),
    clock.sleep(Math.max(0, windowEndMs - clock.monotonicMs()), signal),
  ]);

  const secondList = await engine.listContainers();
  const secondSelected = secondList.filter(keep);
  const second = await readAll(engine, secondSelected, limit, clock, notes);
  const windowMs = Math.round(clock.monotonicMs() - startedMs);
  const nowMs = clock.now().getTime();

  const containers: ContainerMetrics[] = [];
  for (const summary of secondSelected) {
    const reading = second.get(summary.Id);
    if (!reading) continue; // removed between the listing and the reading
    identities.set(summary.Id, identityOf(summary));
    containers.push(containerMetrics(identities.get(summary.Id)!, first.get(summary.Id) ?? null, reading, nowMs));
  }
  const gone = firstSelected.filter((summary) => !second.has(summary.Id)).map(nameOf);
  if (gone.length > 0) notes.push(`removed during the window, not reported: ${gone.join(', ')}`);
  containers.sort((a, b) => a.name.localeCompare(b.name));

  const data: DockerMetrics = {
    engine: {
      host: describeEndpoint(options.endpoint),
      version: version.Version ?? 'unknown',
      apiVersion: version.ApiVersion ?? 'unknown',
      os: version.Os ?? 'unknown',
      cgroupVersion: info.CgroupVersion ?? null,
      cpus: info.NCPU ?? null,
      memoryBytes: info.MemTotal ?? null,
    },
    windowMs,
    containersByState,
    filteredOut: firstList.length - firstSelected.length,
    containers,
    services: groupByService(containers),
    latency,
    recentExitSeconds: Math.round(options.recentExitHours * 3600),
    notes,
  };
  const cutShort = signal.aborted && windowMs < options.sampleSeconds * 1000;
  return cutShort ? { data, partial: `sampling window cut short to ${windowMs} ms by interrupt` } : { data };
}

function identityOf(summary: RawContainerSummary): ContainerIdentity {
  return { id: summary.Id, name: nameOf(summary), image: summary.Image ?? 'unknown', labels: summary.Labels ?? {}, ports: summary.Ports };
}

/**
 * Inspect (and stats, when running) of every container, all at once within the bound. A
 * container that disappears between the listing and the call is dropped; a stats call that
 * fails leaves its rates unmeasured, with a note.
 */
async function readAll(
  engine: DockerEngine,
  summaries: readonly RawContainerSummary[],
  limit: ReturnType<typeof pLimit>,
  clock: Clock,
  notes: string[],
): Promise<Map<string, ContainerReading>> {
  const readings = new Map<string, ContainerReading>();
  await Promise.all(
    summaries.map((summary) =>
      limit(async () => {
        const atMs = clock.monotonicMs();
        let inspect;
        try {
          inspect = await engine.inspect(summary.Id);
        } catch (error) {
          if (/HTTP 404/.test(String(error))) return; // removed meanwhile
          throw error;
        }
        let stats = null;
        if (inspect.State?.Running === true && inspect.State.Restarting !== true) {
          try {
            stats = await engine.stats(summary.Id);
          } catch (error) {
            notes.push(`stats of ${nameOf(summary)} failed: ${errorMessage(error)}`);
          }
        }
        readings.set(summary.Id, { atMs, inspect, stats });
      }),
    ),
  );
  return readings;
}

/**
 * `samples` TCP connects to each endpoint, endpoints in parallel, connects to one endpoint
 * spaced by a short gap and stopped at the end of the window (or on interrupt).
 */
async function measureLatency(
  tcp: TcpPort,
  clock: Clock,
  endpoints: readonly LatencyEndpoint[],
  samples: number,
  windowEndMs: number,
  signal: AbortSignal,
): Promise<LatencyTarget[]> {
  if (samples <= 0) return [];
  return Promise.all(
    endpoints.map(async (endpoint) => {
      const times: number[] = [];
      let failures = 0;
      let lastError: string | null = null;
      for (let i = 0; i < samples && !signal.aborted; i++) {
        // at least one attempt even when the window is short; the rest only within it
        if (i > 0 && clock.monotonicMs() >= windowEndMs) break;
        try {
          times.push(await tcp.connectTimeMs(endpoint.host, endpoint.port, LATENCY_TIMEOUT_MS));
        } catch (error) {
          failures += 1;
          lastError = errorMessage(error);
        }
        await clock.sleep(LATENCY_GAP_MS, signal);
      }
      return latencyTarget(endpoint, times, failures, lastError);
    }),
  );
}
