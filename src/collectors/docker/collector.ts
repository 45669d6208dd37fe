import type { Collector } from '../collector.js';
import { describeEndpoint } from '../../ports/docker.js';
import { realDockerPort } from '../../ports/docker.js';
import { collectDocker } from './index.js';
import { configuredServices } from './latency.js';
import { dockerConfigured, dockerEndpoint, dockerSkipReason } from './target.js';

/**
 * Containers are host resources: the Docker phase feeds the system component. Configured when
 * docker.host / --docker-host / DOCKER_HOST is given or the default socket exists
 * (docker.enabled overrides both).
 */
export const dockerCollector: Collector<'docker'> = {
  id: 'docker',
  phase: 'docker',
  component: 'system',
  label: 'Docker',
  configured: (config) => dockerConfigured(config, realDockerPort.defaultSocketExists),
  skipReason: dockerSkipReason,
  async probe({ config, ports }) {
    const endpoint = dockerEndpoint(config.docker.host);
    const engine = ports.docker.connect(endpoint, config.docker.timeoutSeconds * 1000);
    const version = await engine.version();
    return `Docker ${version.Version ?? '?'} (API ${version.ApiVersion ?? '?'}) at ${describeEndpoint(endpoint)}`;
  },
  collect: ({ config, ports, signal }) =>
    collectDocker(ports, {
      endpoint: dockerEndpoint(config.docker.host),
      sampleSeconds: config.system.sampleSeconds,
      include: config.docker.include,
      exclude: config.docker.exclude,
      concurrency: config.docker.concurrency,
      timeoutMs: config.docker.timeoutSeconds * 1000,
      latencySamples: config.docker.latencySamples,
      services: configuredServices(config),
      recentExitHours: config.docker.recentExitHours,
      signal,
    }),
};
