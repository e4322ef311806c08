import { z } from 'zod';

import {
  EVENT_SCHEMAS,
  KIND_NAMES,
  STRICT_EVENT_SCHEMAS,
  type EventKind,
} from '../contract/schemas.js';
import { EXIT_CODES, type ExitCode } from '../errors.js';

export type SchemaTarget = 'draft-2020-12' | 'draft-7';

export interface SchemaFlags {
  strict: boolean;
  target: SchemaTarget;
}

/**
 * `astradial schema <kind>`: the JSON Schema of a kind, generated from the
 * zod schemas that listen and verify use, for teams that validate in
 * another language. It describes what the contract accepts as input.
 */
export function schema(kind: EventKind, flags: SchemaFlags): ExitCode {
  const schemas = flags.strict ? STRICT_EVENT_SCHEMAS : EVENT_SCHEMAS;
  const jsonSchema = z.toJSONSchema(schemas[kind], {
    target: flags.target,
    io: 'input',
  });
  const titled = { title: `AstraDial ${KIND_NAMES[kind]}`, ...jsonSchema };
  process.stdout.write(`${JSON.stringify(titled, null, 2)}\n`);
  return EXIT_CODES.ok;
}
