import { z } from 'zod';

/**
 * Numbers in paths and query strings, read strictly. `Number()` (and `z.coerce.number()`) takes
 * `0x10`, `1e2`, ` 12`, `+3` and `1.0` as numbers, so one record had many URLs and odd ones
 * reached the handlers; here only plain decimal digits pass, without sign or leading zero.
 */
const WHOLE = /^(?:0|[1-9][0-9]{0,15})$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,6})?$/;

export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const expected = `expected a whole number from ${min} to ${max}, written in decimal digits only`;
  return z
    .string()
    .regex(WHOLE, expected)
    .transform(Number)
    .pipe(z.number().int().min(min, expected).max(max, expected));
}

export function decimalNumber(min: number, max: number) {
  const expected = `expected a number from ${min} to ${max}, written like 40 or 40.5`;
  return z
    .string()
    .regex(DECIMAL, expected)
    .transform(Number)
    .pipe(z.number().min(min, expected).max(max, expected));
}

/** A database id in a path: 1, 2, … */
export const numericId = wholeNumber(1);
