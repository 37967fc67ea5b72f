/** The signed-in session as the page knows it (kind, prefix, scopes, site), shared by every page. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Scope, Session } from './api';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export const holds = (s: Session, scope: Scope) => s.kind === 'operator' && s.scopes.includes(scope);
