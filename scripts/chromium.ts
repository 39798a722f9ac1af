import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/**
 * The system's Chromium for the browser tests and the screenshots (Debian's `chromium`,
 * installed by .ci/run), driven by playwright-core, which downloads no browser of its own.
 */
/** `CHROMIUM_PATH`, else the first of chromium / chromium-browser / google-chrome on PATH. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  throw new Error(
    'No Chromium found for the browser tests: install it (apt-get install -y chromium) or set CHROMIUM_PATH.',
  );
}

/** A fresh headless Chromium (playwright gives each launch a new temporary profile). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
