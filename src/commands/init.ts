import { writeStarterConfig } from '../config/init.js';

/** `perf-analyze init [file]`: writes the commented starter config; refuses to overwrite without --force. */
export async function initCommand(file: string, force: boolean): Promise<number> {
  try {
    if ((await writeStarterConfig(file, { force })) === 'exists') {
      process.stderr.write(`perf-analyze init: ${file} already exists; use --force to overwrite it\n`);
      return 2;
    }
  } catch (error) {
    process.stderr.write(`perf-analyze init: cannot write ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const hint = file === 'perf-analyze.yaml' ? 'perf-analyze (it reads ./perf-analyze.yaml)' : `perf-analyze -c ${file}`;
  process.stdout.write(`Wrote ${file}. Edit it, then run: ${hint}\n`);
  return 0;
}
