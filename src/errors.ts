/**
 * One error family for the whole product. Every error has a stable `code` that clients and
 * tests can rely on, an HTTP status, and a message in English (user-facing German texts are
 * produced at the edges, e.g. problem+json titles and mails).
 */
export const errorCodes = {
  CONFIG_INVALID: { status: 500, title: 'Ungültige Konfiguration / Invalid configuration' },
  CONCEPT_INVALID: { status: 500, title: 'Ungültige Konzeptdatei / Invalid concept file' },
  CONCEPT_NOT_FOUND: { status: 500, title: 'Konzeptdatei nicht gefunden / Concept file not found' },
  DATABASE_UNUSABLE: { status: 503, title: 'Datenbank nicht nutzbar / Database unusable' },
  NOT_FOUND: { status: 404, title: 'Nicht gefunden / Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Pfad nicht gefunden / Route not found' },
  VALIDATION_FAILED: { status: 400, title: 'Ungültige Eingabe / Invalid input' },
  BAD_REQUEST: { status: 400, title: 'Ungültige Anfrage / Bad request' },
  REQUEST_TIMEOUT: { status: 408, title: 'Zeitüberschreitung der Anfrage / Request timeout' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Kopfzeilen zu groß / Request header fields too large' },
  SHUTTING_DOWN: { status: 503, title: 'Dienst wird beendet / Shutting down' },
  UNAUTHORIZED: { status: 401, title: 'Anmeldung erforderlich / Authentication required' },
  FORBIDDEN: { status: 403, title: 'Keine Berechtigung / Forbidden' },
  CONFLICT: { status: 409, title: 'Konflikt / Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Anfrage zu groß / Payload too large' },
  RATE_LIMITED: { status: 429, title: 'Zu viele Anfragen / Too many requests' },
  RULES_INVALID: { status: 400, title: 'Ungültige Regeln / Invalid rules' },
  IMPORT_INVALID: { status: 400, title: 'Ungültige Importzeile / Invalid import line' },
  CRAWL_FAILED: { status: 502, title: 'Abruf fehlgeschlagen / Crawl failed' },
  CRAWL_RUNNING: { status: 409, title: 'Abruf läuft bereits / Crawl already running' },
  MAIL_FAILED: { status: 502, title: 'Versand fehlgeschlagen / Mail delivery failed' },
  INTERNAL: { status: 500, title: 'Interner Fehler / Internal error' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `actionFields.3.measures.0.id`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCodes[code].status;
    this.details = options.details ?? [];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Turns zod issues into our stable detail shape (path + message). */
export function zodDetails(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): ErrorDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}
