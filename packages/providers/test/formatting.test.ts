import fc from 'fast-check';
import { escapeHtml, formattingToHtml, formattingToPlain, parseFormatting } from '../src';

// What the HTML renderer may write: escaped text, and spans whose style comes from the parser's fixed rules.
const SAFE_HTML = /^(?:[^<>&"']|&(?:amp|lt|gt|quot|#39);|<span style="[a-z0-9#:;.(), -]*">|<\/span>)*$/;

const unescape = (html: string): string =>
  html
    .replace(/<span style="[^"]*">|<\/span>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

// Inputs made of the characters that matter to the parser, so that codes are frequent.
const formatted = fc.string({
  unit: fc.constantFrom('$', 'l', 'h', '[', ']', 'o', 'z', '<', '>', 'f', '0', 'a', 'g', ' ', '"', '&', "'", 'x', 'é'),
  maxLength: 200,
});

describe('formatting codes', () => {
  it('renders colours and styles of documented names', () => {
    expect(formattingToPlain('$f00Some$fffPlayer')).toBe('SomePlayer');
    expect(formattingToHtml('$f00Some$fffPlayer')).toBe('<span style="color:#ff0000">Some</span><span style="color:#ffffff">Player</span>');
    expect(formattingToPlain('$i$a1bLaserhawk $fff- Megacity Race')).toBe('Laserhawk - Megacity Race');
    expect(formattingToHtml('$o$t$sx$zy')).toBe('<span style="font-weight:bold;text-transform:uppercase;text-shadow:1px 1px 1px rgba(0,0,0,0.6)">x</span>y');
    expect(formattingToPlain('a$$b$')).toBe('a$b');
    expect(formattingToPlain('$<$f00a$>b')).toBe('ab');
    expect(parseFormatting('$<$f00a$>b').map((s) => s.style.color)).toEqual(['#ff0000', undefined]);
  });

  it('keeps link text and drops link targets: nothing clickable, nothing of the target left', () => {
    const club = '$l[https://openplanet.dev]Openplanet.dev$l and $l[javascript:alert(1)]x$l';
    expect(formattingToPlain(club)).toBe('Openplanet.dev and x');
    expect(formattingToHtml(club)).toBe('Openplanet.dev and x');
    expect(formattingToHtml('$l[unclosed')).toBe('[unclosed');
  });

  it('escapes markup in every position', () => {
    expect(formattingToHtml('$f00<script>alert("x")</script>')).toBe('<span style="color:#ff0000">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</span>');
    expect(escapeHtml(`<a href='x'>&`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;');
  });

  it('writes no unescaped character for any input, and its text is the plain rendering (property)', () => {
    fc.assert(
      fc.property(fc.oneof(formatted, fc.string({ maxLength: 200 })), (input) => {
        const html = formattingToHtml(input);
        expect(html).toMatch(SAFE_HTML);
        expect(unescape(html)).toBe(formattingToPlain(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('is linear: adversarial inputs of 2 MB parse in a bound a quadratic parser cannot meet', () => {
    // A quadratic scan of any of these takes minutes; the bound holds on a machine under full load.
    const size = 2_000_000;
    for (const unit of ['$l[', '$<', '$>', '$f', '$', '[$l', '$o$z', '$$']) {
      const input = unit.repeat(Math.ceil(size / unit.length));
      const started = process.hrtime.bigint();
      const html = formattingToHtml(input);
      formattingToPlain(input);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(ms).toBeLessThan(5000);
      expect(html.length).toBeLessThan(input.length * 80);
    }
  });
});
