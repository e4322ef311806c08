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
