/**
 * A harness filled with every kind of thing a dashboard page shows, for the accessibility test
 * (a11y-browser.test.ts): every shipped template as a workflow (Ishøj's twice, so it has a
 * migration), the sample directories, a running instance of each template with milestones
 * overdue, due soon and confirmed, one instance on hold, confirm links valid / already confirmed /
 * expired / forged, a reminder in the outbox, a Mine frister link, an applicant's notice, the test
 * users (people: true) and an API token. What a page needs to be found again is in `Seeded`.
 */
import { readdir, readFile } from "node:fs/promises";
import { createApiToken } from "../../shared/app/api-tokens.ts";
import { createConfirmLink, linkExpiry } from "../../shared/links/confirm-link.ts";
import { createMineLink, mineLinkExpiry } from "../../shared/links/mine-link.ts";
import { loadUnits, loadWorkflow } from "../../shared/model/load.ts";
import type { Unit, Workflow } from "../../shared/model/schema.ts";
import { plan } from "../../shared/timeline/plan.ts";
import { ADMIN_TOKEN, type Harness, LINK_KEY, startHarness } from "../http/harness.ts";
import { storeReminder } from "./fixtures.ts";

/** December 2024: Ishøj's local plans were due in October, the committee presentation is next. */
export const SEED_NOW = "2024-12-10T09:00:00Z";

export interface Seeded {
  h: Harness;
  /** The running instance of each template, by workflow id. */
  instances: Record<string, string>;
  /** An instance on hold (the resume form has something to resume). */
  heldInstance: string;
  /** A workflow with two versions and running instances of the first. */
  migratable: string;
  /** A unit of the directory. */
  unitId: string;
  /** Paths with query of the confirm page. */
  confirm: { valid: string; confirmed: string; expired: string; forged: string; pressable: string };
  /** The path of a leader's Mine frister page. */
  mine: string;
  /** The path of the notice-to-the-applicant form. */
  notice: string;
  /** The message id of the reminder in the outbox. */
  mailId: string;
}

const CASE_PARAMS: Record<string, string> = {
  caseRef: "SAG-2024-117",
  caseworker: "sara@kommune.example.dk",
  teamleader: "tl@kommune.example.dk",
  applicant: "borger@example.dk",
};

/** When each template's instance starts: far enough back that some deadlines have passed. */
function startOf(id: string): string {
  if (id === "ishoj-staerke-faellesskaber") return "2023-11-01";
  if (id === "ansoegningsfrist") return "2024-10-20";
  if (id === "underretning") return "2024-12-06T12:00";
  if (id === "boernefaglig-undersoegelse" || id === "opfoelgning-paa-indsats") return "2024-08-15";
  return "2024-01-02";
}

async function templates(): Promise<{ source: string; definition: Workflow }[]> {
  const files = (await readdir("workflows")).filter((f) => f.endsWith(".yaml")).sort();
  return Promise.all(
    files.map(async (file) => {
      const source = await readFile(`workflows/${file}`, "utf8");
      const loaded = loadWorkflow(source, file);
      if (!loaded.ok) throw new Error(`${file} does not load`);
      return { source, definition: loaded.value };
    }),
  );
}

/** A unit whose name and addresses are as long as real ones get: they must wrap, not widen a page. */
export const LONG_UNIT = "klub-ungdomsskolen-vestervang-afdelingen-for-fritidsklubber";

async function sampleUnits(): Promise<Unit[]> {
  const units: Unit[] = [
    {
      id: LONG_UNIT,
      name: "Ungdomsskolen Vestervangs Afdeling for Fritidsklubber og Ungdomsklubber i Ishøj Landsby",
      type: "fritidsklub-og-ungdomsklub",
      leader: {
        name: "Anne-Mette Christiansen-Søndergaard",
        email: "anne-mette.christiansen-soendergaard@ungdomsskolen-vestervang.ishoj.example",
      },
      manager: { name: "Bjørn Kristoffersen", email: "bjoern.kristoffersen.ungdomsskolechef@ishoj.example" },
    },
  ];
  for (const file of ["ishoj-units.yaml", "ballerup-units.yaml"]) {
    const loaded = loadUnits(await readFile(`workflows/samples/${file}`, "utf8"), file);
    if (!loaded.ok) throw new Error(`${file} does not load`);
    units.push(...loaded.value);
  }
  return units;
}

