/** A `scope` option: one documented scope, a space- or comma-separated string, or a list of documented scopes. */
export type ScopeOption<S extends string> = S | string | readonly S[];

/** `'a b'`, `'a,b'` or `['a', 'b']` → `['a', 'b']`; `undefined` and `''` → `[]`. */
export function scopeList(scope: string | readonly string[] | undefined | null): string[] {
  if (scope === undefined || scope === null) return [];
  const list = typeof scope === 'string' ? scope.split(/[\s,]+/) : [...scope];
  for (const item of list) {
    if (typeof item !== 'string') throw new TypeError(`A scope must be a string, got ${typeof item}`);
  }
  return list.map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Throws a `TypeError` naming the first scope the provider does not document, with the list of valid ones.
 * `known === null` means the provider has no scopes at all.
 */
export function checkScopes(provider: string, requested: readonly string[], known: readonly string[] | null): void {
  for (const scope of requested) {
    if (known === null) throw new TypeError(`${provider} has no scopes, but scope "${scope}" was requested`);
    if (!known.includes(scope)) throw new TypeError(`Unknown ${provider} scope "${scope}". Valid scopes: ${known.join(', ')}`);
  }
}
