/** What a bridge admin key may do. A key holds none by default. */
export const ADMIN_SCOPES = ['subscriptions:read', 'subscriptions:write', 'deliveries:read', 'deliveries:write', 'keys:admin', 'audit:read'] as const;

export type AdminScope = (typeof ADMIN_SCOPES)[number];

export const isAdminScope = (s: unknown): s is AdminScope => typeof s === 'string' && (ADMIN_SCOPES as readonly string[]).includes(s);

/** The scopes in their canonical order, each once. */
export const canonicalScopes = (list: readonly string[]): AdminScope[] => ADMIN_SCOPES.filter((s) => list.includes(s));
