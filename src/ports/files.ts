import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The filesystem as the run needs it: an output directory and atomic writes. */
export interface FileStore {
  /** creates the directory if needed; throws with a reason when it cannot be written */
  ensureWritableDir(dir: string): Promise<void>;
  /** writes to a temp file in the same directory, fsyncs, then renames: readers never see half a file */
  writeAtomic(filePath: string, content: string): Promise<void>;
}

export const realFileStore: FileStore = {
  async ensureWritableDir(dir) {
    await mkdir(dir, { recursive: true });
    const info = await stat(dir);
    if (!info.isDirectory()) throw new Error(`${dir} is not a directory`);
    // access() honours root's override of permission bits; a probe file is the real test
    await access(dir, constants.W_OK);
    const probe = path.join(dir, `.perf-analyze-probe-${process.pid}`);
    await writeAtomicFile(probe, '');
    await rm(probe, { force: true });
  },
  writeAtomic: writeAtomicFile,
};

async function writeAtomicFile(filePath: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.tmp`);
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
