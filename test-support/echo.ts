// How a hostile provider may echo what it was sent, and a leak detector for it: the encodings a provider may
// write a secret back in (each alone or chained), and what a text reveals once decoded every such way. The
// detector decodes with Node's own decoders (Buffer, String.fromCodePoint), apart from the masking code.

/** No run of this many characters of a secret may be revealed. */
export const RUN = 8;

const utf8 = (v: string) => [...Buffer.from(v, 'utf8')];
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
/** The UTF-16 units of a text (a character past U+FFFF is two). */
const units = (v: string) => Array.from({ length: v.length }, (_, i) => v.charCodeAt(i));

/** How a provider may write back what it received. Each takes any text and gives the encoded text. */
export const ENCODINGS: Record<string, (v: string) => string> = {
  raw: (v) => v,
  uri: (v) => encodeURIComponent(v),
  form: (v) => new URLSearchParams([['x', v]]).toString().slice(2),
  percentEveryByte: (v) =>
    utf8(v)
      .map((b) => `%${hex2(b).toUpperCase()}`)
      .join(''),
  percentEveryByteLower: (v) =>
    utf8(v)
      .map((b) => `%${hex2(b)}`)
      .join(''),
  json: (v) => JSON.stringify(v).slice(1, -1),
  jsonSlash: (v) => JSON.stringify(v).slice(1, -1).replace(/\//g, '\\/'),
  jsonEveryUnit: (v) =>
    units(v)
      .map((u) => `\\u${u.toString(16).padStart(4, '0')}`)
      .join(''),
  jsonEveryUnitUpper: (v) =>
    units(v)
      .map((u) => `\\u${u.toString(16).toUpperCase().padStart(4, '0')}`)
      .join(''),
  jsCodePoint: (v) => [...v].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join(''),
  xBytes: (v) =>
    utf8(v)
      .map((b) => `\\x${hex2(b)}`)
      .join(''),
  entityDecimal: (v) => [...v].map((c) => `&#${c.codePointAt(0)};`).join(''),
  entityDecimalNoSemicolon: (v) => [...v].map((c) => `&#${c.codePointAt(0)}`).join(''),
  entityHex: (v) => [...v].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
  entityHexUpperNoSemicolon: (v) => [...v].map((c) => `&#X${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(''),
  htmlEscaped: (v) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
  hex: (v) => Buffer.from(v).toString('hex'),
  hexUpper: (v) => Buffer.from(v).toString('hex').toUpperCase(),
  base64: (v) => Buffer.from(v).toString('base64'),
  base64NoPadding: (v) => Buffer.from(v).toString('base64').replace(/=+$/, ''),
  base64url: (v) => Buffer.from(v).toString('base64url'),
};
/** The names of ENCODINGS. */
export const NAMES = Object.keys(ENCODINGS);

/** The text's decodings with Node's decoders, nested `depth` deep: percent, JSON/JS escapes, entities, base64 and hex runs at every alignment. */
function decodings(text: string, depth: number): Set<string> {
  const all = new Set([text]);
  let level = [text];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    const add = (v: string) => {
      if (!all.has(v) && all.size < 5000) {
        all.add(v);
        next.push(v);
      }
    };
    for (const v of level) {
      add(v.replace(/(?:%[0-9a-fA-F]{2})+/g, (m) => Buffer.from(m.replace(/%/g, ''), 'hex').toString('utf8')));
      add(v.replace(/(?:\\x[0-9a-fA-F]{2})+/g, (m) => Buffer.from(m.replace(/\\x/g, ''), 'hex').toString('utf8')));
      // One pass each, as a JSON reader and an HTML reader do (`\\u0041` is a backslash and `u0041`).
      add(
        v.replace(/\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\([\\/"])/g, (m, cp?: string, unit?: string, char?: string) => {
          if (cp !== undefined) return parseInt(cp, 16) <= 0x10ffff ? String.fromCodePoint(parseInt(cp, 16)) : m;
          return unit !== undefined ? String.fromCharCode(parseInt(unit, 16)) : char!;
        }),
      );
      add(
        v.replace(/&#[xX]([0-9a-fA-F]{1,6});?|&#(\d{1,7});?|&(amp|lt|gt|quot);/g, (m, h?: string, d?: string, name?: string) => {
          const cp = h !== undefined ? parseInt(h, 16) : d !== undefined ? Number(d) : undefined;
          if (cp === undefined) return ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[name!]!;
          return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
        }),
      );
      for (const run of v.match(/[A-Za-z0-9+/_-]{11,}/g) ?? []) for (let o = 0; o < 4; o++) add(Buffer.from(run.slice(o), 'base64').toString('utf8'));
      for (const run of v.match(/[0-9a-fA-F]{16,}/g) ?? []) {
        for (let o = 0; o < 2; o++) add(Buffer.from(run.slice(o, o + ((run.length - o) & ~1)), 'hex').toString('utf8'));
      }
    }
    level = next;
  }
  return all;
}

/** Every run of 8 characters of a secret that the text or one of its decodings shows (`+` read as a space too). */
export function revealed(text: string, secrets: readonly string[], depth = 4): string[] {
  const found = new Set<string>();
  const views = [...decodings(text, depth)].flatMap((v) => [v, v.replace(/\+/g, ' ')]);
  for (const secret of secrets) {
    for (let i = 0; i + RUN <= secret.length; i++) {
      const run = secret.slice(i, i + RUN);
      if (views.some((v) => v.includes(run) || v.includes(run.replace(/\+/g, ' ')))) found.add(run);
    }
  }
  return [...found];
}

/** `text` through each named encoding in turn. */
export function encodeChain(names: readonly string[], text: string): string {
  return names.reduce((t, name) => ENCODINGS[name]!(t), text);
}
