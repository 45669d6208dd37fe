/**
 * The demo app in a Docker container with a CPU limit (`perf-analyze demo --fault cpu-limit=CORES`),
 * so the diagnosis can show a container at its CPU limit. No image is pulled: the image is empty
 * (`docker import` of an empty archive, made once) and this machine's node binary, its libraries and
 * the project are bind-mounted read-only at the same paths; `--network host` lets the app reach
 * the throw-away PostgreSQL and Redis on loopback. Linux only (host networking and host binaries).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { MissingBinaryError } from './services.js';
import { TARGET_APP, type AppLauncher } from './target-app.js';
import { errorMessage } from '../shared/errors.js';

/** The empty image the demo container runs from; everything it runs is bind-mounted. */
export const EMPTY_IMAGE = 'perf-analyze-demo-empty:1';
/** An empty tar archive: two 512-byte zero blocks. */
const EMPTY_TAR = Buffer.alloc(1024);

export interface ContainerOptions {
  /** container name (also what the analysis selects with docker.include) */
  name: string;
  /** --cpus; null: no limit */
  cpus: number | null;
  /** extra `docker run` options (tests: --cgroup-parent) */
  runOptions?: string[];
  /** the environment of the docker CLI (DOCKER_HOST) */
  env?: NodeJS.ProcessEnv;
}

function docker(args: string[], env: NodeJS.ProcessEnv, input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new MissingBinaryError('the docker command is not installed: install the Debian package "docker.io" (apt-get install docker.io), or Docker Engine'));
      }
      reject(new Error(`docker ${args[0]} failed: ${(stderr || error.message).trim()}`));
    });
    if (input) child.stdin?.end(input);
  });
}

/**
 * Checks that this machine can run the demo app in a container and makes the empty image once.
 * Throws MissingBinaryError (a usage problem: exit 2) with what to do.
 */
export async function prepareContainer(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (process.platform !== 'linux') throw new MissingBinaryError('--fault cpu-limit runs the demo app in a Docker container with host networking and this machine\'s node binary: Linux only');
  try {
    await docker(['version', '--format', '{{.Server.Version}}'], env);
  } catch (error) {
    if (error instanceof MissingBinaryError) throw error;
    throw new MissingBinaryError(
      `--fault cpu-limit needs a running Docker engine (DOCKER_HOST or /var/run/docker.sock): ${errorMessage(error)}`,
    );
  }
  const known = await docker(['image', 'ls', '-q', EMPTY_IMAGE], env);
  if (known.trim() === '') await docker(['import', '-', EMPTY_IMAGE], env, EMPTY_TAR);
}

/** Directories to bind-mount so that node and the demo app run inside the empty image. */
export function bindMounts(): string[] {
  const projectRoot = path.resolve(path.dirname(TARGET_APP), '../..');
  const modules = path.join(projectRoot, 'node_modules');
  const node = realpathSync(process.execPath);
  const candidates = ['/usr', '/lib', '/lib64', path.dirname(node), projectRoot, existsSync(modules) ? realpathSync(modules) : null];
  const mounts: string[] = [];
  for (const dir of candidates) {
    if (dir === null || !existsSync(dir)) continue;
    // a directory inside one already mounted comes with it
    if (mounts.some((mounted) => dir === mounted || dir.startsWith(`${mounted}/`))) continue;
    mounts.push(dir);
  }
  return mounts;
}

/** The launcher that runs the app as `docker run --rm --name NAME --cpus N ... node server.mjs`. */
export function containerLauncher(options: ContainerOptions): AppLauncher & { remove(): void } {
  const env = options.env ?? process.env;
  const launcher = (command: string, args: string[], appEnv: Record<string, string>) => ({
    command: 'docker',
    args: [
      'run', '--rm', '--name', options.name, '--network', 'host',
      ...(options.cpus !== null ? ['--cpus', String(options.cpus)] : []),
      ...(options.runOptions ?? []),
      ...bindMounts().flatMap((dir) => ['-v', `${dir}:${dir}:ro`]),
      ...Object.entries(appEnv).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
      EMPTY_IMAGE, realpathSync(command), ...args,
    ],
    env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  });
  return Object.assign(launcher, {
    /** removes the container whatever state it is in (the docker CLI may have been killed before it) */
    remove() {
      try {
        execFileSync('docker', ['rm', '-f', options.name], { env, stdio: 'ignore', timeout: 30_000 });
      } catch {
        // already gone
      }
    },
  });
}
