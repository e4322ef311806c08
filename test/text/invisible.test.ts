import { describe, expect, test } from 'vitest';

import {
  cleanVisibleText,
  isBlankText,
  stripInvisible,
} from '../../src/text/invisible.js';

const ZWNJ = '\u200C';
const ZWJ = '\u200D';

// Written with escapes so that the joiners can be seen in the source.
const DEVANAGARI_HALF_FORM = `\u0915\u094D${ZWJ}\u0937`;
const MALAYALAM_CHILLU = `\u0D28\u0D4D${ZWJ}`;
const PERSIAN_NAME = `\u0645\u0647\u0631${ZWNJ}\u062F\u0627\u062F`;
const LATIN_PERSIAN_NAME = `Mehr${ZWNJ}dad`;
const FAMILY_EMOJI = `\u{1F469}${ZWJ}\u{1F469}${ZWJ}\u{1F467}`;
const TECHNOLOGIST_EMOJI = `\u{1F469}\u{1F3FD}${ZWJ}\u{1F4BB}`;
const RAINBOW_FLAG_EMOJI = `\u{1F3F3}\uFE0F${ZWJ}\u{1F308}`;

describe('cleanVisibleText', () => {
  test.each([
    ['a Devanagari half-form', DEVANAGARI_HALF_FORM],
    ['a Malayalam chillu at the end of a word', `${MALAYALAM_CHILLU} Nair`],
    ['a Persian name', PERSIAN_NAME],
    ['a Persian name in Latin letters', LATIN_PERSIAN_NAME],
    ['a family emoji', `Asha ${FAMILY_EMOJI}`],
    ['an emoji with a skin tone', TECHNOLOGIST_EMOJI],
    ['an emoji with a variation selector', RAINBOW_FLAG_EMOJI],
  ])('keeps the joiners of %s', (_, name) => {
    expect(cleanVisibleText(name)).toBe(name);
  });

  test('keeps the joiners while it cleans the rest of the name', () => {
    const cell = `\uFEFF ${PERSIAN_NAME}\u00A0${DEVANAGARI_HALF_FORM}\u200B `;

    expect(cleanVisibleText(cell)).toBe(
      `${PERSIAN_NAME} ${DEVANAGARI_HALF_FORM}`,
    );
  });

  test.each([
    ['between digits', `98765${ZWJ}43210`, '9876543210'],
    ['at the start', `${ZWNJ}Asha`, 'Asha'],
    ['after a space', `Asha ${ZWJ}Test`, 'Asha Test'],
    ['after punctuation', `15/${ZWNJ}03/2026`, '15/03/2026'],
    ['alone', ZWJ, ''],
  ])('drops a joiner that joins nothing: %s', (_, cell, expected) => {
    expect(cleanVisibleText(cell)).toBe(expected);
  });

  test.each([
    ['zero width space', '\u200B'],
    ['word joiner', '\u2060'],
    ['byte order mark', '\uFEFF'],
    ['soft hyphen', '\u00AD'],
    ['left-to-right mark', '\u200E'],
    ['right-to-left mark', '\u200F'],
    ['right-to-left embedding', '\u202B'],
    ['pop directional formatting', '\u202C'],
  ])('drops a %s', (_, character) => {
    expect(cleanVisibleText(`As${character}ha`)).toBe('Asha');
  });

  test.each([
    ['no-break space', '\u00A0'],
    ['figure space', '\u2007'],
    ['narrow no-break space', '\u202F'],
  ])('turns a %s into a space', (_, character) => {
    expect(cleanVisibleText(` Asha${character}Test${character}`)).toBe(
      'Asha Test',
    );
  });
});

describe('stripInvisible', () => {
  test('removes the joiners too, wherever they are', () => {
    expect(stripInvisible(DEVANAGARI_HALF_FORM)).toBe('\u0915\u094D\u0937');
    expect(stripInvisible(`98765${ZWJ}43210${ZWNJ}`)).toBe('9876543210');
  });

  test('removes spaces that do not break and zero-width characters', () => {
    expect(stripInvisible('\uFEFFMobile\u00A0No.\u200B\u2060\u00AD')).toBe(
      'MobileNo.',
    );
  });
});

describe('isBlankText', () => {
  test('counts a cell of joiners and other invisible characters as blank', () => {
    expect(isBlankText(` ${ZWJ}\u00A0${ZWNJ}\u200B`)).toBe(true);
  });

  test('does not count an emoji as blank', () => {
    expect(isBlankText(FAMILY_EMOJI)).toBe(false);
  });
});
