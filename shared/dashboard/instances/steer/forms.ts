/**
 * The dashboard side of each change: its title and its own fields. The fields carry the names of
 * the action's input (shared/app/steer/), so the posted form is read into the same input the API
 * takes, and an error located at `to` is shown at the field `to`. Adding a change's page is one
 * module and one line in STEER_FORMS.
 */
import type { InstanceDetail } from "../../../app/admin.ts";
import type { ChangePreview } from "../../../app/steer/preview.ts";
import type { SafeHtml } from "../../../html/html.ts";
import type { Unit, Workflow } from "../../../model/schema.ts";
import type { WorkflowVersionRecord } from "../../../store/records.ts";
import type { FieldErrors, PostedForm } from "../../common/forms.ts";
import type { PageContext } from "../../common/layout.ts";
import { addUnitForm } from "./add-unit-form.ts";
import { confirmForForm } from "./confirm-for-form.ts";
import { holdForm } from "./hold-form.ts";
import { migrateForm } from "./migrate-form.ts";
import { moveDeadlineForm } from "./move-deadline-form.ts";
import { removeUnitForm } from "./remove-unit-form.ts";
import { resumeForm } from "./resume-form.ts";
import { undoConfirmationForm } from "./undo-confirmation-form.ts";

export interface SteerFormView {
  ctx: PageContext;
  detail: InstanceDetail;
  definition: Workflow;
  /** The form's raw values: from the address on the first view, from the post after. */
  values: ReadonlyMap<string, string>;
  errors: FieldErrors;
  /** The latest version of the instance's workflow (a migration's target). */
  latest?: WorkflowVersionRecord | null;
  /** The unit directory, for a form that says `needsDirectory`. */
  directory?: readonly Unit[];
}

export interface SteerForm {
  /** The action's name (shared/app/steer/actions.ts). */
  name: string;
  title(language: "da" | "en"): string;
  /** The form's own fields (the reason and the buttons are the page's). */
  fields(view: SteerFormView): SafeHtml;
  /** Field names whose values are kept between the form, the preview and the save. */
  fieldNames: readonly string[];
  /** The raw values as the action's input (its schema checks them; nothing is checked here). */
  read(values: ReadonlyMap<string, string>): Record<string, unknown>;
  /** Field names that depend on the definition (one per milestone, say). */
  moreFieldNames?(definition: Workflow): string[];
  /** The field an error's path is shown at, where it is not the path's first word. */
  fieldOf?(path: string): string | undefined;
  /** What the preview shows of this change besides the common tables (a migration's plan). */
  describe?(view: SteerFormView, preview: ChangePreview): SafeHtml;
  /** The form lists directory units (its pages read the directory). */
  needsDirectory?: boolean;
}

/** Every field name of the form for this definition. */
export function fieldNamesOf(form: SteerForm, definition: Workflow): string[] {
  return [...form.fieldNames, ...(form.moreFieldNames?.(definition) ?? [])];
}

export const STEER_FORMS: readonly SteerForm[] = [
  moveDeadlineForm,
  migrateForm,
  addUnitForm,
  removeUnitForm,
  confirmForForm,
  undoConfirmationForm,
  holdForm,
  resumeForm,
];

export function steerForm(name: string): SteerForm | undefined {
  return STEER_FORMS.find((f) => f.name === name);
}

/** The form's values from a post (only its own field names). */
export function postedValues(form: SteerForm, posted: PostedForm, definition: Workflow): Map<string, string> {
  return new Map(fieldNamesOf(form, definition).map((name) => [name, posted.text(name)]));
}
