import { systemClock, type Clock } from './clock.js';
import { realFileStore, type FileStore } from './files.js';
import { realHostPort, type HostPort } from './host.js';
import { realProcessMeter, type ProcessMeter } from './process.js';
import { realPostgresPort, type PostgresPort } from './postgres.js';
import { realRedisPort, type RedisPort } from './redis.js';
import { realHttpPort, type HttpPort } from './http.js';
import { realDockerPort, type DockerPort } from './docker.js';
import { realTcpPort, type TcpPort } from './tcp.js';
import { realReportStore, type ReportStore } from './reports.js';
import { loadChartLibrary } from './chart-library.js';
import type { ChartLibrary } from '../contracts/reporter.js';

/** Everything the run touches outside itself; tests pass their own. Later phases add their clients here. */
export interface Ports {
  clock: Clock;
  files: FileStore;
  host: HostPort;
  process: ProcessMeter;
  postgres: PostgresPort;
  redis: RedisPort;
  /** HTTP requests with timing phases, bound to one origin (the API phase) */
  http: HttpPort;
  docker: DockerPort;
  tcp: TcpPort;
  reports: ReportStore;
  /** the charting library the html format bundles (optional: only the html format needs it) */
  chartLibrary?: () => Promise<ChartLibrary>;
}

export function realPorts(): Ports {
  return {
    clock: systemClock,
    files: realFileStore,
    host: realHostPort,
    process: realProcessMeter,
    postgres: realPostgresPort,
    redis: realRedisPort,
    http: realHttpPort,
    docker: realDockerPort,
    tcp: realTcpPort,
    reports: realReportStore,
    chartLibrary: loadChartLibrary,
  };
}
