// Runs a table of passport-oauth2 behaviours against every strategy of the collection and, in the same test,
// against plain passport-oauth2 pointed at the same emulator, under Express 5 and Express 4.
import { PROVIDERS, subjectsFor, type AnyEmulator, type CompatProvider, type Subject } from './subjects';

export interface Row {
  /** What passport-oauth2 1.8 does. Where the contract makes the collection differ, the name says `differs:` and how. */
  name: string;
  /** The providers the row applies to (default: all). */
  only?: (provider: CompatProvider) => boolean;
  /** Runs the behaviour against one subject and asserts what that subject must do. */
  run(subject: Subject): Promise<void>;
}

export function describeCompat(title: string, rows: Row[]): void {
  describe.each(PROVIDERS.map((p) => [p.name, p] as const))(`${title}: %s`, (_name, provider) => {
    let emulator: AnyEmulator;
    const open: Array<() => Promise<void>> = [];
    beforeAll(async () => {
      emulator = await provider.start();
      emulator.autoApprove = true;
    });
    afterAll(() => emulator.close());
    afterEach(async () => {
      emulator.clearFaults();
      emulator.autoApprove = true;
      await Promise.all(open.splice(0).map((close) => close()));
    });

    describe.each([
      ['Express 5', false],
      ['Express 4', true],
    ] as const)('%s', (_express, express4) => {
      it.each(rows.filter((row) => !row.only || row.only(provider)))('$name', async (row) => {
        for (const subject of subjectsFor(provider, emulator, express4, (close) => open.push(close))) {
          try {
            await row.run(subject);
          } catch (err) {
            // Say which of the two subjects broke the row.
            if (err instanceof Error) err.message = `[${subject.label}] ${err.message}`;
            throw err;
          }
        }
      });
    });
  });
}
