import { describe, expect, test } from 'vitest';

import {
  mergeConfig,
  parseConfig,
  readEnvironmentConfig,
} from '../src/config.js';

describe('parseConfig', () => {
  test('every bad key is named with its source', () => {
    expect(() =>
      parseConfig(
        { rate: -1, country: 'India', extra: 1 },
        'astradial.config.json',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'config.invalid',
        exitCode: 2,
        message: expect.stringMatching(
          /astradial\.config\.json: rate:[\s\S]*astradial\.config\.json: country:[\s\S]*extra/,
        ),
      }),
    );
  });

  test('a valid config comes back as given', () => {
    expect(
      parseConfig({ company: 'acme', map: { phone_number: 'Mobile' } }, 'x'),
    ).toEqual({
      company: 'acme',
      map: { phone_number: 'Mobile' },
    });
  });
});

describe('readEnvironmentConfig', () => {
  test('reads the ASTRADIAL_ variables', () => {
    expect(
      readEnvironmentConfig({
        ASTRADIAL_RATE: '30',
        ASTRADIAL_COUNTRY: 'GB',
        ASTRADIAL_WEBHOOK_SECRET: 's',
      }),
    ).toEqual({ rate: 30, country: 'GB', secret: 's' });
  });

  test('a bad value names the variable, not the value', () => {
    expect(() => readEnvironmentConfig({ ASTRADIAL_RATE: 'fast' })).toThrow(
      /ASTRADIAL_RATE/,
    );
  });
});

describe('mergeConfig', () => {
  test('later layers win, undefined never hides a setting, maps merge by field', () => {
    expect(
      mergeConfig(
        { rate: 10, country: 'IN', map: { customer_name: 'Client' } },
        { rate: 20, country: undefined },
        { map: { phone_number: 'Mobile' } },
      ),
    ).toEqual({
      rate: 20,
      country: 'IN',
      map: { customer_name: 'Client', phone_number: 'Mobile' },
    });
  });
});
