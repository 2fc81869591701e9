/**
 * A directory unit from flat text fields, the shape both the edit form and a CSV row have, with
 * one message per field in the administrator's language ("leader_email: ugyldig e-mail").
 * UnitSchema is still the final word; this only says what is wrong where a person can fix it.
 */
import { z } from "zod";
import { looksLikeCpr } from "../../model/cpr.ts";
import { hasControlCharacters, IdSchema, type Unit, UnitSchema } from "../../model/schema.ts";
import type { DashboardStrings } from "../strings.ts";

/** The CSV header, and the edit form's field names. */
export const UNIT_COLUMNS = [
  "id",
  "name",
  "type",
  "leader_name",
  "leader_email",
  "manager_name",
  "manager_email",
] as const;

export type UnitColumn = (typeof UNIT_COLUMNS)[number];
export type UnitFields = Record<UnitColumn, string>;

const Email = z.email();

export function fieldsOf(unit: Unit | null): UnitFields {
  return {
    id: unit?.id ?? "",
    name: unit?.name ?? "",
    type: unit?.type ?? "",
    leader_name: unit?.leader.name ?? "",
    leader_email: unit?.leader.email ?? "",
    manager_name: unit?.manager?.name ?? "",
    manager_email: unit?.manager?.email ?? "",
  };
}

export type UnitCheck =
  | { ok: true; unit: Unit }
  | { ok: false; errors: { field: UnitColumn; message: string }[] };

export function unitFromFields(raw: UnitFields, s: DashboardStrings): UnitCheck {
  const f = Object.fromEntries(UNIT_COLUMNS.map((c) => [c, raw[c].trim()])) as UnitFields;
  const errors: { field: UnitColumn; message: string }[] = [];
  const fail = (field: UnitColumn, message: string) => errors.push({ field, message });

  for (const column of UNIT_COLUMNS) if (looksLikeCpr(f[column])) fail(column, s.cprRefused);
  const clean = (column: UnitColumn) => !errors.some((e) => e.field === column);
  for (const column of UNIT_COLUMNS) {
    if (clean(column) && hasControlCharacters(f[column])) fail(column, s.field.controlCharacters);
  }

  if (clean("id")) {
    if (f.id === "") fail("id", s.field.required);
    else if (!IdSchema.safeParse(f.id).success) fail("id", s.field.invalidId);
  }
  if (clean("name") && f.name === "") fail("name", s.field.required);
  if (clean("type")) {
    if (f.type === "") fail("type", s.field.required);
    else if (!IdSchema.safeParse(f.type).success) fail("type", s.field.invalidId);
  }
  if (clean("leader_name") && f.leader_name === "") fail("leader_name", s.field.required);
  if (clean("leader_email")) {
    if (f.leader_email === "") fail("leader_email", s.field.required);
    else if (!Email.safeParse(f.leader_email).success) fail("leader_email", s.field.invalidEmail);
  }
  const hasManager = f.manager_name !== "" || f.manager_email !== "";
  if (hasManager && clean("manager_name") && clean("manager_email")) {
    if (f.manager_name === "") fail("manager_name", s.field.managerBoth);
    else if (f.manager_email === "") fail("manager_email", s.field.managerBoth);
    else if (!Email.safeParse(f.manager_email).success) fail("manager_email", s.field.invalidEmail);
  }
  if (errors.length > 0) return { ok: false, errors };

  const unit: Unit = {
    id: f.id,
    name: f.name,
    type: f.type,
    leader: { name: f.leader_name, email: f.leader_email },
    ...(hasManager ? { manager: { name: f.manager_name, email: f.manager_email } } : {}),
  };
  const parsed = UnitSchema.safeParse(unit);
  // The checks above cover the schema; a difference would be a bug, reported on the row, not thrown.
  if (!parsed.success)
    return { ok: false, errors: [{ field: "id", message: parsed.error.issues[0]?.message ?? "" }] };
  return { ok: true, unit: parsed.data };
}
