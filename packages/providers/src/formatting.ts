// Trackmania and ManiaPlanet `$` formatting codes (nicknames, map names, club tags): one linear parser, rendered to
// plain text or to HTML that is safe to put in a page. Every byte of the input is provider text and hostile.

/** The style in force for a run of formatted text. */
export interface FormattingStyle {
  /** `#rrggbb`, from a `$rgb` code; absent for the default colour (`$g`, `$z`). */
  color?: string;
  /** `$o` */
  bold: boolean;
  /** `$i` */
  italic: boolean;
  /** `$w` (wide); `$n` (narrow) and `$m` (normal) clear it. */
  wide: boolean;
  /** `$n` (narrow); `$w` and `$m` clear it. */
  narrow: boolean;
  /** `$t` (capitals). */
  uppercase: boolean;
  /** `$s` (shadow). */
  shadow: boolean;
}

/** A run of text in one style. Link targets (`$l[url]`, `$h[manialink]`) are dropped; the link text is kept. */
export interface FormattedSegment {
  /** The segment's text, without formatting codes. */
  text: string;
  /** The style the text is shown in. */
  style: Readonly<FormattingStyle>;
}

const PLAIN: Readonly<FormattingStyle> = Object.freeze({ bold: false, italic: false, wide: false, narrow: false, uppercase: false, shadow: false });
// `$<` saves the style and `$>` restores it; deeper nesting than this is ignored rather than kept without bound.
const MAX_NESTING = 32;
// Link openers and closers: `$l` (URL), `$h` (manialink), `$p` (legacy), each with an optional `[target]`.
const LINK_LETTERS = new Set('lhpLHP');

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** The style after one style letter, or `undefined` when the letter is not a style code. */
function applyStyle(style: Readonly<FormattingStyle>, letter: string, stack: Array<Readonly<FormattingStyle>>): Readonly<FormattingStyle> | undefined {
  switch (letter.toLowerCase()) {
    case 'o':
      return { ...style, bold: true };
    case 'i':
      return { ...style, italic: true };
    case 'w':
      return { ...style, wide: true, narrow: false };
    case 'n':
      return { ...style, narrow: true, wide: false };
    case 'm':
      return { ...style, wide: false, narrow: false };
    case 't':
      return { ...style, uppercase: true };
    case 's':
      return { ...style, shadow: true };
    case 'g': {
      const next = { ...style };
      delete next.color;
      return next;
    }
    case 'z':
      return PLAIN;
    case '<':
      if (stack.length < MAX_NESTING) stack.push(style);
      return style;
    case '>':
      return stack.pop() ?? style;
    default:
      return undefined;
  }
}

/**
 * Splits formatted text into runs of one style. Colours are `$` and 1 to 3 hex digits (missing digits count as 0);
 * styles `$o $i $w $n $m $t $s $g $z $< $>`; links `$l[url]text$l`, `$h[manialink]text$h`, `$p`: the text is kept
 * and the target dropped (a `[` without a closing `]` is kept as text); `$$` is a literal `$`, a lone `$` at the end
 * is dropped, a `$` before any other character is kept. Case is ignored.
 *
 * One pass over the text, whatever it holds: each character is looked at a bounded number of times.
 */
export function parseFormatting(text: string): FormattedSegment[] {
  const segments: FormattedSegment[] = [];
  const stack: Array<Readonly<FormattingStyle>> = [];
  let style: Readonly<FormattingStyle> = PLAIN;
  let pending: string[] = []; // text of the current run
  let copied = 0; // text before this index is already in `pending` (or dropped)
  let close = -1; // index of the next `]` at or after the cursor, once looked up; `length` when there is none
  const flush = (): void => {
    const joined = pending.join('');
    pending = [];
    if (joined) segments.push({ text: joined, style });
  };
  for (let at = text.indexOf('$'); at !== -1; at = text.indexOf('$', at)) {
    const next = text[at + 1];
    let end: number; // the code is text[at, end)
    let nextStyle: Readonly<FormattingStyle> | undefined;
    if (next === undefined) end = at + 1;
    else if (next === '$') {
      pending.push(text.slice(copied, at), '$');
      copied = at + 2;
      at += 2;
      continue;
    } else if (isHexDigit(next.charCodeAt(0))) {
      end = at + 2;
      while (end < at + 4 && end < text.length && isHexDigit(text.charCodeAt(end))) end++;
      const digits = text
        .slice(at + 1, end)
        .toLowerCase()
        .padEnd(3, '0');
      nextStyle = { ...style, color: `#${digits[0]}${digits[0]}${digits[1]}${digits[1]}${digits[2]}${digits[2]}` };
    } else if (LINK_LETTERS.has(next)) {
      end = at + 2;
      if (text[end] === '[') {
        // Each `]` is looked up once and reused until the cursor passes it: the whole text is scanned at most once.
        if (close < end + 1) {
          const found = text.indexOf(']', end + 1);
          close = found === -1 ? text.length : found;
        }
        if (close < text.length) end = close + 1;
      }
    } else {
      nextStyle = applyStyle(style, next, stack);
      if (nextStyle === undefined) {
        at += 1; // a `$` that starts no code stays as it is
        continue;
      }
      end = at + 2;
    }
    pending.push(text.slice(copied, at));
    copied = end;
    at = end;
    if (nextStyle !== undefined && nextStyle !== style) {
      flush();
      style = nextStyle;
    }
  }
  pending.push(text.slice(copied));
  flush();
  return segments;
}

/** Formatted text as plain text: `$f00Some$fffPlayer` → `SomePlayer`. */
export function formattingToPlain(text: string): string {
  return parseFormatting(text)
    .map((s) => s.text)
    .join('');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text with `& < > " '` escaped, safe inside an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function css(style: Readonly<FormattingStyle>): string {
  const rules: string[] = [];
  // `color` comes only from hex digits the parser checked: nothing else can reach the attribute.
  if (style.color) rules.push(`color:${style.color}`);
  if (style.bold) rules.push('font-weight:bold');
  if (style.italic) rules.push('font-style:italic');
  if (style.wide) rules.push('letter-spacing:0.1em');
  if (style.narrow) rules.push('letter-spacing:-0.05em');
  if (style.uppercase) rules.push('text-transform:uppercase');
  if (style.shadow) rules.push('text-shadow:1px 1px 1px rgba(0,0,0,0.6)');
  return rules.join(';');
}

/**
 * Formatted text as HTML safe to insert in a page: each run a `<span style="…">` with its colour and styles, every
 * character of the text escaped, links reduced to their text (no `<a>`, no target).
 */
export function formattingToHtml(text: string): string {
  return parseFormatting(text)
    .map((segment) => {
      const rules = css(segment.style);
      const escaped = escapeHtml(segment.text);
      return rules ? `<span style="${rules}">${escaped}</span>` : escaped;
    })
    .join('');
}
