import { describe, expect, test } from 'vitest';

import { createSecretMask } from '../../src/receiver/secret-mask.js';

const SECRET = 'Tst-Secret+8f3b 2c';

describe('createSecretMask', () => {
  const mask = createSecretMask(SECRET);

  test.each([
    [`session=${SECRET}`, 'session=********'],
    [
      `my secret is ${SECRET} ok, ${SECRET}`,
      'my secret is ******** ok, ********',
    ],
    ['/hook?secret=Tst-Secret%2B8f3b%202c', '/hook?secret=********'],
    ['/%54st-Secret%2b8f3b+2c/hook', '/********/hook'],
    ['Tst-Secret+8f3b 2', 'Tst-Secret+8f3b 2'],
  ])('%s is shown as %s', (text, shown) => {
    expect(mask.hide(text)).toBe(shown);
    expect(mask.isFoundIn(text)).toBe(text !== shown);
  });

  test('regular-expression characters in the secret are taken literally', () => {
    const dotted = createSecretMask('a.b*c');

    expect(dotted.isFoundIn('axbbc')).toBe(false);
    expect(dotted.hide('x a.b*c')).toBe('x ********');
  });
});

describe('a secret echoed back escaped', () => {
  const secret = 'ab"cd&ef<gh\\ij/kl';
  const escaped = createSecretMask(secret);

  test.each([
    ['as JSON writes it', JSON.stringify({ header: secret })],
    [
      'with JSON unicode escapes and an escaped slash',
      '"ab\\u0022cd\\u0026ef\\u003cgh\\\\ij\\/kl"',
    ],
    ['as HTML named entities', '<p>ab&quot;cd&amp;ef&lt;gh\\ij/kl</p>'],
    ['as HTML numeric entities', 'ab&#34;cd&#x26;ef&#60;gh\\ij/kl'],
  ])('is found %s', (_how, text) => {
    expect(escaped.isFoundIn(text)).toBe(true);
    expect(escaped.hide(text)).toContain('********');
    expect(escaped.hide(text)).not.toMatch(/ab.{0,12}cd/);
  });
});
