/**
 * What a new workflow starts from: a commented skeleton that is itself a valid definition (a test
 * keeps it so), or a copy of a stored workflow (the local stack seeds the bundled templates from
 * workflows/*.yaml into the store, see infra/local/seed.ts) under a new id, so saving it never
 * adds a version to the original.
 */
import { IdSchema } from "../../model/schema.ts";

export const SKELETON = `# Et udkast til en skabelon. Linjer, der begynder med #, er kommentarer.
# A draft workflow. Lines starting with # are comments.

# id: små bogstaver, tal og bindestreg; bruges i adresser og må ikke ændres senere.
# id: lower-case letters, digits and hyphens; used in addresses, do not change it later.
id: min-skabelon

# title: navnet i alle mails og på siderne. Dansk, og gerne engelsk.
# title: the name in every mail and page. Danish, and English if you can.
title: { da: Min skabelon, en: My workflow }

# description: formålet, gerne citeret fra kilden (valgfri).
# description: the purpose, preferably quoted from the source (optional).
description: Hvad forløbet skal sikre, og hvem der er med.

# source: hvor processen kommer fra, fx en lov eller en politik (valgfri).
# source: where the process comes from, e.g. a law or a policy (optional).
source: Kommunens egen plan

# parameters: hvad et forløb startes med. Kun e-mail-parametre kan modtage mails.
# parameters: what an instance is started with. Only email parameters can receive mail.
parameters:
  caseworker: { type: email, title: { da: Sagsbehandler, en: Caseworker } }
  teamleader: { type: email, title: { da: Teamleder, en: Team leader } }

# defaults: påmindelser og rykkere for alle milepæle, der ikke har deres egne. Rykkeren går
# her til en e-mail-parameter; \`manager\` (enhedens chef) kræver en enhed som ejer.
# defaults: reminders and escalation for every milestone without its own. The escalation goes
# to an email parameter here; \`manager\` needs a unit as owner.
defaults:
  escalation: { to: param:teamleader, after: P1D, every: P7D, max: 3 }

# milestones: mindst én milepæl. Hver har et id, en titel, en ejer og en frist.
# milestones: at least one milestone. Each has an id, a title, an owner and a deadline.
milestones:
  - id: foerste-skridt
    title: { da: Første skridt, en: First step }
    # owner: hvem der påmindes og bekræfter: param:<navn>, unit:<id>, leader (med forEach).
    # owner: who is reminded and confirms: param:<name>, unit:<id>, leader (with forEach).
    owner: param:caseworker
    # due: en dato (2026-10-31), en varighed fra starten (P1M, '10 working days')
    # eller { in: P1M, from: <milepæl> }.
    # due: a date, a duration from the start, or { in: P1M, from: <milestone> }.
    due: P1M
    # reminders: påmindelser før fristen (valgfri; standard P14D, P3D, P0D).
    # reminders: reminders before the deadline (optional; default P14D, P3D, P0D).
    reminders: [P7D, P0D]

  - id: opfoelgning
    title: { da: Opfølgning, en: Follow-up }
    owner: param:caseworker
    # after: milepæle, der skal være bekræftet først.
    # after: milestones that must be confirmed first.
    after: [foerste-skridt]
    due: { in: P3M, from: foerste-skridt }
    # escalation: rykker til en anden efter fristen, eller false for ingen.
    # escalation: escalate to someone after the deadline, or false for none.
    escalation: false
`;

/** The id a copy is saved under: "<id>-kopi", shortened to stay a valid id. */
export function copyId(id: string): string {
  const candidate = `${id.slice(0, 63 - "-kopi".length)}-kopi`;
  return IdSchema.safeParse(candidate).success ? candidate : "kopi";
}

/**
 * A stored definition's source with its top-level id replaced and a comment on top saying so; a
 * source whose id line cannot be found (JSON, or an id written in flow style) is kept as it is,
 * under the comment, so the administrator still sees what to change.
 */
export function copySource(source: string, id: string, comment: string): string {
  const idLine = new RegExp(`^id:[ \\t]*["']?${id.replace(/[-]/g, "\\-")}["']?[ \\t]*(#.*)?$`, "m");
  const replaced = idLine.test(source) ? source.replace(idLine, `id: ${copyId(id)}`) : source;
  return source.trimStart().startsWith("{") ? replaced : `${comment}\n${replaced}`;
}
