import { systemClock, type Clock } from './clock.js';
import { realFileStore, type FileStore } from './files.js';
import { realHostPort, type HostPort } from './host.js';
import { realProcessMeter, type ProcessMeter } from './process.js';
import { realReportStore, type ReportStore } from './reports.js';

/** Everything the run touches outside itself; tests pass their own. Later phases add their clients here. */
export interface Ports {
  clock: Clock;
  files: FileStore;
  host: HostPort;
  process: ProcessMeter;
  reports: ReportStore;
}

export function realPorts(): Ports {
  return { clock: systemClock, files: realFileStore, host: realHostPort, process: realProcessMeter, reports: realReportStore };
}
