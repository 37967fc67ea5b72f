/** The dashboard app: the session, the navigation the session allows, and the page of the current path. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, setSessionToken, type Session } from './api';
import { SignIn } from './pages/sign-in';
import { navigate, onLink, useLocation } from './router';
import { allowed, match, refusal } from './routes';
import { SessionContext } from './session';
import { ErrorNote } from './ui';

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [reason, setReason] = useState<string>();
  const [bootError, setBootError] = useState<unknown>();
  const { path, key: locationKey } = useLocation();

  const signedOut = (why: string) => {
    setReason(why);
    setSession(null);
  };

  useEffect(() => {
    call<Session>('GET', '/dashboard/api/session').then(setSession, (e) => {
      if (e instanceof ApiError && e.status === 401) setSession(null);
      else setBootError(e);
    });
  }, []);

  if (session) setSessionToken(session.csrf_token, signedOut);
  if (bootError) return <ErrorNote error={bootError} />;
  if (session === undefined) return <p class="boot">Loading…</p>;
  if (session === null) return <SignIn reason={reason} onSignedIn={(s) => (setReason(undefined), setSession(s))} />;

  const pages = allowed(session);
  const found = match(path);
  if (!found && pages[0]) {
    queueMicrotask(() => navigate(pages[0]!.path, true));
    return null;
  }
  const signOut = async () => {
    await call('DELETE', '/dashboard/api/session').catch(() => undefined);
    signedOut('Signed out.');
  };
  const why = found ? refusal(session, found.route) : undefined;
  const Page = found?.route.page;

  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <span class="brand">LeadToSheet bridge</span>
        <nav aria-label="Pages">
          {pages
            .filter((r) => r.nav)
            .map((r) => (
              <a key={r.path} {...onLink(r.path)} class={path.startsWith(r.path) ? 'current' : ''} aria-current={path === r.path ? 'page' : undefined}>
                {r.title}
              </a>
            ))}
        </nav>
        <span class="who" data-testid="who">
          {session.kind === 'operator' ? `Operator · ${session.name} · ${session.prefix}…` : `Site · ${session.name} · ${session.prefix}`}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main class="page">
        {!found ? (
          <div class="refused">
            <h1>Nothing to show</h1>
            <p>This key holds no scope that opens a page. Ask an operator for a key with the scopes you need.</p>
          </div>
        ) : why ? (
          <div class="refused" role="alert" data-testid="refused">
            <h1>Not available</h1>
            <p>{why}</p>
            {pages[0] ? <a {...onLink(pages[0].path)}>Go to {pages[0].title}</a> : null}
          </div>
        ) : Page ? (
          <Page key={locationKey} params={found.params} />
        ) : null}
      </main>
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
