/**
 * The personal calendar feed of Mine frister: one event per open milestone, with the same UID as
 * the event attached to that milestone's mails (ics.ts), so subscribing and filing a mail's
 * attachment never give the same deadline twice.
 */
import ical, { ICalCalendarMethod, ICalEventTransparency } from "ical-generator";
import type { Temporal } from "../time/temporal.ts";
import { calendarUid } from "./ics.ts";

export interface FeedItem {
  instanceId: string;
  occurrenceKey: string;
  milestoneTitle: string;
  workflowTitle: string;
  unitName: string | null;
  dueAt: string;
  /** The instance's name and case reference; in the summary, so two cases' events differ. */
  instanceLabel?: string;
}

export function mineCalendar(
  items: readonly FeedItem[],
  options: { organisation: string; now: Temporal.Instant },
): string {
  const calendar = ical({
    name: "Mine frister",
    prodId: { company: options.organisation, product: "fristflow", language: "DA" },
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const item of items) {
    calendar.createEvent({
      id: calendarUid(item.instanceId, item.occurrenceKey, "staff"),
      start: new Date(item.dueAt),
      stamp: new Date(options.now.epochMilliseconds),
      summary: item.instanceLabel ? `${item.milestoneTitle} – ${item.instanceLabel}` : item.milestoneTitle,
      description: [item.workflowTitle, item.instanceLabel, item.unitName]
        .filter((x): x is string => Boolean(x))
        .join("\n\n"),
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}
