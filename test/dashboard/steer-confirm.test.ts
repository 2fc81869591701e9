/**
 * Issue 11, change 4 on the dashboard (HTTP, no browser): the instance page offers "Bekræft for
 * lederen" beside an open milestone and "Fortryd bekræftelse" beside a confirmed one; each opens
 * its form, previews what it does (nothing written) and saves through the generic change pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, instanceWithLinks, startHarness, UNITS } from "../http/harness.ts";
import { Client, visibleText } from "./client.ts";

let h: Harness;
let admin: Client;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  admin = new Client(h);
  await admin.login();
});
afterAll(async () => {
  await h.close();
});

const KEY = "status/skole-a/0";

function rev(page: string): string {
  const found = /name="expectedRev" value="(\d+)"/.exec(page)?.[1];
  if (found === undefined) throw new Error("no expectedRev on the preview");
  return found;
}

describe("confirming for the leader and undoing it on the dashboard", () => {
  it("offers each where it applies, previews without writing, saves, and refuses at the field", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const change = (action: string) => `/instances/${instanceId}/change/${action}`;
    const confirmLink = `${change("confirm-for")}?occurrenceKey=${encodeURIComponent(KEY)}`;
    const undoLink = `${change("undo-confirmation")}?occurrenceKey=${encodeURIComponent(KEY)}`;

    // The instance page offers confirming for the leader, not undoing
    const page = await admin.get(`/instances/${instanceId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="${confirmLink.replace("&", "&amp;")}">Bekræft for lederen</a>`);
    expect(page.text).not.toContain(undoLink);

    // The form names the milestone and what it does
    const form = await admin.get(confirmLink);
    expect(form.status).toBe(200);
    expect(visibleText(form.text)).toContain("Statusrapport – Skole A");
    expect(visibleText(form.text)).toContain("Der sendes ikke flere påmindelser om den");

    // The preview writes nothing
    const before = await h.snapshot();
    const preview = await admin.post(change("confirm-for"), {
      step: "preview",
      occurrenceKey: KEY,
      reason: "Lederen er syg",
    });
    expect(preview.status).toBe(200);
    expect(visibleText(preview.text)).toMatch(/Ændringen .*aflyser \d+ planlagte? mails?/);
    expect(await h.snapshot()).toEqual(before);

    // Saved: confirmed, and the page now offers undoing it
    const saved = await admin.post(change("confirm-for"), {
      step: "save",
      occurrenceKey: KEY,
      reason: "Lederen er syg",
      expectedRev: rev(preview.text),
    });
    expect(saved.status).toBe(303);
    expect(await h.table.stores.instances.getMilestone(instanceId, KEY)).toMatchObject({
      status: "confirmed",
    });
    const after = await admin.get(`/instances/${instanceId}`);
    expect(after.text).toContain(`href="${undoLink.replace("&", "&amp;")}">Fortryd bekræftelse</a>`);
    expect(after.text).not.toContain(confirmLink);

    // Confirming it again is refused, with the reason on the page, and nothing written
    const confirmed = await h.snapshot();
    const refused = await admin.post(change("confirm-for"), {
      step: "preview",
      occurrenceKey: KEY,
      reason: "Lederen er syg",
    });
    expect(refused.status).toBe(400);
    expect(visibleText(refused.text)).toContain("er allerede bekræftet.");
    expect(await h.snapshot()).toEqual(confirmed);

    // Undoing: the preview says the leader is told now; saved, it is open again
    const undoForm = await admin.get(undoLink);
    expect(visibleText(undoForm.text)).toContain(
      "Den ansvarlige får en mail om, at bekræftelsen er fortrudt",
    );
    const undoPreview = await admin.post(change("undo-confirmation"), {
      step: "preview",
      occurrenceKey: KEY,
      reason: "Bekræftet ved en fejl",
    });
    expect(undoPreview.status).toBe(200);
    const said = visibleText(undoPreview.text);
    expect(said).toContain("sender 1 mail nu");
    expect(said).toContain("Besked om, at bekræftelsen er fortrudt");
    const undone = await admin.post(change("undo-confirmation"), {
      step: "save",
      occurrenceKey: KEY,
      reason: "Bekræftet ved en fejl",
      expectedRev: rev(undoPreview.text),
    });
    expect(undone.status).toBe(303);
    expect(await h.table.stores.instances.getMilestone(instanceId, KEY)).toMatchObject({
      status: "open",
      reopened: { reason: "Bekræftet ved en fejl" },
    });
    // The history says both, with the reasons
    const history = visibleText((await admin.get(`/instances/${instanceId}`)).text);
    expect(history).toContain("»Statusrapport – Skole A« blev bekræftet på vegne af den ansvarlige");
    expect(history).toContain("Begrundelse: Lederen er syg");
    expect(history).toContain("Bekræftelsen af »Statusrapport – Skole A« blev fortrudt");
    expect(history).toContain("Begrundelse: Bekræftet ved en fejl");
  });
});
