import { IANAZone } from 'luxon';

import { UsageError } from '../errors.js';

/** A calendar date and clock time with no zone attached, as typed in a cell. */
export type WallTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

/** A wall time placed in a zone: the offset is `+05:30` style. */
export type ZonedWallTime = { wall: WallTime; offset: string };

export type ZoneResolver = (wall: WallTime) => ZonedWallTime;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// Dates spread over many centuries could grow the cache without limit;
// past this size it is simply started afresh.
const MAX_CACHED_DAYS = 100_000;

/**
 * Checks an IANA zone name such as `Asia/Kolkata` and returns the zone.
 * Throws a UsageError for anything Intl does not know.
 */
export function verifyTimezone(timezone: string): IANAZone {
  if (IANAZone.isValidZone(timezone)) return IANAZone.create(timezone);

  throw new UsageError(
    'config.invalidTimezone',
    `Unknown time zone "${timezone}". Use an IANA zone name such as Asia/Kolkata, Europe/London or UTC.`,
  );
}

/**
 * Returns a function that gives the zone's offset for a wall time.
 *
 * Offsets change a few times a year at most, so they are looked up once
 * per local day and cached: when the offset a day before the date equals
 * the offset a day after it, the whole day has that offset. Only around a
 * change is each hour looked up, and an hour is cached only when every
 * second in it exists exactly once in the zone. Times in an hour that holds
 * the change are resolved cell by cell, like Temporal's `compatible` rule:
 * a time inside a gap moves forward by the gap's length (01:30 on the day
 * London springs forward becomes 02:30+01:00), and a time that occurs twice
 * takes the earlier of the two instants (01:30 on the day London falls back
 * becomes 01:30+01:00).
 */
export function createZoneResolver(timezone: string): ZoneResolver {
  const zone = verifyTimezone(timezone);
  // A day's offset as text, or the offsets of its hours around a change:
  // text, or null for an hour that holds the change itself.
  const offsetsByDay = new Map<number, string | (string | null)[]>();

  return (wall) => {
    const key = (wall.year * 12 + wall.month - 1) * 31 + wall.day - 1;
    let day = offsetsByDay.get(key);
    if (day === undefined) {
      if (offsetsByDay.size >= MAX_CACHED_DAYS) offsetsByDay.clear();
      day = findSteadyDayOffset(zone, wall) ?? [];
      offsetsByDay.set(key, day);
    }
    if (typeof day === 'string') return { wall, offset: day };

    let offset = day[wall.hour];
    if (offset === undefined) {
      offset = findSteadyHourOffset(zone, wall);
      day[wall.hour] = offset;
    }
    if (offset !== null) return { wall, offset };

    return resolveAroundTransition(zone, wall);
  };
}

/** The day's offset as text, or undefined when an offset change is near. */
function findSteadyDayOffset(
  zone: IANAZone,
  wall: WallTime,
): string | undefined {
  const dayStart = Date.UTC(wall.year, wall.month - 1, wall.day);
  const before = zoneOffset(zone, dayStart - DAY_MS);
  const after = zoneOffset(zone, dayStart + 2 * DAY_MS);

  return before === after ? formatOffset(before) : undefined;
}

/** The hour's offset as text, or null when a transition touches the hour. */
function findSteadyHourOffset(zone: IANAZone, wall: WallTime): string | null {
  const hourStart = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour);
  const atStart = findOffsets(zone, hourStart);
  const atEnd = findOffsets(zone, hourStart + HOUR_MS - 1000);
  const isSteady =
    atStart.length === 1 && atEnd.length === 1 && atStart[0] === atEnd[0];

  return isSteady ? formatOffset(atStart[0] as number) : null;
}

function resolveAroundTransition(
  zone: IANAZone,
  wall: WallTime,
): ZonedWallTime {
  const wallMs = wallToMs(wall);
  const offsets = findOffsets(zone, wallMs);

  // Ambiguous: the larger offset gives the earlier instant.
  if (offsets.length > 0) {
    return { wall, offset: formatOffset(Math.max(...offsets)) };
  }

  // In a gap: read the time with the offset in force before the change,
  // then show that instant with the offset in force after it.
  const before = zoneOffset(zone, wallMs - DAY_MS);
  const after = zoneOffset(zone, wallMs + DAY_MS);
  const shifted = new Date(wallMs + (after - before) * MINUTE_MS);

  return { wall: msToWall(shifted), offset: formatOffset(after) };
}

/**
 * Every offset with which this wall time names a real instant: none in a
 * gap, two in an overlap, otherwise one. The candidates are the offsets a
 * day either side, which covers any single transition near the time.
 */
function findOffsets(zone: IANAZone, wallMs: number): number[] {
  const candidates = new Set([
    zoneOffset(zone, wallMs - DAY_MS),
    zoneOffset(zone, wallMs + DAY_MS),
  ]);

  return [...candidates].filter(
    (offset) => zoneOffset(zone, wallMs - offset * MINUTE_MS) === offset,
  );
}

// Before about 1945 some zones used local mean time, whose offsets carry
// seconds (Kolkata was +05:21:10); ISO offsets cannot, so they are rounded.
function zoneOffset(zone: IANAZone, instantMs: number): number {
  return Math.round(zone.offset(instantMs));
}

function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const size = Math.abs(offsetMinutes);
  const hours = String(Math.floor(size / 60)).padStart(2, '0');
  const minutes = String(size % 60).padStart(2, '0');

  return `${sign}${hours}:${minutes}`;
}

function wallToMs(wall: WallTime): number {
  const { year, month, day, hour, minute, second } = wall;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The UTC fields of a date, as a wall time. */
export function msToWall(date: Date): WallTime {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}
