/**
 * An instance's open deadlines as an iCalendar feed: one event per occurrence that still needs
 * confirming. Each event's UID is the one the reminder mails' .ics attachments use for the same
 * occurrence, so a subscribed calendar and a filed attachment update one entry instead of two,
 * and a moved deadline moves the event.
 *
 * A feed URL is shared (pasted into a calendar app, synced to phones): its events link to the
 * instance's dashboard page, which asks for a login, never to a signed confirm link.
 */
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventTransparency } from "ical-generator";
import type { InstanceDetail } from "../../app/admin.ts";
import { calendarUid } from "../../mail/ics.ts";
import { icsProdIdPart, icsText } from "../../mail/ics-text.ts";
import { identityLine } from "../../timeline/instance-name.ts";
import { isOutstanding } from "../../timeline/status.ts";

/** Long enough to be seen and tapped in a day view; a deadline is not a meeting to block out. */
const EVENT_MINUTES = 30;
/** A working day's notice on the phone, on top of the reminder mails. */
const ALARM_SECONDS_BEFORE = 24 * 60 * 60;

export function deadlineFeed(
  detail: InstanceDetail,
  options: { organisation: string; instanceUrl: string; now: string },
): string {
  const { instance } = detail;
  const name = identityLine(detail.identity);
  const calendar = ical({
    name: icsText(`${name} (${options.organisation})`),
    prodId: { company: icsProdIdPart(options.organisation), product: "fristflow", language: "DA" },
    method: ICalCalendarMethod.PUBLISH,
    // A hint to subscribing clients; deadlines rarely move more often than this.
    ttl: 60 * 60,
  });
  for (const group of detail.units) {
    for (const m of group.milestones) {
      if (!m.confirmable || m.dueAt === null || !isOutstanding(m.status)) continue;
      const unit = group.unit === null ? "" : ` – ${group.unit.name}`;
      const start = new Date(m.dueAt);
      calendar.createEvent({
        id: calendarUid(instance.instanceId, m.key, "staff"),
        // UTC instants: shown in the reader's zone. The event ends at the deadline, so a calendar
        // shows the half hour before it rather than a zero-length line some apps hide.
        start: new Date(start.getTime() - EVENT_MINUTES * 60_000),
        end: start,
        stamp: new Date(options.now),
        summary: `${m.title}${unit} – ${name}`,
        description: `${name === detail.workflowTitle ? name : `${name}\n${detail.workflowTitle}`}\n${options.instanceUrl}`,
        url: options.instanceUrl,
        // A deadline must not make its owner look busy to colleagues booking meetings.
        transparency: ICalEventTransparency.TRANSPARENT,
        alarms: [
          { type: ICalAlarmType.display, trigger: ALARM_SECONDS_BEFORE, description: `${m.title}${unit}` },
        ],
      });
    }
  }
  return calendar.toString();
}
