import { describe, expect, test } from 'vitest';

import {
  createReporter,
  REPORTER_NAMES,
} from '../../../src/verify/reporters/create-reporter.js';
import {
  COLOURED,
  createBuffer,
  PLAIN,
  playMixedRun,
} from './reporter-fixture.js';

describe('createReporter', () => {
  test('the names are the four reporters, the default first', () => {
    expect(REPORTER_NAMES).toEqual(['text', 'json', 'github', 'junit']);
  });

  test.each([
    ['text', /^events\.ndjson:2 /],
    ['json', /^\{"type":"record"/],
    ['github', /^::error file=events\.ndjson,line=2,/],
    ['junit', /^<\?xml /],
  ] as const)('%s gives its own format', (name, start) => {
    const buffer = createBuffer();

    playMixedRun(createReporter(name, { write: buffer.write, colors: PLAIN }));

    expect(buffer.text()).toMatch(start);
  });

  test.each(['json', 'github', 'junit'] as const)(
    '%s uses no colour even when colour is on',
    (name) => {
      const buffer = createBuffer();

      playMixedRun(
        createReporter(name, { write: buffer.write, colors: COLOURED }),
      );

      expect(buffer.text()).not.toContain('\u001b[');
    },
  );

  test('text uses colour when it is on', () => {
    const buffer = createBuffer();

    playMixedRun(
      createReporter('text', { write: buffer.write, colors: COLOURED }),
    );

    expect(buffer.text()).toContain('\u001b[');
  });
});
