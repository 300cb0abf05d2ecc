import fc from 'fast-check';
import { AUDIENCE_CORE, AUDIENCE_LIVE, AUDIENCE_OAUTH, AudienceError, Token, verifyAudience } from 'nadeo-auth';

// The names the README documents, lower case, and the audience each stands for.
const DOCUMENTED: Record<string, string> = {
  nadeoservices: AUDIENCE_CORE,
  core: AUDIENCE_CORE,
  prod: AUDIENCE_CORE,
  nadeoliveservices: AUDIENCE_LIVE,
  live: AUDIENCE_LIVE,
  meet: AUDIENCE_LIVE,
  club: AUDIENCE_LIVE,
  oauth: AUDIENCE_OAUTH,
  oauth2: AUDIENCE_OAUTH,
};
const documented = (name: string): string | undefined => (Object.hasOwn(DOCUMENTED, name) ? DOCUMENTED[name] : undefined);

/** What `verifyAudience` gives, or the error it throws. */
const outcome = (name: unknown): string | Error => {
  try {
    return verifyAudience(name);
  } catch (e) {
    return e as Error;
  }
};

describe('verifyAudience', () => {
  it('finds nothing that every object inherits', () => {
    const inherited = [...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype', 'toString', 'valueOf', 'constructor '];
    for (const name of inherited) {
      expect(outcome(name)).toBeInstanceOf(AudienceError);
      expect(() => Token.verifyAudience(name)).toThrow(AudienceError);
    }
  });

  it('any documented name, in any case, with spaces around: its audience (property)', () => {
    const space = fc.string({ unit: fc.constantFrom(' ', '\t', '\n'), maxLength: 3 });
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(DOCUMENTED)).chain((name) => fc.tuple(fc.constant(name), fc.mixedCase(fc.constant(name)), space, space)),
        ([name, cased, before, after]) => {
          expect(verifyAudience(`${before}${cased}${after}`)).toBe(DOCUMENTED[name]);
        },
      ),
    );
  });

  it('any other string: an AudienceError that lists the valid names and shows at most 40 characters of it (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'nadeo', 'oauth3', ''),
          fc.string({ minLength: 100, maxLength: 2000 }),
        ),
        (name) => {
          fc.pre(documented(name.trim().toLowerCase()) === undefined);
          const result = outcome(name);
          expect(result).toBeInstanceOf(AudienceError);
          const message = (result as Error).message;
          expect(message).toContain("valid audiences are 'NadeoServices' / 'core' / 'prod'");
          expect(message).toContain(`'${name.slice(0, 40)}'`);
          if (name.length > 40) expect(message).not.toContain(name);
        },
      ),
    );
  });

  it('any value that is not a string: an AudienceError, even an object whose toString throws (property)', () => {
    const hostile = {
      toString: () => {
        throw new Error('boom');
      },
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything().filter((v) => typeof v !== 'string'),
          fc.constant(hostile),
          fc.constant(Object.create(null) as object),
          fc.constant(Symbol('s')),
        ),
        (value) => {
          expect(outcome(value)).toBeInstanceOf(AudienceError);
        },
      ),
    );
  });
});
