/** One line of the `npm run bench` table (see main.ts); its own module so benchmarks need not import the runner. */
export interface BenchResult {
  name: string;
  ms: number;
  /** Target in ms, when there is one. */
  target?: number;
  detail?: string;
}
