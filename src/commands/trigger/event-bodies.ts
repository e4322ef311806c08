import type { DataFile } from './data-file.js';
import { createSampleEvent, type SampleKind } from './sample-events.js';
import { setField, type FieldSetting } from './set-field.js';

/** One body to send: its bytes, the same as text, and its JSON. */
export type EventBody = { bytes: Buffer; text: string; parsed: unknown };

export interface EventBodyPlan {
  kind: SampleKind;
  count: number;
  /** --set, applied in the order given. */
  fieldSettings: FieldSetting[];
  /** --data: this file's JSON instead of samples. */
  data?: DataFile;
  /** customer_id of the samples that carry one. */
  customerId: string;
}

/**
 * The `count` bodies to send, in order, all built before the first is
 * sent, so that a --set that cannot apply stops the run before anything
 * went out. Samples are made afresh for each body, so each has its own
 * call_id and numbers, and then changed by --set. A --data file is the
 * same body every time: its bytes exactly as in the file when there is no
 * --set, and otherwise JSON.stringify of its JSON with the changes made
 * (one line, with numbers as JavaScript reads them).
 */
export function createEventBodies(plan: EventBodyPlan): EventBody[] {
  const { data } = plan;
  if (data) {
    const body =
      plan.fieldSettings.length === 0
        ? { bytes: data.bytes, text: data.text, parsed: data.value }
        : changedBody(data.value, plan.fieldSettings);
    return Array.from({ length: plan.count }, () => body);
  }
  return Array.from({ length: plan.count }, () =>
    changedBody(
      createSampleEvent(plan.kind, { customerId: plan.customerId }),
      plan.fieldSettings,
    ),
  );
}

function changedBody(event: unknown, fieldSettings: FieldSetting[]): EventBody {
  for (const setting of fieldSettings) setField(event, setting);
  const text = JSON.stringify(event);
  return { bytes: Buffer.from(text, 'utf8'), text, parsed: event };
}
