import { fileURLToPath } from 'node:url';

/** Root of the installed package; used for files that ship with it (concept, rules, migrations). */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));

export function fromPackage(...parts: string[]): string {
  return [packageRoot.replace(/\/$/, ''), ...parts].join('/');
}
