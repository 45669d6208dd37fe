/**
 * The numbers the HTML report's charts plot, taken from the report (pure): throughput and
 * p95 against concurrency with the knee, per-endpoint latency percentiles, and resource use
 * (CPU per core, memory, filesystems). Each series is null where the report has no such
 * facts, and the page then says what is missing instead of drawing an empty chart.
 */
import type { Report } from '../contracts/report.js';

export interface LoadChart {
  concurrency: number[];
  throughputRps: number[];
  p95Ms: Array<number | null>;
  errorPercent: number[];
  /** the capacity level (highest that met every criterion) and the first that broke one */
  knee: { concurrency: number; throughputRps: number; p95Ms: number | null } | null;
  brokeAt: { concurrency: number; reason: string; detail: string } | null;
  summary: string | null;
  p95LimitMs: number | null;
}

export interface EndpointChart {
  names: string[];
  p50Ms: Array<number | null>;
  p95Ms: Array<number | null>;
  p99Ms: Array<number | null>;
  samples: number[];
}

export interface ResourceChart {
  /** bar labels, e.g. "CPU (all cores)", "core 0", "memory", "disk /" */
  labels: string[];
  percent: Array<number | null>;
  windowMs: number | null;
}

export interface ChartData {
  load: LoadChart | null;
  endpoints: EndpointChart | null;
  resources: ResourceChart | null;
}

export function chartData(report: Report): ChartData {
  return { load: loadChart(report), endpoints: endpointChart(report), resources: resourceChart(report) };
}

function loadChart(report: Report): LoadChart | null {
  const load = report.metrics.load;
  if (!load || load.ladder.length === 0) return null;
  const levels = load.ladder.filter((level) => level.concurrency !== null);
  if (levels.length === 0) return null;
  return {
    concurrency: levels.map((level) => level.concurrency as number),
    throughputRps: levels.map((level) => level.throughputRps),
    p95Ms: levels.map((level) => level.latency.p95Ms),
    errorPercent: levels.map((level) => level.errorPercent),
    knee: load.knee?.capacity ?? null,
    brokeAt: load.knee?.brokeAt ?? null,
    summary: load.knee?.summary ?? null,
    p95LimitMs: load.knee?.criteria.p95Ms ?? null,
  };
}

function endpointChart(report: Report): EndpointChart | null {
  const api = report.metrics.api;
  const endpoints = (api?.endpoints ?? []).filter((endpoint) => endpoint.skipped === null && endpoint.latency.samples > 0);
  if (endpoints.length === 0) return null;
  return {
    names: endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`),
    p50Ms: endpoints.map((endpoint) => endpoint.latency.p50Ms),
    p95Ms: endpoints.map((endpoint) => endpoint.latency.p95Ms),
    p99Ms: endpoints.map((endpoint) => endpoint.latency.p99Ms),
    samples: endpoints.map((endpoint) => endpoint.latency.samples),
  };
}

function resourceChart(report: Report): ResourceChart | null {
  const system = report.metrics.system;
  if (!system) return null;
  const labels: string[] = [];
  const percent: Array<number | null> = [];
  labels.push('CPU (all cores)');
  percent.push(system.cpu.totalPercent.value);
  for (const core of system.cpu.perCore) {
    labels.push(`core ${core.core}`);
    percent.push(core.busyPercent.value);
  }
  labels.push('memory');
  percent.push(system.memory.usedPercent.value);
  for (const mount of system.mounts) {
    labels.push(`disk ${mount.mount}`);
    percent.push(mount.usedPercent.value);
  }
  return { labels, percent, windowMs: system.windowMs };
}
