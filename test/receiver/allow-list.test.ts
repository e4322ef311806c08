import { describe, expect, test } from 'vitest';

import { createAllowList } from '../../src/receiver/allow-list.js';

describe('createAllowList', () => {
  test.each([
    [['10.0.0.0/8'], '10.200.3.4', true],
    [['10.0.0.0/8'], '11.0.0.1', false],
    [['10.0.0.0/8'], '::ffff:10.1.2.3', true],
    [['::ffff:10.1.2.3'], '10.1.2.3', true],
    [['astradial'], '3.7.225.55', true],
    [['astradial'], '61.2.96.163', true],
    [['astradial'], '3.7.225.56', false],
    [['2001:db8::/32'], '2001:db8::1', true],
    [['2001:db8::/32'], '2001:db9::1', false],
    [['::1'], '::1', true],
    [['127.0.0.1'], 'not-an-address', false],
  ])('%j allows %s: %s', (entries, address, isAllowed) => {
    expect(createAllowList(entries).isAllowed(address)).toBe(isAllowed);
  });

  test.each(['example.com', '10.0.0.0/33', '10.0.0.0/x', '1.2.3.4/8/9'])(
    '%s is refused as a usage error',
    (entry) => {
      expect(() => createAllowList([entry])).toThrow(
        expect.objectContaining({ code: 'listen.invalidAllowIp', exitCode: 2 }),
      );
    },
  );
});
