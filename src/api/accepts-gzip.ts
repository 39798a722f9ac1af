import { Negotiator } from '@fastify/accept-negotiator';

// Clients send the same few Accept-Encoding values: each is judged once (at most 100 kept, so
// odd headers cannot grow memory).
const judged = new Map<string, boolean>();
const negotiator = new Negotiator<'gzip' | 'identity'>({ supportedValues: ['gzip', 'identity'] });

/** Whether a request's `Accept-Encoding` takes gzip (RFC 9110, 12.5.3: q-values, `*`, `gzip;q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let yes = judged.get(header);
  if (yes === undefined) {
    yes = negotiator.negotiate(header) === 'gzip';
    if (judged.size >= 100) judged.clear();
    judged.set(header, yes);
  }
  return yes;
}
