/**
 * Issue 8, "a container at its CPU limit": the demo app runs in a Docker container limited to a
 * fraction of a core, the way `perf-analyze demo --fault cpu-limit=N` runs it (src/demo/container.ts:
 * an empty image, the host's node and the project bind-mounted read-only, --network host). The diagnosis must name that container as the root cause of the slow
 * endpoint, with its CPU use against its limit; and a container without a limit must not be blamed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { configSchema } from '../../../src/config/schema.js';
import { collectDiagnosis } from '../../../src/collectors/diagnosis/index.js';
import { demoApiConfig, demoEnvironment, startDemoStack, type DemoStack } from '../../../src/demo/index.js';
import { containerLauncher, prepareContainer } from '../../../src/demo/container.js';
import { realPorts } from '../../../src/ports/index.js';
import { evaluateRules } from '../../../src/rules/index.js';
import { mergeThresholds } from '../../../src/rules/thresholds.js';
import { startDockerEngine, type DockerEngineHandle } from '../../support/docker-engine.js';

let engine: DockerEngineHandle;
let stack: DemoStack;
let cgroupParent: string | null;

beforeAll(async () => {
  engine = await startDockerEngine();
  cgroupParent = await engine.favouredCgroupParent();
  await prepareContainer({ ...process.env, DOCKER_HOST: engine.host });
  stack = await startDemoStack();
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await engine?.stop();
}, 60_000);

async function diagnose(container: string, cpus: number | null) {
  const launcher = containerLauncher({ name: container, cpus, runOptions: cgroupParent ? ['--cgroup-parent', cgroupParent] : [], env: { ...process.env, DOCKER_HOST: engine.host } });
  const app = await stack.startApp({ bcryptCost: 4 }, { seedUsers: 2000, launcher });
  try {
    const config = configSchema.parse({
      api: { ...demoApiConfig(app.url), endpoints: [{ path: '/api/v1/user/profile', auth: true, thresholds: { warningMs: 20, criticalMs: 10_000 } }] },
      database: { url: app.databaseUrl },
      redis: { url: app.redisUrl },
      docker: { host: engine.host, include: { names: [`${engine.prefix}*`] } },
      diagnosis: { enabled: true, secondsPerEndpoint: 2, controlSeconds: 1, requestsPerEndpoint: 2000, scalingConcurrency: 8 },
    });
    const result = await collectDiagnosis({ config, ports: realPorts(), env: demoEnvironment(), signal: new AbortController().signal });
    const { findings } = evaluateRules({ diagnosis: { status: 'ok', durationMs: 0, data: result.data } }, mergeThresholds(config.thresholds));
    return { data: result.data, findings: findings.filter((finding) => finding.ruleId === 'diagnosis-root-cause') };
  } finally {
    await app.stop();
  }
}

describe('cross-layer diagnosis: a container at its CPU limit', () => {
  it('the app limited to 0.1 core: the container is the root cause, with its use against its limit', async () => {
    const name = `${engine.prefix}-api-limited`;
    const { data, findings } = await diagnose(name, 0.1);
    expect(data.observed).toContain('docker');
    const profile = data.endpoints[0]!;
    const container = profile.resources!.containers.find((candidate) => candidate.name === name)!;
    expect(container.cpuLimitCores).toBe(0.1);
    // the closed model keeps the app busy: it runs into its quota
    expect(container.cpuLimitPercent).toBeGreaterThan(80);
    expect(profile.saturation!.saturated.map((entry) => entry.resource)).toContain('container-cpu-limit');
    const [finding] = findings;
    expect(finding?.title).toBe(`GET /api/v1/user/profile: root cause container ${name} at its CPU limit`);
    expect(finding!.message).toMatch(/of its limit of 0\.1 cores/);
    expect(finding!.recommendation).toContain(`docker update --cpus 0.2 ${name}`);
  }, 180_000);

  it('the same app in a container without a limit: not blamed on a CPU limit', async () => {
    const name = `${engine.prefix}-api-free`;
    const { data, findings } = await diagnose(name, null);
    const profile = data.endpoints[0]!;
    const container = profile.resources!.containers.find((candidate) => candidate.name === name)!;
    expect(container.cpuLimitCores).toBeNull();
    expect(container.cpuPercent).toBeGreaterThan(0);
    expect(profile.saturation!.saturated.map((entry) => entry.resource)).not.toContain('container-cpu-limit');
    expect(findings.filter((finding) => finding.title.includes('CPU limit'))).toEqual([]);
  }, 180_000);
});
