/**
 * Issue 11, change 4 on the dashboard (real HTTP, DynamoDB Local, logged in through the embedded
 * OpenID provider): the instance page offers "Sæt på pause", the hold is previewed and saved, the
 * page then says since when, by whom and why it is paused and offers "Genoptag", and the resume
 * form makes the person choose between keeping and shifting the deadlines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMineLink, mineLinkExpiry } from "../../shared/links/mine-link.ts";
import {
  type Harness,
  instanceWithLinks,
  LINK_KEY,
  startHarness,
  TEST_USERS,
  UNITS,
} from "../http/harness.ts";
import { Client, loginThroughProvider, visibleText } from "./client.ts";

let h: Harness;
let anna: Client;

async function logIn(): Promise<Client> {
  const person = TEST_USERS.find((u) => u.id === "anna");
  if (person === undefined) throw new Error("no anna");
  const client = new Client(h);
  await loginThroughProvider(client, h.url, person.email, person.password);
  return client;
}

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  anna = await logIn();
});
afterAll(async () => {
  await h.close();
});

describe("hold and resume on the dashboard", () => {
  it("previews and saves a hold, shows it on the page, and resumes with the deadlines put off", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const page = `/instances/${instanceId}`;
    const change = (action: string) => `${page}/change/${action}`;
    const running = await anna.get(page);
    expect(running.text).toContain(`href="${change("hold")}"`);
    expect(running.text).not.toContain('id="hold-notice"');

    // Act 1: the form, then the preview
    const form = await anna.get(change("hold"));
    expect(visibleText(form.text)).toContain("sendes ingen påmindelser, rykkere eller andre mails");
    const before = await h.snapshot();
    const preview = await anna.post(change("hold"), { step: "preview", reason: "Afventer byrådet" });
    // Assess 1: says what it cancels, sends nothing now, writes nothing
    expect(preview.status).toBe(200);
    expect(visibleText(preview.text)).toMatch(
      /Ændringen flytter ingen frister, aflyser \d+ planlagte mails og sender intet nu\./,
    );
    expect(await h.snapshot()).toEqual(before);

    // Act 2: save the preview as shown
    const rev = /name="expectedRev" value="(\d+)"/.exec(preview.text)?.[1] ?? "";
    const saved = await anna.post(change("hold"), {
      step: "save",
      reason: "Afventer byrådet",
      expectedRev: rev,
    });
    // Assess 2: the page says it is on hold, by whom and why, and offers to resume
    expect(saved.status).toBe(303);
    const held = visibleText((await anna.get(page)).text);
    expect(held).toContain("På pause siden 01.05.2024 (Anna Administrator (anna)): Afventer byrådet");
    expect(held).toContain("sat i bero");
    expect(held).toContain("Forløbet blev sat på pause Begrundelse: Afventer byrådet");
    const report = visibleText((await anna.get(`${page}/report`)).text);
    expect(report).toContain("På pause siden 01.05.2024 (Anna Administrator (anna)): Afventer byrådet");
    const heldPage = (await anna.get(page)).text;
    expect(heldPage).toContain(`href="${change("resume")}"`);
    expect(heldPage).not.toContain(`href="${change("hold")}"`);

    // Act 3: ten days on, resume without choosing, then choosing to put the deadlines off
    h.clock.set("2024-05-11T06:00:00Z");
    anna = await logIn(); // the session of ten days ago has ended
    const resumeForm = visibleText((await anna.get(change("resume"))).text);
    expect(resumeForm).toContain("Behold fristerne");
    expect(resumeForm).toContain("Udskyd fristerne med pausens længde");
    const unchosen = await anna.post(change("resume"), { step: "preview", reason: "Byrådet har besluttet" });
    expect(unchosen.status).toBe(400);
    expect(unchosen.text).toContain('id="f-deadlines-error">Vælg, om fristerne skal blive stående');
    const shiftPreview = await anna.post(change("resume"), {
      step: "preview",
      reason: "Byrådet har besluttet",
      deadlines: "shift",
    });
    expect(visibleText(shiftPreview.text)).toMatch(/Ændringen flytter 3 frister/);
    const shiftRev = /name="expectedRev" value="(\d+)"/.exec(shiftPreview.text)?.[1] ?? "";
    const resumed = await anna.post(change("resume"), {
      step: "save",
      reason: "Byrådet har besluttet",
      deadlines: "shift",
      expectedRev: shiftRev,
    });
    // Assess 3
    expect(resumed.status).toBe(303);
    const after = (await anna.get(page)).text;
    expect(after).not.toContain('id="hold-notice"');
    expect(after).toContain(`href="${change("hold")}"`);
    expect(visibleText(after)).toContain(
      "Forløbet blev genoptaget, og 3 frister blev udskudt med pausens længde Begrundelse: Byrådet har besluttet",
    );
    expect((await h.table.stores.instances.get(instanceId))?.dueOverrides["status/skole-a/0"]).toBe(
      "2024-06-11T21:59:00Z",
    );
  });

  it("calls a held instance's milestones neither overdue nor due on the overview, the list and Mine frister, until resumed", async () => {
    // Prepare: three days after the 1 June deadlines, the schools' milestones are overdue
    const { instanceId } = await instanceWithLinks(h);
    h.clock.set("2024-06-04T06:00:00Z");
    anna = await logIn();
    // Rows of this instance in the overdue and due-soon lists (the third heading lists running ones)
    const rows = async () => {
      const [overdue = "", soon = ""] = (await anna.get("/")).text.split("<h2>").slice(1, 3);
      return `${overdue}${soon}`.split(`<th scope="row"><a href="/instances/${instanceId}">`).length - 1;
    };
    // The instance list's overdue count (the row's last cell)
    const listed = async () => {
      const row = (await anna.get("/instances")).text
        .split("<tr>")
        .find((r) => r.includes(`<code>${instanceId}</code>`));
      return /(\d+)<\/td><\/tr>/.exec(row ?? "")?.[1];
    };
    // What Skole A's leader sees on Mine frister
    const mine = async () => {
      const link = createMineLink(
        { email: "lene@skole-a.example.dk", expiresAt: mineLinkExpiry(h.clock.now()) },
        LINK_KEY,
      );
      return visibleText(await (await fetch(`${h.url}${link.path}`)).text());
    };
    const before = await rows();
    expect(before).toBe(3);
    expect(await listed()).toBe("3");
    // Act
    const held = await anna.post(`/instances/${instanceId}/change/hold`, {
      step: "save",
      reason: "Afventer byrådet",
    });
    const whileHeld = await rows();
    const listedWhileHeld = await listed();
    const mineWhileHeld = await mine();
    await anna.post(`/instances/${instanceId}/change/resume`, {
      step: "save",
      reason: "Videre",
      deadlines: "keep",
    });
    // Assess: the instance page says "sat i bero" for them, so the overview does not call them overdue
    expect(held.status).toBe(303);
    expect(whileHeld).toBe(0);
    expect(listedWhileHeld).toBe("0");
    expect(mineWhileHeld.split("Sat i bero (forløbet er på pause)").length - 1).toBe(1);
    expect(await rows()).toBe(before);
    expect(await listed()).toBe("3");
    expect(await mine()).not.toContain("Sat i bero");
  });
});
