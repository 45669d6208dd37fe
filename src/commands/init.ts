import { writeFile } from 'node:fs/promises';
import { starterConfigYaml } from '../config/init.js';

/** `perf-analyze init [file]`: writes the commented starter config; refuses to overwrite without --force. */
export async function initCommand(file: string, force: boolean): Promise<number> {
  try {
    // 'wx' fails if the file exists, so an existing config is never clobbered by accident
    await writeFile(file, starterConfigYaml(), { encoding: 'utf8', flag: force ? 'w' : 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EEXIST'
        ? `${file} already exists; use --force to overwrite it`
        : `cannot write ${file}: ${(error as Error).message}`;
    process.stderr.write(`perf-analyze init: ${reason}\n`);
    return 2;
  }
  process.stdout.write(`Wrote ${file}. Run: perf-analyze -c ${file}\n`);
  return 0;
}
