import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A Docker engine for integration tests. Reuses one that answers (DOCKER_HOST, else
 * /var/run/docker.sock); otherwise starts `dockerd --bridge=none --iptables=false
 * --ip6tables=false` with its own data root, exec root and socket in a temp dir (root only),
 * and stops it again in `stop()`. Every image and container a test makes carries the
 * handle's `prefix`, and `stop()` removes them, so parallel runs do not collide.
 */
export interface DockerEngineHandle {
  /** DOCKER_HOST value: unix:///... */
  host: string;
  socketPath: string;
  /** unique per handle: pa-test-<random> */
  prefix: string;
  /** whether this handle started the engine (and will stop it) */
  started: boolean;
  /** runs the docker CLI against this engine; rejects with stderr on a non-zero exit */
  docker(args: string[], timeoutMs?: number): Promise<string>;
  /**
   * A cgroup parent (`--cgroup-parent`) with a large CPU weight, so containers that must reach
   * their CPU quota get it on a busy shared machine (under cgroup v1 every container together
   * weighs as much as one process of the host otherwise). Null when cgroupfs is not writable.
   */
  favouredCgroupParent(): Promise<string | null>;
  /** the engine's process, when this handle started it (a fault test stops it on purpose) */
  daemon: ChildProcess | null;
  /** builds (once per handle) a FROM scratch image holding the static busybox; returns its tag */
  busyboxImage(): Promise<string>;
  stop(): Promise<void>;
}

const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

function socketOf(host: string | undefined): string | null {
  if (!host) return null;
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  if (host.startsWith('/')) return host;
  return null; // tcp engines are not reused by the tests (they need a local socket for permission tests)
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** `own`: always start a private engine (a test that stops the engine must not stop a shared one). */
export async function startDockerEngine(options: { own?: boolean } = {}): Promise<DockerEngineHandle> {
  const prefix = `pa-test-${randomBytes(4).toString('hex')}`;
  let socketPath: string | null = null;
  for (const candidate of options.own ? [] : [socketOf(process.env.DOCKER_HOST), '/var/run/docker.sock']) {
    if (candidate && existsSync(candidate) && (await ping(candidate))) {
      socketPath = candidate;
      break;
    }
  }
  let daemon: ChildProcess | null = null;
  let dir: string | null = null;
  let log = '';
  if (socketPath === null) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pa-dockerd-'));
    socketPath = path.join(dir, 'docker.sock');
    daemon = spawn(
      'dockerd',
      [
        '--bridge=none',
        '--iptables=false',
        '--ip6tables=false',
        `--data-root=${path.join(dir, 'data')}`,
        `--exec-root=${path.join(dir, 'exec')}`,
        `--pidfile=${path.join(dir, 'docker.pid')}`,
        `--host=unix://${socketPath}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    daemon.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    daemon.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!(await ping(socketPath))) {
      if (daemon.exitCode !== null || Date.now() > deadline) {
        daemon.kill('SIGKILL');
        throw new Error(`dockerd did not start (is docker.io installed and are we root?):\n${log.slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const host = `unix://${socketPath}`;
  const env = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false' };
  const docker = (args: string[], timeoutMs = 60_000) => run('docker', args, env, timeoutMs);
  let image: Promise<string> | null = null;
  const cgroupParent = `/${prefix}`;
  const cgroupDirs: string[] = [];

  return {
    host,
    socketPath,
    prefix,
    started: daemon !== null,
    daemon,
    docker,
    async favouredCgroupParent() {
      const v1 = '/sys/fs/cgroup/cpu';
      const [dir, file, value] = existsSync(path.join(v1, 'cpu.shares'))
        ? [path.join(v1, prefix), 'cpu.shares', '16384']
        : ['/sys/fs/cgroup' + cgroupParent, 'cpu.weight', '1600'];
      try {
        await mkdir(dir, { recursive: true });
        cgroupDirs.push(dir);
        await writeFile(path.join(dir, file), value);
        return cgroupParent;
      } catch {
        return null;
      }
    },
    busyboxImage() {
      image ??= (async () => {
        const busybox = BUSYBOX_CANDIDATES.find((candidate) => existsSync(candidate));
        if (!busybox) throw new Error('no static busybox (apt-get install busybox-static)');
        const context = await mkdtemp(path.join(os.tmpdir(), `${prefix}-image-`));
        await copyFile(busybox, path.join(context, 'busybox'));
        await writeFile(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n');
        const tag = `${prefix}-busybox:latest`;
        await docker(['build', '-q', '-t', tag, context], 120_000);
        await rm(context, { recursive: true, force: true });
        return tag;
      })();
      return image;
    },
    async stop() {
      if (daemon && daemon.exitCode !== null) {
        // stopped on purpose by the test: only its files are left
        if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        return;
      }
      // our containers, networks and image only (the engine may be shared)
      const ids = (await docker(['ps', '-aq', '--filter', `name=${prefix}`]).catch(() => '')).split('\n').filter(Boolean);
      if (ids.length > 0) await docker(['rm', '-f', '-v', ...ids]).catch(() => undefined);
      const networks = (await docker(['network', 'ls', '-q', '--filter', `name=${prefix}`]).catch(() => '')).split('\n').filter(Boolean);
      if (networks.length > 0) await docker(['network', 'rm', ...networks]).catch(() => undefined);
      if (image) await docker(['rmi', '-f', await image]).catch(() => undefined);
      // docker leaves the parent cgroups it created under our prefix
      for (const controller of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
        const dir = path.join('/sys/fs/cgroup', controller, prefix);
        if (existsSync(dir)) await rmdir(dir).catch(() => undefined);
      }
      for (const dir of cgroupDirs) if (existsSync(dir)) await rmdir(dir).catch(() => undefined);
      if (daemon && daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon!.once('exit', resolve));
        daemon.kill('SIGTERM');
        const timer = setTimeout(() => daemon!.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
