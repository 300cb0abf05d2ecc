// A short secret however one layer of escapes wrote it: an encoder may escape any of its characters, and in either
// hex case (PHP's and Python's JSON escape every unit past ASCII, Go's and .NET's the HTML-sensitive ones too, a URL
// encoder what it likes), which no list of forms covers. One regular expression per secret, each character an
// alternation of its writings: matching is linear in the text, with no copy or decoding of it. Its size grows with
// the secret's, so redactWhole builds it for short secrets only (mask.ts).

/** A hex number matched in either case, at least `width` digits (leading zeros beyond them allowed where `zeros`). */
function hex(value: number, width: number, zeros = false): string {
  const digits = value.toString(16).padStart(width, '0');
  return (zeros ? '0*' : '') + [...digits].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

const literal = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** JSON's and JavaScript's one-letter escapes. */
const SHORT_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', "'": "'", '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };
/** The named HTML entities a form body or a quote needs. */
const ENTITIES: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };

/**
 * Every way one layer of percent-encoding, JSON or JavaScript escapes or HTML entities writes `char` (one code
 * point, or a lone surrogate), the escapes before the character as it is.
 */
function writings(char: string): string[] {
  const codePoint = char.codePointAt(0)!;
  const units = [...Array(char.length).keys()].map((i) => char.charCodeAt(i));
  const out: string[] = [];
  // JSON and JavaScript: \u{X}, \xXX, the one-letter escapes.
  out.push(`\\\\u\\{${hex(codePoint, 1, true)}\\}`);
  if (codePoint < 0x100) out.push(`\\\\x${hex(codePoint, 2)}`);
  if (SHORT_ESCAPES[char] !== undefined) out.push(`\\\\${literal(SHORT_ESCAPES[char])}`);
  // Percent-encoding: the UTF-8 bytes (a lone surrogate as U+FFFD's, as URL encoders write it), or %uXXXX.
  out.push([...Buffer.from(char, 'utf8')].map((byte) => `%${hex(byte, 2)}`).join(''), units.map((unit) => `%u${hex(unit, 4)}`).join(''));
  // HTML numeric entities, with or without `;`, and the named ones.
  out.push(`&#0*${codePoint};?`, `&#[xX]${hex(codePoint, 1, true)};?`);
  if (ENTITIES[char] !== undefined) out.push(`&${ENTITIES[char]};`);
  // Form encoding writes a space as `+`.
  if (char === ' ') out.push('\\+');
  // Each UTF-16 unit as \uXXXX or as it is (a surrogate pair as two: either, both or neither escaped).
  out.push(units.map((unit) => `(?:\\\\u${hex(unit, 4)}|${literal(String.fromCharCode(unit))})`).join(''));
  return out;
}

/**
 * Matches `secret` whole, each of its characters as it is or escaped any way one layer of an encoder writes it.
 * Each character's writing after the first is taken once found (an atomic group: a lookahead and a
 * backreference), so that a text that almost matches costs at most one try per character at each position, never a
 * search among combinations.
 */
export function escapedSecretPattern(secret: string): RegExp {
  const [first, ...rest] = [...secret].map((char) => writings(char).join('|'));
  // The first character as a plain group: the engine then skips at once the positions where none of its writings
  // can start (an atomic group there would cost a lookahead at every position of the text).
  return new RegExp(`(?:${first})${rest.map((writing, i) => `(?=(${writing}))\\${i + 1}`).join('')}`, 'g');
}
