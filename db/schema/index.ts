export * from './access.ts';
export * from './calls.ts';
export * from './concept.ts';
export * from './crawl-runs.ts';
export * from './digests.ts';
export * from './matching.ts';
export * from './sessions.ts';
export * from './subscriber-owners.ts';
