import { z } from 'zod';
import { durationSeconds } from './schema-parts.js';

/**
 * The Docker engine: a unix socket path ("/var/run/docker.sock", "unix:///run/docker.sock")
 * or a TCP URL ("tcp://127.0.0.1:2375", "http://...", "https://..."). ssh:// is not supported.
 */
export const dockerHost = z.string().refine((text) => {
  if (text.startsWith('/')) return true;
  try {
    const url = new URL(text);
    if (url.protocol === 'unix:') return url.pathname.startsWith('/');
    return ['tcp:', 'http:', 'https:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}, 'expected a unix socket path (/var/run/docker.sock, unix:///var/run/docker.sock) or a TCP URL (tcp://127.0.0.1:2375)');

const containerFilter = z
  .strictObject({
    names: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: 'Container names; "*" matches any run of characters (e.g. "shop-*")' }),
    labels: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: 'Labels as "key" (present) or "key=value", e.g. "com.docker.compose.project=shop"' }),
  })
  .prefault({});

export const dockerSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .meta({
        description:
          'Run the Docker phase. Default: on when docker.host (or --docker-host, DOCKER_HOST) is given or /var/run/docker.sock exists; false turns it off.',
      }),
    host: dockerHost.optional().meta({ description: 'Docker engine: unix socket path or tcp:// URL (also --docker-host, DOCKER_HOST); default /var/run/docker.sock' }),
    include: containerFilter.meta({ description: 'Measure only containers matching any of these names or labels (empty: all)' }),
    exclude: containerFilter.meta({ description: 'Leave out containers matching any of these names or labels' }),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(500)
      .default(100)
      .meta({ description: 'Stats and inspect calls in flight at once (the engine answers stats once per second, so at least the number of containers keeps a sample to about one second)' }),
    timeoutSeconds: durationSeconds(0.5, 120).prefault(10).meta({ description: 'Timeout of every call to the engine' }),
    latencySamples: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(20)
      .meta({ description: 'TCP connects per service (configured services and published container ports) for p50 / p99; 0 turns it off' }),
    recentExitHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(24)
      .meta({ description: 'A container that exited with an error within this many hours is reported' }),
  })
  .meta({ description: 'The Docker phase: containers of a Docker engine.' });
