import type { Collector } from '../collector.js';
import { collectSystem } from './index.js';

/** The host itself is always a target: this collector is always configured. */
export const systemCollector: Collector<'system'> = {
  id: 'system',
  phase: 'system',
  component: 'system',
  label: 'Host resources',
  configured: () => true,
  collect: ({ config, ports, signal }) => collectSystem(ports, { sampleSeconds: config.system.sampleSeconds, signal }),
};