/** Starts a harness with people (the embedded OpenID provider) and fills it. */
export async function seedA11y(): Promise<Seeded> {
  const h = await startHarness(SEED_NOW, { people: true });
  const units = await sampleUnits();
  for (const unit of units) await h.table.stores.units.put(unit);
  const stores = h.table.stores;
  const now = h.clock.now();

  const instances: Record<string, string> = {};
  let confirmedLink = "";
  let validLink = "";
  let expiredLink = "";
  let pressableLink = "";
  for (const { source, definition } of await templates()) {
    await stores.workflows.putVersion({ workflowId: definition.id, source, definition, createdBy: "seed" });
    const types = new Set(definition.milestones.flatMap((m) => m.forEach ?? []));
    const fanned = units
      .filter((u) => types.has(u.type))
      .map((u) => ({ id: u.id, type: u.type, name: u.name }));
    const params = Object.fromEntries(
      Object.keys(definition.parameters ?? {}).flatMap((p) => {
        const value = CASE_PARAMS[p];
        return value === undefined ? [] : [[p, value]];
      }),
    );
    const planned = plan(definition, startOf(definition.id), params, fanned);
    const instanceId = `${definition.id}-a11y0000`;
    await stores.instances.create({
      instanceId,
      workflowId: definition.id,
      workflowVersion: 1,
      startAt: planned.startAt,
      params,
      units: fanned,
      createdBy: "seed",
    });
    await stores.instances.syncOccurrences(instanceId, planned.occurrences, undefined, {
      workflowId: definition.id,
      workflowVersion: 1,
      units: fanned,
    });
    instances[definition.id] = instanceId;
    // Most of what is past its deadline was confirmed; every third is left overdue.
    const past = planned.occurrences.filter((o) => Date.parse(o.plannedDueAt) < Date.parse(SEED_NOW));
    for (const [i, o] of past.entries()) {
      if (i % 3 === 2) continue;
      await stores.instances.recordConfirmation({
        instanceId,
        occurrenceKey: o.key,
        at: new Date(Date.parse(o.plannedDueAt) - 2 * 86_400_000).toISOString(),
        by:
          o.unitId === null ? "unitLeader:forvaltning via link a11y" : `unitLeader:${o.unitId} via link a11y`,
      });
    }
    if (definition.id === "ishoj-staerke-faellesskaber") {
      const link = (key: string, dueAt: string, expiresAt = linkExpiry(dueAt, now)) => {
        const made = createConfirmLink(
          { instanceId, occurrenceKey: key, recipient: "unitLeader:forvaltning", expiresAt },
          LINK_KEY,
        );
        return `/confirm/${made.id}?sig=${encodeURIComponent(made.sig)}`;
      };
      const confirmed = past[0];
      const open = planned.occurrences.find((o) => Date.parse(o.plannedDueAt) > Date.parse(SEED_NOW));
      if (confirmed === undefined || open === undefined)
        throw new Error("the Ishøj plan has no past or future");
      confirmedLink = link(confirmed.key, confirmed.plannedDueAt);
      validLink = link(open.key, open.plannedDueAt);
      expiredLink = link(open.key, open.plannedDueAt, now.subtract({ hours: 1 }));
      // A link the test presses (pressing confirms it): an overdue milestone left open above.
      const overdue = past.find((_o, i) => i % 3 === 2);
      if (overdue === undefined) throw new Error("the Ishøj plan has nothing overdue");
      pressableLink = link(overdue.key, overdue.plannedDueAt);
    }
  }

  // A second version of Ishøj's template: its running instance can be migrated.
  const ishoj = "ishoj-staerke-faellesskaber";
  const first = await stores.workflows.get(ishoj, 1);
  if (first === null) throw new Error("no Ishøj workflow");
  await stores.workflows.putVersion({
    workflowId: ishoj,
    source: first.source,
    definition: first.definition,
    createdBy: "seed",
  });

  // Put one instance on hold through the admin API, as a caseworker's change would.
  const heldInstance = instances["opfoelgning-paa-indsats"] ?? "";
  const held = await fetch(`${h.url}/api/instances/${heldInstance}/changes/hold`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ reason: "Afventer udvalgets beslutning" }),
  });
  if (held.status !== 200) throw new Error(`hold: ${held.status} ${await held.text()}`);

  const forgedSig = validLink.replace(/sig=(.)/, (_m, c: string) => `sig=${c === "A" ? "B" : "A"}`);
  const mailId = await storeReminder(h, {
    confirmUrl: `${h.url}${validLink}`,
    instanceId: instances[ishoj] ?? "",
    at: "2024-12-09T07:00:00Z",
  });
  const mine = createMineLink(
    { email: units[1]?.leader.email ?? "", expiresAt: mineLinkExpiry(now) },
    LINK_KEY,
  ).path;

  const caseId = instances.ansoegningsfrist ?? "";
  const caseRecord = await stores.instances.loadState(caseId);
  const caseWorkflow = await stores.workflows.get("ansoegningsfrist", 1);
  if (caseWorkflow === null) throw new Error("no ansoegningsfrist");
  const caseKey = plan(caseWorkflow.definition, caseRecord.instance.startAt, caseRecord.instance.params, [])
    .occurrences[0]?.key;
  const notice = `/instances/${caseId}/notice?${new URLSearchParams({ occurrence: caseKey ?? "", notice: "0" }).toString()}`;

  await createApiToken(
    { ...stores, clock: h.clock },
    { userId: "anna", name: "Rapportudtræk", days: 30, by: "user:anna (Anna Administrator)" },
  );

  return {
    h,
    instances,
    heldInstance,
    migratable: ishoj,
    unitId: units[1]?.id ?? "",
    confirm: {
      valid: validLink,
      confirmed: confirmedLink,
      expired: expiredLink,
      forged: forgedSig,
      pressable: pressableLink,
    },
    mine,
    notice,
    mailId,
  };
}
