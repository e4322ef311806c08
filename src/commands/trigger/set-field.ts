import { UsageError } from '../../errors.js';

/**
 * One step of a field path: a name after a dot, or an index in brackets.
 * A name of digits after a dot (`call_flow.0`) indexes a list too, and
 * names a field of an object.
 */
type PathStep = { name: string; isBracketed: boolean };

/** A parsed `--set path=value`, ready to apply to any number of events. */
export type FieldSetting = {
  /** The flag's text as the user typed it, to name it in messages. */
  text: string;
  path: PathStep[];
  value: unknown;
};

/** A dot-separated part: a name, then any number of `[n]`. */
const PATH_PART = /^([^[\]]+)((?:\[\d+\])*)$/;
const BRACKETED_INDEX = /\[(\d+)\]/g;
const WHOLE_NUMBER = /^\d+$/;

type Container = Record<string, unknown> | unknown[];

/**
 * Reads `--set path=value`. The path is field names joined by dots, with
 * `[n]` or `.n` for list items: `answered_agent.number`,
 * `call_flow[0].dialst`, `call_flow.0.dialst`. The value is JSON when it
 * is valid JSON (`0`, `true`, `null`, `["a","b"]`, `{"number":"+91…"}`,
 * `"123"`), and otherwise the text as typed (`+919800000001`, `Busy`), so
 * quoting a value in JSON's double quotes is how to send digits as text.
 * Throws a UsageError naming the flag when there is no `=` or no path.
 */
export function parseFieldSetting(text: string): FieldSetting {
  const equals = text.indexOf('=');
  if (equals === -1) {
    throw invalidSetting(
      text,
      'has no "=". Write it as path=value, e.g. --set duration=0.',
    );
  }
  return {
    text,
    path: parsePath(text, text.slice(0, equals)),
    value: parseValue(text.slice(equals + 1)),
  };
}

/**
 * Sets the field `setting` names in `event`, in place. A field that is
 * missing is created (custom fields are allowed), and so are missing
 * objects and lists on the way; an existing field keeps its place in the
 * JSON. Throws a UsageError naming the flag when the path goes through a
 * value that holds no fields (text, a number, null), names a field of a
 * list, indexes an object, or indexes past a list's end.
 */
export function setField(event: unknown, setting: FieldSetting): void {
  let container = event;
  for (const [position, step] of setting.path.entries()) {
    const where = setting.path.slice(0, position);
    const key = keyOf(container, step, setting, where);
    const parent = container as Container;
    if (position === setting.path.length - 1) {
      writeField(parent, key, setting.value);
      return;
    }
    container = readField(parent, key);
    if (container === undefined) {
      container = setting.path[position + 1]!.isBracketed ? [] : {};
      writeField(parent, key, container);
    }
  }
}

function parsePath(text: string, pathText: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const part of pathText.split('.')) {
    const match = PATH_PART.exec(part);
    if (!match) {
      throw invalidSetting(
        text,
        `"${pathText}" is not a field path. Join field names with dots and give list items as [n], e.g. --set call_flow[0].dialst=Busy.`,
      );
    }
    steps.push({ name: match[1]!, isBracketed: false });
    for (const index of match[2]!.matchAll(BRACKETED_INDEX)) {
      steps.push({ name: index[1]!, isBracketed: true });
    }
  }
  return steps;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The key `step` means in `container`, or a UsageError saying why none. */
function keyOf(
  container: unknown,
  step: PathStep,
  setting: FieldSetting,
  where: PathStep[],
): string | number {
  const shown = formatPath(where);
  if (Array.isArray(container)) {
    if (!WHOLE_NUMBER.test(step.name)) {
      throw invalidSetting(
        setting.text,
        `${shown} is a list, so it has no field "${step.name}". Name one of its items by number, e.g. ${formatPath([...where, { name: '0', isBracketed: true }])}.`,
      );
    }
    const index = Number(step.name);
    if (index > container.length) {
      throw invalidSetting(
        setting.text,
        `${shown} has ${container.length} ${container.length === 1 ? 'item' : 'items'}, so [${index}] is past its end. Give an index up to ${container.length} (${container.length} adds an item).`,
      );
    }
    return index;
  }
  if (typeof container !== 'object' || container === null) {
    throw invalidSetting(
      setting.text,
      `${shown} is ${describeScalar(container)}, not an object, so it holds no field "${step.name}". ${where.length === 0 ? '--set changes the fields of a JSON object: give --data a file holding one.' : `Set ${shown} itself, or choose another path.`}`,
    );
  }
  if (step.isBracketed) {
    throw invalidSetting(
      setting.text,
      `${shown} is an object, not a list, so it has no item [${step.name}]. Name one of its fields after a dot instead.`,
    );
  }
  return step.name;
}

function readField(container: Container, key: string | number): unknown {
  if (Array.isArray(container)) return container[key as number];
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

/**
 * defineProperty rather than `=`: a field named `__proto__` must become a
 * field, as JSON.parse makes it, and not replace the object's prototype.
 */
function writeField(
  container: Container,
  key: string | number,
  value: unknown,
): void {
  Object.defineProperty(container, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function describeScalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  return String(value);
}

/** The path as typed, or `the event` for the top level. */
function formatPath(steps: PathStep[]): string {
  if (steps.length === 0) return 'the event';
  return steps
    .map((step, position) => {
      if (step.isBracketed) return `[${step.name}]`;
      return position === 0 ? step.name : `.${step.name}`;
    })
    .join('');
}

function invalidSetting(text: string, problem: string): UsageError {
  return new UsageError('trigger.invalidSet', `--set ${text}: ${problem}`);
}
