import { systemClock, type Clock } from './clock.js';
import { realFileStore, type FileStore } from './files.js';
import { realHostPort, type HostPort } from './host.js';
import { realProcessMeter, type ProcessMeter } from './process.js';
import { realHttpPort, type HttpPort } from './http.js';

/** Everything the run touches outside itself; tests pass their own. Later phases add their clients here. */
export interface Ports {
  clock: Clock;
  files: FileStore;
  host: HostPort;
  process: ProcessMeter;
  /** HTTP requests with timing phases, bound to one origin (the API phase) */
  http: HttpPort;
}

export function realPorts(): Ports {
  return { clock: systemClock, files: realFileStore, host: realHostPort, process: realProcessMeter, http: realHttpPort };
}
