import type { ComponentChildren } from 'preact';
import { CsrfField } from './layout.tsx';
import type { View } from './view.ts';

/**
 * Pieces the administration tables share: a header row, and a one-button form posting to an
 * action (with the form secret, as every POST form must carry).
 */

/** A header row; `actions` adds a last column for buttons, named only for screen readers. */
export function HeadRow({ labels, actions }: { labels: string[]; actions?: string }) {
  return (
    <tr>
      {labels.map((label) => (
        <th scope="col" key={label}>
          {label}
        </th>
      ))}
      {actions !== undefined && (
        <th scope="col">
          <span class="visually-hidden">{actions}</span>
        </th>
      )}
    </tr>
  );
}

/** A form with one button posting to `action`; `name` tells screen readers what it acts on. */
export function PostButton({
  view,
  action,
  name,
  children,
}: {
  view: View;
  action: string;
  name: string;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField view={view} />
      <button type="submit" aria-label={name}>
        {children}
      </button>
    </form>
  );
}
