import { appendFile, readFile, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

/** The saved reports of an output directory, for baselines, history, --keep and the latest pointer. */
export interface ReportStore {
  /** file names in `dir` (not paths); [] when the directory does not exist */
  list(dir: string): Promise<string[]>;
  read(filePath: string): Promise<string>;
  remove(filePath: string): Promise<void>;
  /** makes `dir/linkName` a relative symlink to `fileName`, replacing an earlier one atomically */
  pointTo(dir: string, linkName: string, fileName: string): Promise<void>;
  /** appends to a file (e.g. $GITHUB_STEP_SUMMARY), creating it */
  append(filePath: string, text: string): Promise<void>;
}

export const realReportStore: ReportStore = {
  async list(dir) {
    try {
      return await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  },
  read: (filePath) => readFile(filePath, 'utf8'),
  remove: (filePath) => rm(filePath, { force: true }),
  async pointTo(dir, linkName, fileName) {
    const temp = path.join(dir, `.${linkName}.${process.pid}.tmp`);
    await rm(temp, { force: true });
    await symlink(fileName, temp);
    await rename(temp, path.join(dir, linkName));
  },
  append: (filePath, text) => appendFile(filePath, text, 'utf8'),
};
