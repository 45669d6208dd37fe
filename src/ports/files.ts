import { constants } from 'node:fs';
import { access, mkdir, open, realpath, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../shared/errors.js';

/** The filesystem as the run needs it: an output directory and atomic writes. */
export interface FileStore {
  /** creates the directory if needed; throws with a reason when it cannot be written */
  ensureWritableDir(dir: string): Promise<void>;
  /** writes to a temp file in the same directory, fsyncs, then renames: readers never see half a file */
  writeAtomic(filePath: string, content: string): Promise<void>;
  /**
   * Writes every file to its temp file first and renames them only when all were written: a full
   * disk or any other failure leaves none of them (and none of the earlier files) touched.
   */
  writeAllAtomic(files: ReadonlyArray<{ path: string; content: string }>): Promise<void>;
}

/**
 * Kernel pseudo file systems: files there are not kept, and Node's recursive mkdir never returns on
 * /proc (it retries ENOENT forever), so such a path is refused before anything is created.
 */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
/** statfs f_type of pseudo file systems mounted elsewhere (linux/magic.h) */
const PSEUDO_FS_TYPES = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
]);

/** Most path components created for an output directory (a bound on the walk up and down the path). */
const MAX_DEPTH = 64;

/** A file-system error as a sentence naming the path and what to do. */
export function describeFsError(error: unknown, target: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${target} (not writable by this user)`;
    case 'EROFS':
      return `${target} is on a read-only file system`;
    case 'ENOSPC':
      return `no space left on the device of ${target} (the disk is full)`;
    case 'EDQUOT':
      return `disk quota exceeded on ${target}`;
    case 'ENOTDIR':
      return `a part of ${target} is a file, not a directory`;
    case 'ENAMETOOLONG':
      return `${target} is too long a path`;
    case 'ELOOP':
      return `${target} has a symbolic link loop`;
    case 'EIO':
      return `input/output error on ${target}`;
    default:
      return errorMessage(error);
  }
}

class OutputPathError extends Error {}

/** The deepest part of `dir` that exists (bounded walk up), and the parts below it to create. */
async function existingAncestor(dir: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = dir;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    try {
      await stat(current);
      return { existing: current, missing };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputPathError(describeFsError(error, current));
      const parent = path.dirname(current);
      if (parent === current) break;
      missing.unshift(current);
      current = parent;
    }
  }
  throw new OutputPathError(`${dir} is nested too deeply`);
}

async function refusePseudoFileSystem(dir: string, existing: string): Promise<void> {
  const real = await realpath(existing);
  const root = PSEUDO_ROOTS.find((prefix) => real === prefix || real.startsWith(`${prefix}/`));
  if (root) throw new OutputPathError(`${dir} is inside ${root}, a kernel pseudo file system where files are not kept`);
  const type = PSEUDO_FS_TYPES.get((await statfs(real)).type);
  if (type) throw new OutputPathError(`${dir} is on a ${type} pseudo file system where files are not kept`);
}

export const realFileStore: FileStore = {
  async ensureWritableDir(dir) {
    const absolute = path.resolve(dir);
    try {
      const { existing, missing } = await existingAncestor(absolute);
      await refusePseudoFileSystem(absolute, existing);
      if (!(await stat(existing)).isDirectory()) throw new OutputPathError(`${existing} is not a directory`);
      // one level at a time, never recursive: each step fails with its own error
      for (const part of missing) await mkdir(part);
      // access() honours root's override of permission bits; a probe file is the real test
      await access(absolute, constants.W_OK);
      const probe = path.join(absolute, `.perf-analyze-probe-${process.pid}`);
      await writeAtomicFile(probe, 'probe\n');
      await rm(probe, { force: true });
    } catch (error) {
      if (error instanceof OutputPathError) throw error;
      throw new Error(describeFsError(error, absolute), { cause: error });
    }
  },
  writeAtomic: writeAtomicFile,
  async writeAllAtomic(files) {
    const written: Array<{ temp: string; final: string }> = [];
    try {
      for (const file of files) {
        const temp = tempPathOf(file.path);
        written.push({ temp, final: file.path });
        await writeSynced(temp, file.content);
      }
      for (const file of written) await rename(file.temp, file.final);
    } catch (error) {
      await Promise.all(written.map((file) => rm(file.temp, { force: true })));
      throw new Error(describeFsError(error, path.dirname(files[0]?.path ?? '.')), { cause: error });
    }
  },
};

const tempPathOf = (filePath: string) => path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.tmp`);

async function writeSynced(filePath: string, content: string): Promise<void> {
  const handle = await open(filePath, 'w', 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAtomicFile(filePath: string, content: string): Promise<void> {
  const temp = tempPathOf(filePath);
  try {
    await writeSynced(temp, content);
    await rename(temp, filePath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
