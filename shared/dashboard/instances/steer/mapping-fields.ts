/**
 * The milestone mapping of a migration as form fields, shared by the one-instance change form
 * (migrate-form.ts) and the every-instance page (workflows/migrate.ts): one select per milestone
 * of the old version saying what it becomes in the new one, or that it is removed; set to the
 * same id where the new version has it.
 */
import { html, type SafeHtml } from "../../../html/html.ts";
import type { Workflow } from "../../../model/schema.ts";
import { pickText } from "../../../timeline/format.ts";
import type { FieldErrors } from "../../common/forms.ts";
import { select } from "../../common/forms.ts";
import type { Language } from "../../strings.ts";

/** The select's value for "removed" (an id never starts with "-"). */
const REMOVE = "-";
const PREFIX = "map-";

const words = {
  da: {
    becomes: (title: string) => `Bliver til: ${title}`,
    remove: "Fjernes (bekræftelser bliver stående i historikken)",
  },
  en: {
    becomes: (title: string) => `Becomes: ${title}`,
    remove: "Removed (confirmations stay in the history)",
  },
};

export const mappingFieldName = (milestoneId: string) => `${PREFIX}${milestoneId}`;

/** One field name per milestone of the version migrated from. */
export function mappingFieldNames(from: Workflow): string[] {
  return from.milestones.map((m) => mappingFieldName(m.id));
}

/** The field an error at `mapping.<id>` is shown at; undefined for any other path. */
export function mappingFieldOf(path: string): string | undefined {
  return path.startsWith("mapping.") ? mappingFieldName(path.slice("mapping.".length)) : undefined;
}

export function mappingSelects(o: {
  from: Workflow;
  to: Workflow;
  values: ReadonlyMap<string, string>;
  errors: FieldErrors;
  language: Language;
}): SafeHtml {
  const w = words[o.language];
  const targets = o.to.milestones;
  return html`${o.from.milestones.map((m) => {
    const name = mappingFieldName(m.id);
    return select({
      name,
      label: pickText(m.title, o.language),
      value: o.values.get(name) || (targets.some((t) => t.id === m.id) ? m.id : REMOVE),
      options: [
        ...targets.map((t) => ({ value: t.id, label: w.becomes(pickText(t.title, o.language)) })),
        { value: REMOVE, label: w.remove },
      ],
      error: o.errors.get(name),
    });
  })}`;
}

/** The mapping the fields say (old id → new id, or null to remove); unset fields are left out. */
export function mappingOf(values: ReadonlyMap<string, string>): Record<string, string | null> {
  const mapping: Record<string, string | null> = {};
  for (const [name, value] of values) {
    if (!name.startsWith(PREFIX) || value === "") continue;
    mapping[name.slice(PREFIX.length)] = value === REMOVE ? null : value;
  }
  return mapping;
}
