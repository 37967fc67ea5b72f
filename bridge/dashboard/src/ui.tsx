/** The dashboard's small parts: times, errors, empty states, list tables, confirmations, secrets shown once, paging. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Page } from './api';

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

export function relative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  if (Math.abs(diff) < 5000) return 'just now';
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms || unit === 'second') return rtf.format(Math.round(diff / ms), unit);
  return iso;
}

export const absolute = (iso: string) => new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** A time, relative ("3 minutes ago") and absolute (UTC) side by side. */
export function Time({ at, none = '—' }: { at: string | null | undefined; none?: string }) {
  if (!at) return <span class="muted">{none}</span>;
  return (
    <time dateTime={at} title={absolute(at)} class="time">
      <span>{relative(at)}</span> <span class="abs">{absolute(at)}</span>
    </time>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      {message}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{title}</strong>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

export function Badge({ value }: { value: string }) {
  return <span class={`badge badge-${value.replace(/[^a-z_]/g, '')}`}>{value.replace(/_/g, ' ')}</span>;
}

/** "1 delivery", "3 deliveries": a count with its noun, for list captions. */
export const counted = (n: number, singular: string, plural = `${singular}s`) => `${n} ${n === 1 ? singular : plural}`;

/** A list table's column heading; `num` right-aligns it over a numeric column. */
export type Column = string | { label: string; num?: boolean };

/**
 * A list table: its caption (with ", page N" after the first page of a paged list), one
 * column heading per column, and the rows as children.
 */
export function ListTable(props: { class?: string; testid?: string; caption: string; page?: number; columns: Column[]; children: ComponentChildren }) {
  return (
    <table class={props.class} data-testid={props.testid}>
      <caption>
        {props.caption}
        {props.page && props.page > 1 ? `, page ${props.page}` : ''}
      </caption>
      <thead>
        <tr>
          {props.columns.map((c) => {
            const { label, num } = typeof c === 'string' ? { label: c, num: false } : c;
            return (
              <th key={label} scope="col" class={num ? 'num' : undefined}>
                {label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** Loads on mount and whenever `deps` change; `reload` loads again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const reload = useCallback(() => {
    const n = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => n === seq.current && setState({ data, loading: false }),
      (error) => n === seq.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

/**
 * A cursor-paged list (the APIs answer `next_before`): the newest page first, then older
 * pages; going back returns to the page before. `deps` restart it from the newest.
 */
export function usePaged<T>(load: (before: string | undefined) => Promise<Page<T>>, deps: unknown[]) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => setCursors([undefined]), deps);
  const before = cursors[cursors.length - 1];
  const page = useLoad(() => load(before), [...deps, before]);
  return {
    ...page,
    pageNumber: cursors.length,
    older: page.data?.next_before ? () => setCursors((c) => [...c, page.data!.next_before!]) : undefined,
    newer: cursors.length > 1 ? () => setCursors((c) => c.slice(0, -1)) : undefined,
  };
}

export function Pager({ pageNumber, older, newer }: { pageNumber: number; older?: () => void; newer?: () => void }) {
  if (!older && !newer) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={!newer} onClick={newer}>
        ← Newer
      </button>
      <span>Page {pageNumber}</span>
      <button type="button" disabled={!older} onClick={older}>
        Older →
      </button>
    </nav>
  );
}

/** A button that asks first, in a modal dialog, and then runs `action`; its failure is shown in the dialog. */
export function ConfirmButton(props: { label: string; title: string; children: ComponentChildren; confirmLabel: string; danger?: boolean; action: () => Promise<unknown>; small?: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const open = () => {
    setError(undefined);
    dialog.current?.showModal();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await props.action();
      dialog.current?.close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class={`${props.danger ? 'danger' : ''} ${props.small ? 'small' : ''}`} onClick={open}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.title}>
        <h3>{props.title}</h3>
        <div class="dialog-body">{props.children}</div>
        <ErrorNote error={error} />
        <div class="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" class={props.danger ? 'danger' : 'primary'} disabled={busy} onClick={confirm}>
            {props.confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}

/**
 * A secret just issued (admin key, signing secret): masked until revealed, with copy, and
 * the warning that it will not be shown again. `onDone` forgets it.
 */
export function ShownOnce({ label, value, onDone, children }: { label: string; value: string; onDone: () => void; children?: ComponentChildren }) {
  const [revealed, setRevealed] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const masked = `${value.slice(0, value.indexOf('_') + 1)}${'•'.repeat(24)}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section class="shown-once" aria-label={label}>
      <h3>{label}</h3>
      <p class="warning">Copy it now and keep it somewhere safe: it will not be shown again.</p>
      <div class="secret-row">
        <code class="secret" data-testid="secret">
          {revealed ? value : masked}
        </code>
        <button type="button" onClick={() => setRevealed((r) => !r)}>
          {revealed ? 'Hide' : 'Reveal'}
        </button>
        <button type="button" onClick={copy}>
          Copy
        </button>
        {copied === 'yes' ? <span class="ok">Copied</span> : copied === 'failed' ? <span class="muted">Copy failed: reveal it and copy by hand</span> : null}
      </div>
      {children}
      <div class="actions">
        <button type="button" class="primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}

/** Runs an action with a busy flag and its error kept for display. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
