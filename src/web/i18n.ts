/**
 * The pages' message catalogue: German first, English complete (the type makes a missing English
 * text a compile error). Texts take `{name}` placeholders; values are inserted as text, and the
 * templates escape everything they output.
 */
import { manageDe, manageEn } from './i18n-manage.ts';

export const langs = ['de', 'en'] as const;
export type Lang = (typeof langs)[number];

const de = {
  'app.name': 'foerdermatch',
  'app.tagline': 'Fördermittel für Kiel International',
  'nav.label': 'Hauptnavigation',
  'nav.start': 'Start',
  'nav.search': 'Suche',
  'nav.fields': 'Handlungsfelder',
  'nav.digest': 'Mein Digest',
  'nav.admin': 'Administration',
  'skip.main': 'Zum Inhalt springen',
  'lang.switch': 'English',
  'lang.switchLabel': 'Switch to English',
  'user.signedInAs': 'Angemeldet als {name} ({role})',
  'role.reader': 'Lesen',
  'role.admin': 'Administration',
  'signOut.button': 'Abmelden',
  'signIn.title': 'Anmelden',
  'signIn.intro':
    'Melden Sie sich mit Ihrem persönlichen Token an. Sie erhalten es von der Administration (Befehl „foerdermatch token create“).',
  'signIn.tokenLabel': 'Token',
  'signIn.tokenHint': 'Beginnt mit „fm_“. Es wird nicht gespeichert, nur Ihre Sitzung.',
  'signIn.button': 'Anmelden',
  'signIn.failed': 'Dieses Token ist unbekannt oder widerrufen.',
  'signIn.expired': 'Das Formular war abgelaufen. Bitte erneut versuchen.',
  'signIn.signedOut': 'Sie sind abgemeldet.',
  'signIn.required': 'Bitte melden Sie sich an, um diese Seite zu sehen.',
  'error.title': 'Fehler',
  'error.csrf':
    'Das Formular ist abgelaufen oder stammt nicht von dieser Seite. Bitte laden Sie die Seite neu.',
  'error.forbidden': 'Für diese Seite ist die Rolle „{role}“ nötig.',
  'error.notFound': 'Diese Seite gibt es nicht.',
  'error.internal': 'Ein interner Fehler ist aufgetreten; er wurde protokolliert.',
  'error.back': 'Zur Startseite',
  'footer.api': 'API-Dokumentation',
  'start.title': 'Start',
  'start.welcome': 'Willkommen, {name}',
  ...manageDe,
} as const;

export type MessageKey = keyof typeof de;

const en: Record<MessageKey, string> = {
  'app.name': 'foerdermatch',
  'app.tagline': 'Funding for Kiel International',
  'nav.label': 'Main navigation',
  'nav.start': 'Start',
  'nav.search': 'Search',
  'nav.fields': 'Action fields',
  'nav.digest': 'My digest',
  'nav.admin': 'Administration',
  'skip.main': 'Skip to content',
  'lang.switch': 'Deutsch',
  'lang.switchLabel': 'Auf Deutsch umschalten',
  'user.signedInAs': 'Signed in as {name} ({role})',
  'role.reader': 'reader',
  'role.admin': 'administrator',
  'signOut.button': 'Sign out',
  'signIn.title': 'Sign in',
  'signIn.intro':
    'Sign in with your personal token. Your administrator creates it (command "foerdermatch token create").',
  'signIn.tokenLabel': 'Token',
  'signIn.tokenHint': 'Starts with "fm_". It is not stored; only your session is.',
  'signIn.button': 'Sign in',
  'signIn.failed': 'This token is unknown or revoked.',
  'signIn.expired': 'The form had expired. Please try again.',
  'signIn.signedOut': 'You are signed out.',
  'signIn.required': 'Please sign in to see this page.',
  'error.title': 'Error',
  'error.csrf': 'The form has expired or did not come from this site. Please reload the page.',
  'error.forbidden': 'This page needs the role "{role}".',
  'error.notFound': 'There is no such page.',
  'error.internal': 'An internal error occurred; it has been logged.',
  'error.back': 'To the start page',
  'footer.api': 'API documentation',
  'start.title': 'Start',
  'start.welcome': 'Welcome, {name}',
  ...manageEn,
};

const catalogue: Record<Lang, Record<MessageKey, string>> = { de, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const texts = catalogue[lang];
  return (key, vars) => {
    const text = texts[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (langs as readonly string[]).includes(v);
}

/** `?lang=` wins (and is remembered in the cookie), then the cookie, then German. */
export function pickLang(query: unknown, cookie: unknown): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return 'de';
}
