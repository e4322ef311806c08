import { setFlagsFromString } from 'node:v8';

/**
 * Asks V8 to trade some CPU for a smaller heap. bin/astradial.js calls it
 * before the rest of the CLI loads: loading alone would otherwise grow the
 * young generation for good.
 *
 * Reading a million rows, or sending them to a local server, allocates
 * quickly, and V8's defaults answer that by growing the young generation
 * to 16 MB semi-spaces and letting the old generation fill with garbage to
 * about four times its live size before collecting. A million-row push
 * then peaked at 175-200 MB with about 22 MB live, and a dry run at about
 * 150 MB. With the young generation kept at its starting size and the old
 * one collected once it is 20 % above its live size, both peak at 115-125
 * MB, at a speed within the noise of this machine (`npm run bench`).
 *
 * Both flags are numbers V8 reads each time it resizes the heap, so they
 * take effect when set after start-up; the flags that fix the heap's
 * limits (such as --max-semi-space-size) do not, and are not used here.
 * They exist in the V8 of Node 20, where this is measured.
 */
export function keepHeapSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=20');
}

/**
 * Lets the young generation grow again, for a long-running server whose
 * answers are measured by their speed: listen's requests are short-lived,
 * and a young generation held at its starting size promoted many of them:
 * with it, listen with a capture went from about 22,900 to 24,300 requests
 * a second in `npm run bench -- listen`. Its old generation stays
 * collected early, so its memory stays near what it holds.
 */
export function letYoungGenerationGrow(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}
