/**
 * The dashboard side of each change: its title and its own fields. The fields carry the names of
 * the action's input (shared/app/steer/), so the posted form is read into the same input the API
 * takes, and an error located at `to` is shown at the field `to`. Adding a change's page is one
 * module and one line in STEER_FORMS.
 */
import type { InstanceDetail } from "../../../app/admin.ts";
import type { SafeHtml } from "../../../html/html.ts";
import type { Workflow } from "../../../model/schema.ts";
import type { FieldErrors, PostedForm } from "../../common/forms.ts";
import type { PageContext } from "../../common/layout.ts";
import { holdForm } from "./hold-form.ts";
import { moveDeadlineForm } from "./move-deadline-form.ts";
import { resumeForm } from "./resume-form.ts";

export interface SteerFormView {
  ctx: PageContext;
  detail: InstanceDetail;
  definition: Workflow;
  /** The form's raw values: from the address on the first view, from the post after. */
  values: ReadonlyMap<string, string>;
  errors: FieldErrors;
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
}

export const STEER_FORMS: readonly SteerForm[] = [moveDeadlineForm, holdForm, resumeForm];

export function steerForm(name: string): SteerForm | undefined {
  return STEER_FORMS.find((f) => f.name === name);
}

/** The form's values from a post (only its own field names). */
export function postedValues(form: SteerForm, posted: PostedForm): Map<string, string> {
  return new Map(form.fieldNames.map((name) => [name, posted.text(name)]));
}
