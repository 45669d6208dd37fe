import { systemClock, type Clock } from './clock.js';
import { realFileStore, type FileStore } from './files.js';
import { realHostPort, type HostPort } from './host.js';
import { realProcessMeter, type ProcessMeter } from './process.js';
import { realDockerPort, type DockerPort } from './docker.js';
import { realTcpPort, type TcpPort } from './tcp.js';

/** Everything the run touches outside itself; tests pass their own. Later phases add their clients here. */
export interface Ports {
  clock: Clock;
  files: FileStore;
  host: HostPort;
  process: ProcessMeter;
  docker: DockerPort;
  tcp: TcpPort;
}

export function realPorts(): Ports {
  return { clock: systemClock, files: realFileStore, host: realHostPort, process: realProcessMeter, docker: realDockerPort, tcp: realTcpPort };
}
