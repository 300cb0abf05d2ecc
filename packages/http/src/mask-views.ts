// The decoded views of a text, for masking: what the text says once its escapes and encodings are undone, each
// character of a view mapped back to the stretch of the original text it came from, so that a secret found in a
// view is masked where it stands in the original. One pass per view, each linear in the view's length.

/** A decoding of the original text: `text[i]` came from `original.slice(from[i], to[i])`. */
export interface View {
  text: string;
  from: Int32Array;
  to: Int32Array;
}

/** The original text as its own view. */
export function rootView(text: string): View {
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    from[i] = i;
    to[i] = i + 1;
  }
  return { text, from, to };
}

/** A view being written: characters (UTF-16 units) appended with the original stretch each came from. */
class ViewWriter {
  private units: Uint16Array;
  private from: Int32Array;
  private to: Int32Array;
  private length = 0;

  /** `capacity`: the length expected (a decoding is never longer than what it decodes); it grows if need be. */
  constructor(capacity: number) {
    this.units = new Uint16Array(capacity + 16);
    this.from = new Int32Array(capacity + 16);
    this.to = new Int32Array(capacity + 16);
  }

  private unit(unit: number, from: number, to: number): void {
    if (this.length === this.units.length) {
      const units = new Uint16Array(this.length * 2);
      const fromTo = [new Int32Array(this.length * 2), new Int32Array(this.length * 2)] as const;
      units.set(this.units);
      fromTo[0].set(this.from);
      fromTo[1].set(this.to);
      [this.units, this.from, this.to] = [units, ...fromTo];
    }
    this.units[this.length] = unit;
    this.from[this.length] = from;
    this.to[this.length++] = to;
  }

  /** One code point (two units past U+FFFF, both from the same stretch). */
  push(codePoint: number, from: number, to: number): void {
    if (codePoint <= 0xffff) return this.unit(codePoint, from, to);
    codePoint -= 0x10000;
    this.unit(0xd800 + (codePoint >> 10), from, to);
    this.unit(0xdc00 + (codePoint & 0x3ff), from, to);
  }

  /** Bytes as UTF-8 where they form it, each other byte as the character of its value (Latin-1, `\xe9` is é). */
  pushBytes(bytes: readonly number[], from: readonly number[], to: readonly number[]): void {
    for (let i = 0; i < bytes.length;) {
      const [codePoint, size] = utf8At(bytes, i);
      this.push(codePoint, from[i]!, to[i + size - 1]!);
      i += size;
    }
  }

  /** A break between decoded runs that no secret spans; it maps to nothing. */
  separate(): void {
    if (this.length === 0 || this.units[this.length - 1] === 0) return;
    const at = this.to[this.length - 1]!;
    this.unit(0, at, at);
  }

  view(): View {
    // Node's UTF-16 decoding keeps every unit as it is (a lone surrogate included).
    const text = Buffer.from(this.units.buffer, this.units.byteOffset, this.length * 2).toString('utf16le');
    return { text, from: this.from.slice(0, this.length), to: this.to.slice(0, this.length) };
  }
}

