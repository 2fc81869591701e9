/**
 * From a recipient reference (`unitLeader`, `unitManager`, `param:x`) to a person with an address,
 * at send time, so a directory change (a new school leader) reaches running instances at once.
 *
 * A reference that cannot be resolved is a RecipientError: permanent (the same lookup will fail
 * the same way until somebody edits the directory or the instance), so notify audits it instead of
 * having Step Functions retry it.
 */
import { z } from "zod";
import { type ErrorCategory, FristflowError } from "../errors/errors.ts";
import type { Params, Unit } from "../model/schema.ts";
import type { UnitStore } from "../store/ports.ts";
import type { RecipientRef } from "../timeline/types.ts";

export interface Person {
  name?: string;
  email: string;
}

export type RecipientProblem = "unknown-unit" | "no-manager" | "missing-parameter" | "not-an-address";

export class RecipientError extends FristflowError {
  readonly category: ErrorCategory = "invalid";

  constructor(
    /** The reference as an opaque id (`unitManager:skole-a`); never the address. */
    readonly recipient: string,
    readonly problem: RecipientProblem,
  ) {
    super(`${recipient}: ${PROBLEMS[problem]}`);
  }
}

const PROBLEMS: Record<RecipientProblem, string> = {
  "unknown-unit": "the unit is not in the directory",
  "no-manager": "the unit has no manager in the directory",
  "missing-parameter": "the instance was started without this parameter",
  "not-an-address": "the parameter is not an e-mail address",
};

/** Where units come from: the unit store, or a batch's memo of it. */
export type Directory = Pick<UnitStore, "get">;

/**
 * The directory for one batch: each unit is read once however many notifications name it (a
 * leader's reminder and its contact line are the same unit). Not kept longer, so an edit to the
 * directory shows in the next batch.
 */
export function batchDirectory(units: Directory): Directory {
  const seen = new Map<string, Promise<Unit | null>>();
  return {
    get(unitId) {
      let unit = seen.get(unitId);
      if (unit === undefined) {
        unit = units.get(unitId);
        seen.set(unitId, unit);
      }
      return unit;
    },
  };
}

/** A stable, address-free id for a reference: bound into confirm links and written to the audit trail. */
export function recipientId(ref: RecipientRef): string {
  return ref.kind === "param" ? `param:${ref.name}` : `${ref.kind}:${ref.unitId}`;
}

const Email = z.email();

export async function resolveAddress(
  ref: RecipientRef,
  context: { directory: Directory; params: Params },
): Promise<Person> {
  const id = recipientId(ref);
  if (ref.kind === "param") {
    const value = context.params[ref.name];
    if (value === undefined || value === "") throw new RecipientError(id, "missing-parameter");
    const email = Email.safeParse(value);
    if (!email.success) throw new RecipientError(id, "not-an-address");
    return { email: email.data };
  }
  const unit = await context.directory.get(ref.unitId);
  if (unit === null) throw new RecipientError(id, "unknown-unit");
  if (ref.kind === "unitLeader") return { name: unit.leader.name, email: unit.leader.email };
  if (unit.manager === undefined) throw new RecipientError(id, "no-manager");
  return { name: unit.manager.name, email: unit.manager.email };
}
