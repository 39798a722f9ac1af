/**
 * One copy per distinct value for the fields of kept cards and index facts that repeat across
 * calls (source, programme, funder, language, the source page, import times, time zones):
 * SQLite hands out a new string per row, and 20,000 kept cards held each of these thousands of
 * times over (a heap snapshot after the search bench: "Horizon Europe", "Europe/Brussels" and
 * the portal's URL once per card or deadline).
 */
export class SharedStrings {
  private readonly kept = new Map<string, string>();

  /** `limit`: distinct values kept at most; past it the table starts over (values stay correct). */
  constructor(private readonly limit = 50_000) {}

  /** Distinct values kept. */
  get size(): number {
    return this.kept.size;
  }

  of(s: string): string;
  of(s: string | null): string | null;
  of(s: string | null): string | null {
    if (s === null) return null;
    const have = this.kept.get(s);
    if (have !== undefined) return have;
    if (this.kept.size >= this.limit) this.kept.clear();
    this.kept.set(s, s);
    return s;
  }
}
