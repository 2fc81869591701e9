/**
 * An instance's open deadlines as an iCalendar feed: one event per occurrence that still needs
 * confirming. Each event's UID is the one the reminder mails' .ics attachments use for the same
 * occurrence, so a subscribed calendar and a filed attachment update one entry instead of two,
 * and a moved deadline moves the event.
 */
import ical, { ICalCalendarMethod, ICalEventTransparency } from "ical-generator";
import type { InstanceDetail } from "../../app/admin.ts";
import { calendarUid } from "../../mail/ics.ts";

const OPEN = new Set(["open", "overdue", "waiting"]);

export function deadlineFeed(
  detail: InstanceDetail,
  options: { organisation: string; instanceUrl: string; now: string },
): string {
  const { instance } = detail;
  const calendar = ical({
    name: `${detail.workflowTitle} (${options.organisation})`,
    prodId: { company: options.organisation, product: "fristflow", language: "DA" },
    method: ICalCalendarMethod.PUBLISH,
    // A hint to subscribing clients; deadlines rarely move more often than this.
    ttl: 60 * 60,
  });
  for (const group of detail.units) {
    for (const m of group.milestones) {
      if (!m.confirmable || m.dueAt === null || !OPEN.has(m.status)) continue;
      const unit = group.unit === null ? "" : ` – ${group.unit.name}`;
      calendar.createEvent({
        id: calendarUid(instance.instanceId, m.key, "staff"),
        // UTC instants and no DTEND: a deadline is a point in time, shown in the reader's zone.
        start: new Date(m.dueAt),
        stamp: new Date(options.now),
        summary: `${m.title}${unit}`,
        description: `${detail.workflowTitle}\n${options.instanceUrl}`,
        url: options.instanceUrl,
        // A deadline must not make its owner look busy to colleagues booking meetings.
        transparency: ICalEventTransparency.TRANSPARENT,
      });
    }
  }
  return calendar.toString();
}
