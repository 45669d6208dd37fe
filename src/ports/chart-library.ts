import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { ChartLibrary } from '../contracts/reporter.js';

/**
 * The charting library the HTML report and the dashboard page bundle inline: uPlot
 * (leeoniya/uPlot on GitHub, MIT), its minified IIFE build (defines a global `uPlot`)
 * and its stylesheet, read from the installed package. Nothing is fetched.
 */
export type { ChartLibrary };

export const CHART_PACKAGE = 'uplot';

export class ChartLibraryMissingError extends Error {
  constructor(detail: string) {
    super(`the HTML report needs the charting library "${CHART_PACKAGE}" (npm install ${CHART_PACKAGE}): ${detail}`);
    this.name = 'ChartLibraryMissingError';
  }
}

let cached: Promise<ChartLibrary> | undefined;

async function read(): Promise<ChartLibrary> {
  const require = createRequire(import.meta.url);
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve(`${CHART_PACKAGE}/package.json`);
  } catch (error) {
    throw new ChartLibraryMissingError((error as Error).message.split('\n')[0] ?? 'not found');
  }
  const root = path.dirname(packageJsonPath);
  const manifest = JSON.parse(await readFile(packageJsonPath, 'utf8')) as { name: string; version: string; license?: string };
  const [script, stylesheet] = await Promise.all([
    readFile(path.join(root, 'dist', 'uPlot.iife.min.js'), 'utf8'),
    readFile(path.join(root, 'dist', 'uPlot.min.css'), 'utf8'),
  ]).catch((error: unknown) => {
    throw new ChartLibraryMissingError(`${root} has no dist/uPlot.iife.min.js or dist/uPlot.min.css (${(error as Error).message})`);
  });
  return { name: manifest.name, version: manifest.version, license: manifest.license ?? 'MIT', script, stylesheet };
}

/** Reads the library once per process. */
export function loadChartLibrary(): Promise<ChartLibrary> {
  cached ??= read();
  cached.catch(() => (cached = undefined));
  return cached;
}
