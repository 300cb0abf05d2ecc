// Masking over the class of encodings a provider may echo a secret in, nested any way: for random secrets, random
// chains of encodings, random surrounding text and random alignments, no decoding of the masked text shows 8
// consecutive characters of a secret (the detector, test-support/echo.ts, decodes apart from the masking code).
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { MAX_MASKED_LENGTH, redact, redactError, redactWhole, ProviderError } from '@maniapass/http';
import { ENCODINGS, NAMES, RUN, encodeChain as encode, revealed } from '../../../test-support/echo';

// Secrets as providers and users make them: URL-unsafe characters, slashes, plus signs, percent signs, quotes,
// ampersands, backslashes, non-ASCII (é, €, and an emoji: a surrogate pair).
const secretChar = fc.constantFrom(...[...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=%:"\\ &<_-.~!*é€'], '😀');
const secret = fc.array(secretChar, { minLength: 12, maxLength: 40 }).map((chars) => chars.join(''));
const filler = fc.string({ maxLength: 30 });
const chain = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 });

describe('redact: the class of encodings', () => {
  it('the leak detector sees every encoding and chain the tests use (it is not blind where the masking is)', () => {
    fc.assert(
      fc.property(secret, chain, filler, filler, (s, names, before, after) => {
        expect(revealed(`${before}${encode(names, `${before}${s}${after}`)}${after}`, [s])).not.toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it.each(NAMES)('%s of a secret, anywhere in random text, at any alignment: nothing revealed', (name) => {
    fc.assert(
      fc.property(secret, filler, filler, filler, filler, (s, inside, insideAfter, before, after) => {
        // `inside` shifts the secret within what is encoded (another alignment of base64 and hex).
        const text = `${before}${ENCODINGS[name]!(`${inside}${s}${insideAfter}`)}${after}`;
        expect(revealed(redact(text, [s]), [s])).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('an echoed form body (client_id=..&client_secret=..&code=..), through any chain of up to three encodings: nothing revealed', () => {
    fc.assert(
      fc.property(secret, secret, fc.string({ maxLength: 20 }), chain, filler, filler, (clientSecret, code, clientId, names, before, after) => {
        const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, code }).toString();
        const text = `${before}${encode(names, body)}${after}`;
        expect(revealed(redact(text, [clientSecret, code]), [clientSecret, code])).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('percent-encoding nested 1 to 8 deep, with other encodings inside or out: nothing revealed', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 1, max: 8 }), fc.constantFrom(...NAMES), fc.boolean(), filler, (s, depth, other, inside, before) => {
        let text = inside ? ENCODINGS[other]!(s) : s;
        for (let i = 0; i < depth; i++) text = encodeURIComponent(text);
        if (!inside) text = ENCODINGS[other]!(text);
        expect(revealed(redact(`${before}${text}`, [s]), [s], depth + 2)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a secret split into pieces of 8 characters or more, with text between them: no piece survives', () => {
    const pieceSizes = fc.array(fc.integer({ min: RUN, max: 16 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(secret, pieceSizes, fc.constantFrom(...NAMES), filler, (s, sizes, name, between) => {
        // Cut between characters, not inside a surrogate pair.
        const chars = [...s];
        const pieces: string[] = [];
        for (let at = 0, i = 0; at < chars.length; i++) {
          pieces.push(chars.slice(at, at + sizes[i % sizes.length]!).join(''));
          at += sizes[i % sizes.length]!;
        }
        const text = pieces.map((piece) => ENCODINGS[name]!(piece)).join(` ${between} `);
        const masked = redact(text, [s]);
        for (const piece of pieces.filter((p) => p.length >= RUN)) expect(revealed(masked, [piece])).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('masking, cutting the result anywhere and masking again (what errors do) reveals nothing', () => {
    fc.assert(
      fc.property(secret, chain, filler, fc.nat(), (s, names, before, cut) => {
        const masked = redact(`${before}${encode(names, s)}`, [s]);
        expect(revealed(redact(masked.slice(0, cut % (masked.length + 1)), [s]), [s])).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps ordinary text, and the text around a masked secret', () => {
    const s = 'S3cr3t/Va+lue=é!xyz';
    expect(redact('the client credentials are invalid (invalid_client, 2026-12-07T16:00:00Z, id 1234567890abcdef)', [s])).toBe(
      'the client credentials are invalid (invalid_client, 2026-12-07T16:00:00Z, id 1234567890abcdef)',
    );
    expect(redact(`bad secret ${Buffer.from(s).toString('base64')}!`, [s])).toMatch(/^bad secret \[redacted\]=*!$/);
    expect(redact(`bad secret ${Buffer.from(s).toString('hex')} (hex)`, [s])).toBe('bad secret [redacted] (hex)');
    expect(redact(`bad secret &#83;&#51;&#99;&#114;&#51;&#116;&#47;&#86;&#97; end`, ['S3cr3t/Va'])).toBe('bad secret [redacted] end');
  });

  it('cuts a text to MAX_MASKED_LENGTH before masking it', () => {
    const s = 'S3cr3t/Va+lue=é!xyz';
    // 10 characters of the secret are left before the cut: they are masked.
    const out = redact(`${'x'.repeat(MAX_MASKED_LENGTH - 10)}${s}${'y'.repeat(2_000_000)}`, [s]);
    expect(out).toBe(`${'x'.repeat(MAX_MASKED_LENGTH - 10)}[redacted]…`);
  });

  it('withholds a text whose decodings go deeper than masking looks, instead of letting it through', () => {
    const s = 'S3cr3t-value-for-test';
    let text = s;
    for (let i = 0; i < 40; i++) text = encodeURIComponent(`%${text}`);
    expect(revealed(redact(text, [s]), [s], 45)).toEqual([]);
  });
});

describe('redact: bounded work', () => {
  /**
   * The median of `times` runs of each function, in ms, the functions run in turn, so that a busy moment of the
   * machine slows them alike (a median of runs taken side by side holds under load, where the fastest run of a
   * few milliseconds' work may never come); after as many untimed runs, the first runs of a code path waiting
   * for the compiler.
   */
  function medians(fns: Array<() => unknown>, times = 15): number[] {
    for (let i = 0; i < times; i++) fns.forEach((fn) => fn());
    const runs = fns.map((): number[] => []);
    for (let i = 0; i < times; i++) {
      fns.forEach((fn, k) => {
        const started = performance.now();
        fn();
        runs[k]!.push(performance.now() - started);
      });
    }
    return runs.map((list) => list.sort((a, b) => a - b)[list.length >> 1]!);
  }

  const b64 = (v: string) => Buffer.from(v).toString('base64');
  const noise = Array.from({ length: 1_000_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');
  // Texts that make decoders work hardest: deep percent nesting, nested base64, hex, every kind of escape.
  const SHAPES: Record<string, string> = {
    'percent nested thousands deep': `%${'25'.repeat(500_000)}41`,
    'base64 of base64 of base64': b64(b64(b64(noise))).slice(0, 1_000_000),
    hex: Buffer.from(noise).toString('hex').slice(0, 1_000_000),
    'escapes of every kind': '%41\\u0041\\u{41}\\x41&#65;&#x41&amp;'.repeat(30_000),
    noise,
  };

  // A linear baseline: what reading the megabyte once costs (a JSON round trip, as an error body's parse does).
  const linearPass = (text: string) => () => JSON.parse(JSON.stringify(text)) as string;

  it.each(Object.keys(SHAPES))('%s, 1 MB: costs what masking its first 4 KB costs, plus a few linear passes', (name) => {
    const text = SHAPES[name]!;
    const secrets = ['S3cr3t/Va+lue=é!xyz', 'code-1234567890', text.slice(100, 140)];
    const [whole, head, linear] = medians([() => redact(text, secrets), () => redact(text.slice(0, MAX_MASKED_LENGTH), secrets), linearPass(text)]);
    expect(whole).toBeLessThan(head! * 5 + linear! * 3);
  });

  // redactWhole reads the whole body (up to the transport's 1 MB limit): on the shapes that make decoders work
  // hardest, and on a body that repeats most of a secret (what a provider that knows it could send), it costs about
  // what it costs on a megabyte of plain text (a regular expression per secret, each character tried once).
  it('redactWhole of 1 MB costs on every hard shape about what it costs on plain text', () => {
    const shapes = { ...SHAPES, 'most of a secret, repeated': 'S3cr3t/Va+lue=é!xy\\u0053'.repeat(42_000) };
    const secrets = ['S3cr3t/Va+lue=é!xyz', 'code-1234567890', noise.slice(100, 140)];
    const names = Object.keys(shapes) as Array<keyof typeof shapes>;
    const [plain, ...hard] = medians([() => redactWhole(noise, secrets), ...names.map((name) => () => redactWhole(shapes[name], secrets))], 7);
    // Shape by shape, so that a failure names the shape and its time.
    names.forEach((name, i) => expect({ name, ms: hard[i], withinFiveTimesPlain: hard[i]! < plain! * 5 }).toMatchObject({ name, withinFiveTimesPlain: true }));
  });

  it('redactError masks an error whose message and body are a whole 1 MB text within the same bound', () => {
    const s = 'S3cr3t/Va+lue=é!xyz';
    const body = `${b64(`client_secret=${s}`)} ${'%2525'.repeat(200_000)}`;
    const errorOf = (text: string) => new ProviderError(text, { statusCode: 400, data: text });
    const [whole, head, linear] = medians(
      [() => redactError(errorOf(body), [s]), () => redactError(errorOf(body.slice(0, MAX_MASKED_LENGTH)), [s]), linearPass(body)],
      7,
    );
    expect(whole).toBeLessThan(head! * 5 + linear! * 3);
    const err = redactError(errorOf(body), [s]);
    expect(revealed(`${err.message}\n${err.stack}\n${String((err.oauthError as { data: string }).data)}`, [s])).toEqual([]);
  });
});
