import type { Artifacts } from '../contracts/artifact.js';
import type { ComponentId, Finding } from '../contracts/finding.js';
import type { ComponentScore, Scores } from '../contracts/report.js';
import type { Thresholds } from '../contracts/thresholds.js';
import { systemScore } from './system.js';
import { databaseScore } from './database.js';
import { cacheScore } from './cache.js';
import { apiScore } from './api.js';

/** spec: "Health Score Calculation" — database 40 %, system resources 35 %, cache 25 % */
export const NOMINAL_WEIGHTS = { database: 0.4, system: 0.35, cache: 0.25 } as const;
type WeightedComponent = keyof typeof NOMINAL_WEIGHTS;

/** A finding caps its component: a critical one at 40 (POOR), a warning at 75 (GOOD at best). */
const SEVERITY_CAP = { critical: 40, warning: 75, info: 100 } as const;

export const round1 = (value: number) => Math.round(value * 10) / 10;

export interface ScoringInput {
  artifacts: Artifacts;
  findings: readonly Finding[];
  thresholds: Thresholds;
  /** which components the user configured (the host always is); the others are left out */
  configured: Record<ComponentId, boolean>;
}

/**
 * One scorer per component, each in its own file. Database, cache and API scorers
 * arrive with their phases (issues 3 and 4).
 */
export type ComponentScorer = (input: ScoringInput) => ComponentScore;
const SCORERS: Partial<Record<ComponentId, ComponentScorer>> = {
  system: scoreSystem,
  database: scoreDatabase,
  cache: scoreCache,
  api: scoreApi,
};

/** A component's score, capped by the most severe finding against it. */
export function capByFindings(score: number, component: ComponentId, findings: readonly Finding[]): number {
  let capped = score;
  for (const finding of findings) {
    if (componentOfFinding(finding) === component) capped = Math.min(capped, SEVERITY_CAP[finding.severity]);
  }
  return capped;
}

/** Which component a finding counts against, by its subject's kind. */
export function componentOfFinding(finding: Finding): ComponentId {
  const kind = finding.subject.split(':')[0];
  if (kind === 'postgres' || kind === 'pgbouncer') return 'database';
  if (kind === 'redis') return 'cache';
  if (kind === 'endpoint' || kind === 'api' || kind === 'load') return 'api';
  return 'system';
}

function scoreSystem(input: ScoringInput): ComponentScore {
  const artifact = input.artifacts.system;
  if (!artifact?.data) {
    // configured (the host always is) but not measured: scores 0 (DESIGN.md section 4)
    return { score: 0, configured: true, basis: `not measured: ${artifact?.error ?? 'system phase did not run'}` };
  }
  const { score, inputs } = systemScore(artifact.data, input.thresholds);
  const capped = capByFindings(score, 'system', input.findings);
  const parts = Object.entries(inputs).map(([name, value]) => `${name} ${Math.round(value)}`);
  const basis = capped < score ? `${parts.join(', ')}; capped by findings` : parts.join(', ');
  return { score: round1(capped), configured: true, basis };
}

function scoreDatabase(input: ScoringInput): ComponentScore {
  const postgres = input.artifacts.postgres;
  const pgbouncer = input.artifacts.pgbouncer;
  const failed = [postgres, pgbouncer].filter((artifact) => artifact !== undefined && !artifact.data);
  if (failed.length > 0 || (!postgres && !pgbouncer)) {
    const reason = failed.map((artifact) => artifact?.error).filter(Boolean).join('; ') || 'database phase did not run';
    return { score: 0, configured: true, basis: `not measured: ${reason}` };
  }
  const { score, inputs, unreachable } = databaseScore(postgres?.data, pgbouncer?.data, input.thresholds);
  if (unreachable.length > 0) return { score: 0, configured: true, basis: `unreachable: ${unreachable.join(', ')}` };
  const capped = capByFindings(score, 'database', input.findings);
  const parts = Object.entries(inputs).map(([name, value]) => `${name} ${Math.round(value)}`);
  const described = parts.length > 0 ? parts.join(', ') : 'no pool or query statistics';
  return { score: round1(capped), configured: true, basis: capped < score ? `${described}; capped by findings` : described };
}

function scoreCache(input: ScoringInput): ComponentScore {
  const redis = input.artifacts.redis?.data;
  if (!redis || !redis.reachable || redis.server === null) {
    // configured but unreachable (or not measured) scores 0 (DESIGN.md section 4)
    const why = redis?.error ?? input.artifacts.redis?.error ?? 'Redis was not measured';
    return { score: 0, configured: true, basis: `unreachable: ${why}` };
  }
  const { score, inputs } = cacheScore(redis, input.thresholds);
  const capped = capByFindings(score, 'cache', input.findings);
  const parts = Object.entries(inputs).map(([name, value]) => `${name} ${Math.round(value)}`);
  const basis = capped < score ? `${parts.join(', ')}; capped by findings` : parts.join(', ');
  return { score: round1(capped), configured: true, basis };
}

function scoreApi(input: ScoringInput): ComponentScore {
  const artifact = input.artifacts.api;
  if (!artifact?.data) {
    return { score: 0, configured: true, basis: `not measured: ${artifact?.error ?? 'api phase did not run'}` };
  }
  if (!artifact.data.reachable) return { score: 0, configured: true, basis: 'unreachable' };
  const { score, inputs, capacity } = apiScore(artifact.data, input.thresholds, input.artifacts.load?.data);
  const capped = capByFindings(score, 'api', input.findings);
  // the capacity input with its parts, e.g. "capacity 63 (users 25, requestsPerSecond 64, success 100)"
  const detail = capacity ? ` (${Object.entries(capacity.parts).map(([name, value]) => `${name} ${Math.round(value)}`).join(', ')})` : '';
  const parts = Object.entries(inputs).map(([name, value]) => `${name} ${Math.round(value)}${name === 'capacity' ? detail : ''}`);
  const basis = capped < score ? `${parts.join(', ')}; capped by findings` : parts.join(', ');
  return { score: round1(capped), configured: true, basis: basis || 'nothing measured' };
}

const notConfigured = (): ComponentScore => ({ score: null, configured: false, basis: 'not configured' });

export function computeScores(input: ScoringInput): Scores {
  const scoreOf = (id: ComponentId): ComponentScore => {
    const scorer = SCORERS[id];
    return input.configured[id] && scorer ? scorer(input) : notConfigured();
  };
  const components: Record<ComponentId, ComponentScore> = {
    database: scoreOf('database'),
    system: scoreOf('system'),
    cache: scoreOf('cache'),
    api: scoreOf('api'),
  };
  // rescale the nominal weights over the configured components
  const present = (Object.keys(NOMINAL_WEIGHTS) as WeightedComponent[]).filter((id) => components[id].configured);
  const total = present.reduce((sum, id) => sum + NOMINAL_WEIGHTS[id], 0);
  const weights: Partial<Record<ComponentId, number>> = {};
  let health = 0;
  for (const id of present) {
    const weight = NOMINAL_WEIGHTS[id] / total;
    weights[id] = Math.round(weight * 1000) / 1000;
    health += weight * (components[id].score ?? 0);
  }
  const scores: Scores = { health: round1(health), components, weights, nominalWeights: { ...NOMINAL_WEIGHTS } };
  // the specification's "Performance Score": the API's own, beside the health score
  if (components.api.configured) scores.performance = components.api.score ?? 0;
  return scores;
}
