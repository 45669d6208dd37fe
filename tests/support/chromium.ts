/**
 * Real headless Chromium for the rendering tests of the HTML report and the dashboard page:
 * Debian's `chromium` (/usr/bin/chromium, installed by .ci/run) driven by playwright-core (which
 * downloads no browser of its own). The flags keep Chromium from opening connections of its own
 * (component updates, sync, safe browsing lists, QUIC probes): on a closed network they fail and
 * slow the start; every run gets a fresh profile directory, removed afterwards.
 *
 * `page.on('request')` sees every request the page makes (documents, scripts, fetch, images,
 * favicons); `route('**\/*')` lets through only the URLs the test allows and aborts the rest, so a
 * page that tried to reach the network is both recorded and kept offline.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PERF_ANALYZE_CHROMIUM ?? '/usr/bin/chromium';

/** Where the screenshots go: kept by CI as artifacts (reports/ is ignored by git). */
export const ARTIFACT_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../reports/ci-artifacts');

/**
 * Whether the rendering tests run: with Chromium installed, always; without it, they fail under CI
 * (where .ci/run installs it, so a missing browser is a broken CI, not a reason to pass) and are
 * skipped elsewhere, their name saying why.
 */
export function chromiumAvailability(): { run: boolean; reason: string } {
  if (existsSync(CHROMIUM)) return { run: true, reason: '' };
  if (process.env.CI) return { run: true, reason: '' }; // the launch then fails with the missing path
  return { run: false, reason: ` [skipped: ${CHROMIUM} is not installed; apt-get install chromium]` };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Session {
  context: BrowserContext;
  page: Page;
  /** console messages of type error, and uncaught page errors */
  errors: string[];
  /** every URL the page requested */
  requests: string[];
  /** the requested URLs that were not allowed (and were aborted) */
  blocked: string[];
  close: () => Promise<void>;
}

export async function openSession(allowed: (url: string) => boolean): Promise<Session> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed (Debian package chromium; .ci/run installs it)`);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'perf-chromium-'));
  // a persistent context is how playwright takes the profile directory (--user-data-dir)
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
    viewport: { width: 1100, height: 900 },
    deviceScaleFactor: 1,
  });
  const errors: string[] = [];
  const requests: string[] = [];
  const blocked: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  return {
    context,
    page,
    errors,
    requests,
    blocked,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface CanvasInk {
  width: number;
  height: number;
  /** pixels with any paint on them */
  painted: number;
  /** pixels close to each asked colour (hex #rrggbb), by colour */
  colours: Record<string, number>;
}

/** What the canvases inside `selector` show: size, painted pixels and pixels of given colours. */
export async function canvasInk(page: Page, selector: string, colours: string[]): Promise<CanvasInk[]> {
  return page.evaluate(
    ({ selector, colours }) => {
      const wanted = colours.map((hex) => ({ hex, rgb: [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) }));
      return Array.from(document.querySelectorAll<HTMLCanvasElement>(`${selector} canvas`)).map((canvas) => {
        const ctx = canvas.getContext('2d')!;
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        const counts: Record<string, number> = Object.fromEntries(colours.map((hex) => [hex, 0]));
        for (let i = 0; i < pixels.length; i += 4) {
          if (pixels[i + 3]! === 0) continue;
          painted += 1;
          for (const { hex, rgb } of wanted) {
            if (Math.abs(pixels[i]! - rgb[0]!) <= 24 && Math.abs(pixels[i + 1]! - rgb[1]!) <= 24 && Math.abs(pixels[i + 2]! - rgb[2]!) <= 24) counts[hex]! += 1;
          }
        }
        return { width: canvas.width, height: canvas.height, painted, colours: counts };
      });
    },
    { selector, colours },
  );
}
