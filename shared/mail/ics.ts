/**
 * The .ics attachment: one event at the deadline, so a reminder can be put in the calendar with
 * one click. The UID is derived from the occurrence, so the second reminder for the same
 * deadline (or a re-sent one after a moved deadline) updates the entry instead of adding another.
 */
import { createHash } from "node:crypto";
import ical, { ICalCalendarMethod, ICalEventTransparency } from "ical-generator";
import type { Temporal } from "../time/temporal.ts";

export interface DeadlineEventInput {
  instanceId: string;
  occurrenceKey: string;
  /** Staff and citizens get different events for the same occurrence (deadline vs expected decision). */
  audience: "staff" | "citizen";
  start: Temporal.Instant;
  summary: string;
  description: string;
  url?: string;
  /** DTSTAMP: when this version of the event was made. */
  stamp: Temporal.Instant;
  /**
   * RFC 5545 SEQUENCE: raise it when the deadline moves so clients that compare sequences
   * (Outlook) take the new time; 0 for an unchanged deadline.
   */
  sequence: number;
  organisationName: string;
}

/**
 * A hash rather than the raw keys: occurrence keys carry internal milestone and unit ids, and a
 * citizen's calendar should not. Stable for the same instance, occurrence and audience.
 */
export function calendarUid(
  instanceId: string,
  occurrenceKey: string,
  audience: "staff" | "citizen",
): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([instanceId, occurrenceKey, audience]), "utf8")
    .digest("hex")
    .slice(0, 32);
  return `${digest}@fristflow`;
}

export function deadlineCalendar(input: DeadlineEventInput): string {
  const calendar = ical({
    prodId: { company: input.organisationName, product: "fristflow", language: "DA" },
    // PUBLISH, not REQUEST: this is information to file, not a meeting invitation that asks the
    // reader to accept and would send replies back to the sender.
    method: ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: calendarUid(input.instanceId, input.occurrenceKey, input.audience),
    // UTC instants: no VTIMEZONE to get wrong, and every client shows them in its own zone.
    // No DTEND: a deadline is a point in time (RFC 5545 allows a zero-length event).
    start: new Date(input.start.epochMilliseconds),
    stamp: new Date(input.stamp.epochMilliseconds),
    sequence: input.sequence,
    summary: input.summary,
    description: input.description,
    url: input.url ?? null,
    // A deadline marker must not make its owner look busy to colleagues booking meetings.
    transparency: ICalEventTransparency.TRANSPARENT,
  });
  return calendar.toString();
}
