/** Checks an endpoint URL option: an absolute http(s) URL, or the provider's default when not given. */
export function endpointURLOption(provider: string, key: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !isHttpURL(value)) {
    throw new TypeError(`${provider} strategy: ${key} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Checks a base URL option (a provider with several hosts): an absolute http(s) URL without query or fragment,
 * returned without trailing slashes; `undefined` when not given.
 */
export function baseURLOption(provider: string, key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isHttpURL(value) || /[?#]/.test(value)) {
    throw new TypeError(`${provider} strategy: ${key} must be an absolute http(s) URL without query, got ${JSON.stringify(value)}`);
  }
  return value.replace(/(?<!\/)\/+$/, ''); // lookbehind: linear on a run of slashes
}

function isHttpURL(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
