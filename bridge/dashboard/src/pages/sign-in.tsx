/** Sign in with a bridge admin key (operator) or a LeadToSheet API key (tenant). The key goes to the server's session only. */
import { useState } from 'preact/hooks';
import { call, type Session } from '../api';
import { ErrorNote, Notice, useAction } from '../ui';

export function SignIn({ onSignedIn, reason }: { onSignedIn: (s: Session) => void; reason?: string }) {
  const [key, setKey] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const session = await action.run(() => call<Session>('POST', '/dashboard/api/session', { key: key.trim() }));
    setKey('');
    if (session) onSignedIn(session);
  };
  return (
    <main class="sign-in">
      <h1>LeadToSheet bridge</h1>
      {reason ? <Notice>{reason}</Notice> : null}
      <form onSubmit={submit} autoComplete="off">
        <label for="key">API key</label>
        <input
          id="key"
          name="key"
          type="password"
          required
          maxLength={500}
          spellcheck={false}
          autoComplete="off"
          placeholder="ltb_… or lts_…"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <p class="hint">
          A <strong>bridge admin key</strong> (<code>ltb_…</code>) opens the operator pages its scopes allow. A <strong>LeadToSheet API key</strong> (<code>lts_…</code>) opens
          that site's own subscriptions and deliveries. The key stays on the bridge for this session only; it is not stored in the browser.
        </p>
        <ErrorNote error={action.error} />
        <button type="submit" class="primary" disabled={action.busy || !key.trim()}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
