/**
 * The access log of one case as CSV, as Danish Excel opens it with a double click: UTF-8 with a
 * byte order mark (without it Excel reads "Forløb" as cp1252), semicolons (Danish Excel's list
 * separator, since the comma is the decimal mark), CRLF, and times as `2024-05-01 08:00:00` in
 * Danish local time, which Excel takes for a date and time. Column names and words are Danish
 * whatever the page's language: the file is for the citizen's answer.
 */
import { stringify } from "csv-stringify/sync";
import { defuse } from "../../export/table.ts";
import type { AccessLogEntry } from "../../store/records.ts";
import { Temporal } from "../../time/temporal.ts";
import { DEFAULT_TIMEZONE } from "../common/format.ts";
import { accessLogStrings } from "../strings/access-log.ts";

export const ACCESS_LOG_COLUMNS = [
  "Tidspunkt",
  "Medarbejder",
  "Visning",
  "Sag",
  "Forløb",
  "Adresse",
] as const;

/** The exports' one formula guard (a leading apostrophe), also for a user's name or a user agent. */
export { defuse };

/** `2024-05-01 08:00:00` in Danish local time. */
export function localTime(at: string, timezone = DEFAULT_TIMEZONE): string {
  const local = Temporal.Instant.from(at).toZonedDateTimeISO(timezone).toPlainDateTime();
  return local.toString({ smallestUnit: "second" }).replace("T", " ");
}

export function accessLogCsv(entries: readonly AccessLogEntry[]): string {
  const s = accessLogStrings.da;
  const rows = entries.map((e) =>
    [
      localTime(e.at),
      s.accessWho(e.who),
      s.accessViews[e.view],
      e.caseRef ?? "",
      e.instanceId ?? "",
      e.address,
    ].map(defuse),
  );
  return stringify([[...ACCESS_LOG_COLUMNS], ...rows], {
    bom: true,
    delimiter: ";",
    record_delimiter: "windows",
  });
}
