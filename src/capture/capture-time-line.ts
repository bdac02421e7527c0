// A capture saved from a console often carries its own time: `(date; netstat -tan) > saved.txt`,
// a `script` log header, `date -Iseconds` or `date -R` between snapshots. Such a line is not a
// garbled row: it gives the capture time (the first one wins) and is not reported as skipped.
// Times need a zone to be placed: an ISO 8601/RFC 2822 offset or an unambiguous abbreviation
// (CST, IST, BST name several zones and give no time); the line is recognised either way.
import type { CaptureMeta, LineParser, ParseSink } from './parser-types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = `(${MONTHS.join('|')})`;
const CLOCK = '(\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,]\\d+)?';
const ZONE = '(Z|[A-Z]{1,5}|[+-]\\d{2}:?\\d{2})';

/** Offsets in minutes of zone abbreviations that name one zone only. */
const ZONE_OFFSET_MINUTES: Readonly<Record<string, number>> = {
  Z: 0, UTC: 0, GMT: 0, UT: 0, WET: 0, WEST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  KST: 540, JST: 540, HKT: 480, SGT: 480, AWST: 480, ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
  EST: -300, EDT: -240, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
};

interface Stamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  zone: string | undefined;
  meridiem?: string | undefined;
}

const FORMS: { pattern: RegExp; stamp: (match: RegExpExecArray) => Stamp }[] = [
  // date -Iseconds, date --rfc-3339=seconds, util-linux script: 2026-11-28T10:15:01+09:00
  {
    pattern: new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})[T ]${CLOCK}\\s*${ZONE}?$`),
    stamp: (m) => ({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]!, zone: m[7] }),
  },
  // date -R: Sat, 28 Nov 2026 10:15:01 +0900
  {
    pattern: new RegExp(`^${DAY}, (\\d{1,2}) ${MONTH} (\\d{4}) ${CLOCK} ${ZONE}$`),
    stamp: (m) => ({ year: +m[3]!, month: MONTHS.indexOf(m[2]!) + 1, day: +m[1]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]!, zone: m[7] }),
  },
  // date (C locale): Sat Nov 28 10:15:01 KST 2026; old script headers have no zone.
  {
    pattern: new RegExp(`^${DAY} ${MONTH} +(\\d{1,2}) ${CLOCK}(?: (AM|PM))?(?: ${ZONE})? (\\d{4})$`),
    stamp: (m) => ({ year: +m[8]!, month: MONTHS.indexOf(m[1]!) + 1, day: +m[2]!, hour: +m[3]!, minute: +m[4]!, second: +m[5]!, meridiem: m[6], zone: m[7] }),
  },
  // date (en_GB/en_US locales): Sat 28 Nov 2026 10:15:01 AM UTC
  {
    pattern: new RegExp(`^${DAY} (\\d{1,2}) ${MONTH} (\\d{4}) ${CLOCK}(?: (AM|PM))?(?: ${ZONE})?$`),
    stamp: (m) => ({ year: +m[3]!, month: MONTHS.indexOf(m[2]!) + 1, day: +m[1]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]!, meridiem: m[7], zone: m[8] }),
  },
];

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined) return null;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return minutes > 14 * 60 ? null : numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONE_OFFSET_MINUTES[zone] ?? null;
}

/** The instant as ISO 8601 UTC, or null when the fields are out of range or the zone unknown. */
function toIso(stamp: Stamp): string | null {
  let hour = stamp.hour;
  if (stamp.meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (stamp.meridiem === 'PM' ? 12 : 0);
  }
  const utc = Date.UTC(stamp.year, stamp.month - 1, stamp.day, hour, stamp.minute, stamp.second);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== stamp.year || check.getUTCMonth() !== stamp.month - 1 || check.getUTCDate() !== stamp.day || hour > 23 || stamp.minute > 59 || stamp.second > 60) return null;
  const offset = zoneOffsetMinutes(stamp.zone);
  return offset === null ? null : new Date(utc - offset * 60_000).toISOString();
}

/**
 * null: not a time line. Otherwise the line is one, and `capturedAt` is its instant (null when
 * the zone is missing or ambiguous).
 */
export function captureTimeFromLine(line: string): { capturedAt: string | null } | null {
  let text = line.trim();
  if (text.length < 16 || text.length > 200) return null;
  const script = /^Script started on (.+?)(?: \[[^\]]*\])?$/.exec(text);
  if (script) text = script[1]!;
  for (const form of FORMS) {
    const match = form.pattern.exec(text);
    if (match) return { capturedAt: toIso(form.stamp(match)) };
  }
  // A `script` header whose time is in a form not listed still is no capture row.
  return script ? { capturedAt: null } : null;
}

/**
 * The parser with time lines taken out: the first one with a known instant sets meta.capturedAt,
 * and each is reported to sink.timeLine (snapshot boundaries, see snapshots.ts).
 */
export function withCaptureTimeLines(parser: LineParser, sink: Pick<ParseSink, 'meta' | 'timeLine'>): LineParser {
  let found = false;
  return {
    line(text, lineNumber) {
      // Rows start with a protocol, an address or a digit count; time lines with a weekday,
      // a year or "Script": cheap first-character filter before the regular expressions.
      const first = text.charCodeAt(0);
      if ((first === 83 || first === 77 || first === 84 || first === 87 || first === 70 || (first >= 48 && first <= 57)) && text.length >= 16) {
        const time = captureTimeFromLine(text);
        if (time) {
          sink.timeLine?.(lineNumber, time.capturedAt);
          if (!found && time.capturedAt !== null) {
            found = true;
            sink.meta({ capturedAt: time.capturedAt } satisfies CaptureMeta);
          }
          return;
        }
      }
      parser.line(text, lineNumber);
    },
    end() {
      parser.end();
    },
  };
}
