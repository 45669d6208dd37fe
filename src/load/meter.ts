import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface GeneratorSample {
  cpuPercent: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
}

/**
 * The load generator's own load over a run: CPU time of this process (as % of one core:
 * Node runs the generator on one thread) and the event-loop delay. When either is high the
 * generator, not the target, may be the bottleneck.
 */
export class GeneratorMeter {
  private readonly cpuStart = process.cpuUsage();
  private readonly wallStart = performance.now();
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.delay.enable();
  }

  stop(): GeneratorSample {
    this.delay.disable();
    const cpu = process.cpuUsage(this.cpuStart);
    const wallMs = performance.now() - this.wallStart;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const samples = this.delay.count;
    // the histogram's values include the 10 ms timer resolution itself: subtract it, as Node's docs suggest
    const delayMs = (nanos: number) => (samples === 0 ? 0 : Math.max(0, Math.round((nanos / 1e6 - 10) * 1000) / 1000));
    return {
      cpuPercent: wallMs > 0 ? Math.round((cpuMs / wallMs) * 1000) / 10 : 0,
      eventLoopDelayP99Ms: delayMs(this.delay.percentile(99)),
      eventLoopDelayMaxMs: delayMs(this.delay.max),
    };
  }
}
