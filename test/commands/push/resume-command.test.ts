import { describe, expect, test } from 'vitest';

import {
  quoteForShell,
  resumeCommand,
} from '../../../src/commands/push/resume-command.js';

describe('the command that resumes a run', () => {
  test('repeats the arguments, quoting what a shell would split', () => {
    expect(
      resumeCommand([
        'push',
        'Leads March.csv',
        '--company',
        'acme',
        '--map',
        'phone_number=Mobile No.',
      ]),
    ).toBe(
      "astradial push 'Leads March.csv' --company acme --map 'phone_number=Mobile No.'",
    );
  });

  test('never repeats a secret given on the command line', () => {
    const command = resumeCommand([
      'push',
      'leads.csv',
      '--secret',
      's3cr3t-value',
      '--company',
      'acme',
      '--secret=other-value',
    ]);

    expect(command).toBe(
      'astradial push leads.csv --secret=<secret> --company acme --secret=<secret>',
    );
    expect(command).not.toContain('s3cr3t');
    expect(command).not.toContain('other-value');
  });

  test('drops --restart, which would throw away the state being resumed', () => {
    expect(resumeCommand(['push', 'leads.csv', '--restart', '--json'])).toBe(
      'astradial push leads.csv --json',
    );
  });

  test('quotes a single quote the POSIX way', () => {
    expect(quoteForShell("O'Brien leads.csv")).toBe(`'O'\\''Brien leads.csv'`);
    expect(quoteForShell('a$b')).toBe(`'a$b'`);
    expect(quoteForShell('plain-name_1.csv')).toBe('plain-name_1.csv');
  });
});
