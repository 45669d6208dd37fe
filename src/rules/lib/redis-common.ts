/** Helpers shared by the Redis rules. Pure: no I/O, no clock. */
import type { RedisMetrics } from '../../contracts/redis.js';

/** The subject of a finding about the instance as a whole. */
export const INSTANCE = 'redis:instance';

/** Key names can be long and hold user data: subjects carry at most this many characters of them. */
const SUBJECT_NAME_MAX = 80;
export function keySubject(name: string): string {
  return `redis:key:${name.length > SUBJECT_NAME_MAX ? `${name.slice(0, SUBJECT_NAME_MAX - 1)}…` : name}`;
}

/** "redis 7.0.15 at 127.0.0.1:6379 (master)" */
export function describeNode(redis: RedisMetrics): string {
  const server = redis.server;
  return server ? `Redis ${server.version} at ${server.node} (${server.role === 'slave' ? 'replica' : server.role})` : redis.target;
}

/** The facts of a server that was reached, or null (the rule is then not applicable: an unreached server is redis-availability's finding). */
export function reachedRedis(redis: RedisMetrics): RedisMetrics | null {
  return redis.reachable && redis.server !== null ? redis : null;
}
