import type { ComponentChildren } from 'preact';
import type { View } from './view.ts';
import { withParam } from './view.ts';

/** The form secret every POST form carries; checked by the session hook. */
export function CsrfField({ view }: { view: View }) {
  return <input type="hidden" name="_csrf" value={view.csrf} />;
}

function Header({ view, current }: { view: View; current?: string }) {
  const { t, principal } = view;
  const other = view.lang === 'de' ? 'en' : 'de';
  const nav: { href: string; key: Parameters<typeof t>[0]; admin?: boolean }[] = [
    { href: '/', key: 'nav.start' },
    { href: '/search', key: 'nav.search' },
    { href: '/fields', key: 'nav.fields' },
    { href: '/digest', key: 'nav.digest' },
    { href: '/admin', key: 'nav.admin', admin: true },
    { href: '/pipeline', key: 'nav.pipeline' },
    { href: '/coverage', key: 'nav.coverage' },
  ];
  return (
    <header class="site-header">
      <div class="brand">
        <a href="/" class="brand-name">
          {t('app.name')}
        </a>
        <span class="brand-tagline">{t('app.tagline')}</span>
      </div>
      {principal && (
        <nav aria-label={t('nav.label')} class="site-nav">
          <ul>
            {nav
              .filter((n) => !n.admin || principal.role === 'admin')
              .map((n) => (
                <li key={n.href}>
                  <a href={n.href} aria-current={current === n.href ? 'page' : undefined}>
                    {t(n.key)}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
      )}
      <div class="site-tools">
        <a
          href={withParam(view.url, 'lang', other)}
          lang={other}
          hreflang={other}
          aria-label={t('lang.switchLabel')}
        >
          {t('lang.switch')}
        </a>
        {principal && (
          <form method="post" action="/sign-out" class="sign-out">
            <span class="who">
              {t('user.signedInAs', { name: principal.name, role: t(`role.${principal.role}`) })}
            </span>
            <CsrfField view={view} />
            <button type="submit">{t('signOut.button')}</button>
          </form>
        )}
      </div>
    </header>
  );
}

export interface LayoutProps {
  view: View;
  title: string;
  /** The navigation entry to mark as current (its href). */
  current?: string;
  children: ComponentChildren;
}

/** Every page: skip link, header (brand, navigation, language, person, sign-out), main, footer. */
export function Layout({ view, title, current, children }: LayoutProps) {
  return (
    <html lang={view.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${view.t('app.name')}`}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/style.css" />
        <link rel="stylesheet" href="/static/manage.css" />
        <script src="/static/app.js" defer />
      </head>
      <body>
        <a href="#main" class="skip-link">
          {view.t('skip.main')}
        </a>
        <Header view={view} {...(current ? { current } : {})} />
        <main id="main" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <a href="/docs">{view.t('footer.api')}</a>
        </footer>
      </body>
    </html>
  );
}
