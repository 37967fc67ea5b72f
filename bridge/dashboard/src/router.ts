/** Paths under /dashboard drawn by the page itself: pushState links, back and forward. */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/dashboard';

const current = () => window.location.pathname.replace(/^\/dashboard\/?/, '/').replace(/\/+$/, '') || '/';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(path: string, replace = false) {
  const url = `${BASE}${path === '/' ? '/' : path}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

/**
 * The page's path (such as /keys) and a key for the whole location: a navigation to the
 * same path with another query (a menu link back to an unfiltered list) changes the key.
 */
export function useLocation(): { path: string; key: string } {
  const [, setHref] = useState(window.location.href);
  useEffect(() => {
    const l = () => setHref(window.location.href);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { path: current(), key: `${window.location.pathname}${window.location.search}` };
}

/** A link handled by the page (a normal link for a new tab or a modified click). */
export function onLink(path: string) {
  return {
    href: `${BASE}${path}`,
    onClick: (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(path);
    },
  };
}
