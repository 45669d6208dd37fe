/** Helpers shared by the API rules: the API facts, the endpoint class of a path and its thresholds. Pure. */
import type { ApiMetrics, EndpointMetrics } from '../../contracts/api.js';
import type { Artifacts } from '../../contracts/artifact.js';
import type { Thresholds } from '../thresholds.js';

/**
 * The API facts as collected, also when the API phase failed because the API could not be reached (that failed
 * artifact keeps what was learnt, which the rules about reaching the API read); null when there are none.
 */
export function apiEvenIfUnreachable(artifacts: Artifacts): ApiMetrics | null {
  const artifact = artifacts.api;
  if (!artifact || !artifact.data) return null;
  if (artifact.status === 'error' && artifact.data.reachable) return null;
  return artifact.data;
}

/** The measured endpoints of a reachable API (null: rule not applicable). */
export function measuredEndpoints(api: ApiMetrics): EndpointMetrics[] | null {
  if (!api.reachable) return null;
  return api.endpoints.filter((endpoint) => endpoint.skipped === null && endpoint.requests > 0);
}

export type EndpointClass = 'health' | 'login' | 'profile' | 'dashboard' | 'other';

/** SPEC-THRESHOLDS API table rows, by path. */
export function endpointClass(path: string): EndpointClass {
  const bare = path.split('?')[0]!.replace(/\/+$/, '').toLowerCase();
  if (bare === '/health' || bare.endsWith('/health') || bare.endsWith('/healthz')) return 'health';
  if (/\/(auth|login|token|session)/.test(bare) && /login|token|session/.test(bare)) return 'login';
  if (/\/(profile|me)$/.test(bare) || bare.includes('/user/profile')) return 'profile';
  if (bare.includes('dashboard')) return 'dashboard';
  return 'other';
}

const CLASS_KEY = {
  health: 'apiHealthMs',
  login: 'apiLoginMs',
  profile: 'apiProfileMs',
  dashboard: 'apiDashboardMs',
  other: 'apiOtherMs',
} as const;

export interface EndpointLevels {
  target: number;
  warning: number;
  critical: number;
  /** where the levels came from, for the message */
  source: string;
}

export function endpointLevels(endpoint: Pick<EndpointMetrics, 'path' | 'thresholds'>, thresholds: Thresholds): EndpointLevels {
  const kind = endpointClass(endpoint.path);
  const row = thresholds[CLASS_KEY[kind]];
  const overrides = endpoint.thresholds ?? {};
  const overridden = overrides.warningMs !== undefined || overrides.criticalMs !== undefined;
  return {
    target: row.normal,
    warning: overrides.warningMs ?? row.warning,
    critical: overrides.criticalMs ?? row.critical,
    source: overridden ? 'this endpoint\'s thresholds in the config' : `the "${kind}" row of the API response-time table (thresholds.${CLASS_KEY[kind]})`,
  };
}

export function endpointSubject(endpoint: Pick<EndpointMetrics, 'method' | 'path'>): string {
  return `endpoint:${endpoint.method} ${endpoint.path}`;
}

/** "2 timeout, 1 refused" */
export function describeErrors(errors: Partial<Record<string, number>>): string {
  return Object.entries(errors)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
}

export function formatMs(value: number): string {
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}