/** The code point of the UTF-8 sequence at `i` and its length in bytes; an invalid sequence gives its first byte. */
function utf8At(bytes: readonly number[], i: number): [number, number] {
  const lead = bytes[i]!;
  const size = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 1;
  if (size === 1 || i + size > bytes.length) return [lead, 1];
  let codePoint = lead & (0x7f >> size);
  for (let k = 1; k < size; k++) {
    const next = bytes[i + k]!;
    if ((next & 0xc0) !== 0x80) return [lead, 1];
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const smallest = size === 2 ? 0x80 : size === 3 ? 0x800 : 0x10000;
  if (codePoint < smallest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return [lead, 1];
  return [codePoint, size];
}

// The escapes undone, one family at a time (an encoder writes one family per layer: `%aa&amp;` is an HTML-escaped
// `%aa&`, not a percent-encoded byte), each in one pass. A family's alternatives name what they capture.
const ESCAPE_FAMILIES = {
  /** `%XX` (UTF-8 bytes), and `%uXXXX` as JavaScript's escape() writes a UTF-16 unit. */
  percent: [String.raw`%(?<byte>[0-9a-fA-F]{2})`, String.raw`%u(?<unit>[0-9a-fA-F]{4})`],
  /** JSON and JavaScript: `\u{X…}`, `\uXXXX` (a UTF-16 unit), `\xXX` (bytes), `\/` `\"` `\n`… */
  backslash: [
    String.raw`\\u\{(?<codePoint>[0-9a-fA-F]{1,6})\}`,
    String.raw`\\u(?<unit>[0-9a-fA-F]{4})`,
    String.raw`\\x(?<byte>[0-9a-fA-F]{2})`,
    String.raw`\\(?<char>[\\/"'bfnrt])`,
  ],
  /** HTML numeric entities (hex or decimal, with or without `;`) and the named ones a form body or a quote needs. */
  html: [String.raw`&#[xX](?<hexCodePoint>[0-9a-fA-F]{1,6});?`, String.raw`&#(?<decimalCodePoint>\d{1,7});?`, String.raw`&(?<entity>amp|lt|gt|quot|apos);`],
};
/** The families of escapes `unescaped` undoes. */
export type EscapeFamily = keyof typeof ESCAPE_FAMILIES;
/** Every family, in the order they are tried. */
export const ESCAPE_FAMILY_NAMES = Object.keys(ESCAPE_FAMILIES) as EscapeFamily[];
const ESCAPES = Object.fromEntries(
  Object.entries(ESCAPE_FAMILIES).map(([family, alternatives]) => [family, new RegExp(alternatives.join('|'), 'g')]),
) as Record<EscapeFamily, RegExp>;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', '/': '/', '"': '"', "'": "'", b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The view with one layer of one family of escapes undone, or undefined when it has none. */
export function unescaped(view: View, family: EscapeFamily): View | undefined {
  const { text } = view;
  const escape = ESCAPES[family];
  escape.lastIndex = 0;
  let match = escape.exec(text);
  if (match === null) return undefined;
  const out = new ViewWriter(text.length);
  // Consecutive byte escapes (`%C3%A9`, `\xc3\xa9`) are one UTF-8 sequence.
  const bytes: number[] = [];
  const bytesFrom: number[] = [];
  const bytesTo: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    out.pushBytes(bytes, bytesFrom, bytesTo);
    bytes.length = bytesFrom.length = bytesTo.length = 0;
  };
  const literal = (start: number, end: number) => {
    if (start < end) flush();
    for (let i = start; i < end; i++) out.push(text.charCodeAt(i), view.from[i]!, view.to[i]!);
  };
  let last = 0;
  for (; match !== null; match = escape.exec(text)) {
    literal(last, match.index);
    const from = view.from[match.index]!;
    const to = view.to[match.index + match[0].length - 1]!;
    last = match.index + match[0].length;
    const { byte, unit, codePoint, hexCodePoint, decimalCodePoint, char, entity } = match.groups!;
    if (byte !== undefined) {
      bytes.push(parseInt(byte, 16));
      bytesFrom.push(from);
      bytesTo.push(to);
      continue;
    }
    flush();
    const code =
      unit !== undefined
        ? parseInt(unit, 16)
        : codePoint !== undefined
          ? parseInt(codePoint, 16)
          : hexCodePoint !== undefined
            ? parseInt(hexCodePoint, 16)
            : decimalCodePoint !== undefined
              ? parseInt(decimalCodePoint, 10)
              : (char !== undefined ? SIMPLE_ESCAPES[char]! : NAMED_ENTITIES[entity!]!).charCodeAt(0);
    // Past the last code point, the escape is left as it is.
    if (code > 0x10ffff) for (let i = 0; i < match[0].length; i++) out.push(match[0].charCodeAt(i), from, to);
    else out.push(code, from, to);
  }
  literal(last, text.length);
  flush();
  return out.view();
}

const BASE64_VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'].entries()) BASE64_VALUE[c.charCodeAt(0)] = i;
// base64 and base64url alike.
BASE64_VALUE['+'.charCodeAt(0)] = BASE64_VALUE['-'.charCodeAt(0)] = 62;
BASE64_VALUE['/'.charCodeAt(0)] = BASE64_VALUE['_'.charCodeAt(0)] = 63;
const HEX_VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'0123456789abcdef'].entries()) HEX_VALUE[c.charCodeAt(0)] = HEX_VALUE[c.toUpperCase().charCodeAt(0)] = i;

const BASE64_RUN = /[A-Za-z0-9+/_-]+/g;
const HEX_RUN = /[0-9a-fA-F]+/g;

/**
 * The bytes of every run of at least `minChars` base64 or base64url characters, decoded from each of the four
 * alignments (the run may begin mid-group, where other text runs into the encoding), as four views; none when
 * there is no such run.
 */
export function base64Decodings(view: View, minChars: number): View[] {
  return decodeRuns(view, BASE64_RUN, minChars, 4, 6, BASE64_VALUE);
}

/** The same for runs of hexadecimal digits (either case), from the run's first or second digit: two views. */
export function hexDecodings(view: View, minChars: number): View[] {
  return decodeRuns(view, HEX_RUN, minChars, 2, 4, HEX_VALUE);
}

/**
 * Decodes each run of `alphabet` at least `minChars` long, from each of its first `alignments` characters, as a
 * stream of `bits`-bit digits into bytes, each byte mapped to the digits it came from.
 */
function decodeRuns(view: View, alphabet: RegExp, minChars: number, alignments: number, bits: number, digit: Int8Array): View[] {
  const { text } = view;
  const writers: ViewWriter[] = [];
  alphabet.lastIndex = 0;
  for (let match = alphabet.exec(text); match !== null; match = alphabet.exec(text)) {
    const end = match.index + match[0].length;
    for (let offset = 0; offset < alignments && match[0].length - offset >= minChars; offset++) {
      const out = (writers[offset] ??= new ViewWriter(text.length));
      const bytes: number[] = [];
      const from: number[] = [];
      const to: number[] = [];
      let acc = 0;
      let held = 0;
      let first = -1;
      for (let i = match.index + offset; i < end; i++) {
        if (held === 0) first = i;
        acc = ((acc << bits) | digit[text.charCodeAt(i)]!) & 0xffff;
        held += bits;
        if (held >= 8) {
          held -= 8;
          bytes.push((acc >> held) & 0xff);
          from.push(view.from[first]!);
          to.push(view.to[i]!);
          // The next byte starts in this digit when bits are left over.
          first = held > 0 ? i : -1;
        }
      }
      out.separate();
      out.pushBytes(bytes, from, to);
    }
  }
  return writers.filter((w) => w !== undefined).map((w) => w.view());
}
