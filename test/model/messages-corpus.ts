/**
 * Definitions each wrong in one way, so that together they make the validator say every kind of
 * message it has (test/model/messages-da.test.ts checks each has a Danish text).
 */
const BASE = `id: probe
title: Prøve
parameters:
  caseworker: { type: email }
  count: { type: number }
milestones:
  - id: a
    title: A
    owner: param:caseworker
    due: P1M
    escalation: false
`;

/** BASE with one text replaced (a function, so `$'` in a pattern is not a replacement code). */
const swap = (from: string, to: string): string => BASE.replace(from, () => to);

const withMilestone = (lines: string): string => `${BASE}  - id: b
    title: B
${lines}`;

export const CORPUS: Record<string, string> = {
  unknownKey: `${BASE}    dew: P1M\n`,
  unknownKeyNoHint: `${BASE}    zzzzzzzz: 1\n`,
  missingKey: BASE.replace("    due: P1M\n", ""),
  missingTitle: BASE.replace("title: Prøve\n", ""),
  badDue: BASE.replace("due: P1M", "due: soon"),
  badDueType: BASE.replace("due: P1M", "due: [1]"),
  badEscalation: BASE.replace("escalation: false", "escalation: true"),
  badTitleType: BASE.replace("title: Prøve", "title: 5"),
  expectedType: BASE.replace("    escalation: false\n", "    escalation: false\n    after: 5\n"),
  notAllowed: BASE.replace("  count: { type: number }", "  count: { type: colour }"),
  badId: BASE.replace("id: probe", "id: Probe_1"),
  emptyTitle: BASE.replace("title: Prøve", "title: ''"),
  controlChars: BASE.replace("title: Prøve", 'title: "a\\u0007b"'),
  timeFormat: `dueTime: 25:00\n${BASE}`,
  closingFormat: `calendar: { closingDays: ["1224"] }\n${BASE}`,
  closingNotExists: `calendar: { closingDays: ["02-30"] }\n${BASE}`,
  timezone: `timezone: Europe/Copenhagn\n${BASE}`,
  timezoneNoHint: `timezone: Qqqqqqqqq/Zzzzzz\n${BASE}`,
  patternType: swap("count: { type: number }", "count: { type: number, pattern: '^a$' }"),
  patternInvalid: swap("count: { type: number }", "code: { type: string, pattern: '^(a$' }"),
  patternLookbehind: swap("count: { type: number }", "code: { type: string, pattern: '^(?<=a)b$' }"),
  patternLong: swap("count: { type: number }", `code: { type: string, pattern: '^${"a".repeat(600)}$' }`),
  zeroAfter: BASE.replace(
    "escalation: false",
    "escalation: { to: param:caseworker, after: P0D, every: P1D, max: 2 }",
  ),
  zeroEvery: withMilestone(
    "    owner: param:caseworker\n    due: P1M\n    recurrence: { every: P0D, count: 2 }\n    escalation: false\n",
  ),
  maxTooBig: BASE.replace(
    "escalation: false",
    "escalation: { to: param:caseworker, after: P1D, every: P1D, max: 50 }",
  ),
  maxTooSmall: BASE.replace(
    "escalation: false",
    "escalation: { to: param:caseworker, after: P1D, every: P1D, max: 0 }",
  ),
  notInteger: BASE.replace(
    "escalation: false",
    "escalation: { to: param:caseworker, after: P1D, every: P1D, max: 1.5 }",
  ),
  durationSyntax: BASE.replace("due: P1M", "due: { in: P, from: start }"),
  duplicateMilestone: withMilestone(
    "    owner: param:caseworker\n    due: P1M\n    escalation: false\n",
  ).replace("id: b", "id: a"),
  unknownAfter: withMilestone(
    "    owner: param:caseworker\n    due: P1M\n    after: [c]\n    escalation: false\n",
  ),
  unknownFrom: withMilestone(
    "    owner: param:caseworker\n    due: { in: P1M, from: aa }\n    escalation: false\n",
  ),
  cycle: withMilestone("    owner: param:caseworker\n    due: P1M\n    after: [b]\n    escalation: false\n"),
  unknownParam: BASE.replace("owner: param:caseworker", "owner: param:caseworkr"),
  paramNotEmail: BASE.replace("owner: param:caseworker", "owner: param:count"),
  ownerLeader: BASE.replace("owner: param:caseworker", "owner: leader"),
  ownerBad: BASE.replace("owner: param:caseworker", "owner: boss"),
  missingOwner: BASE.replace("    owner: param:caseworker\n", ""),
  noticeLeader: BASE.replace(
    "escalation: false",
    "escalation: false\n    notices: [{ to: leader, before: P1D }]",
  ),
  noManager: BASE.replace("    escalation: false\n", ""),
  dateNotExists: BASE.replace("due: P1M", "due: 2024-02-30"),
  untilNotExists: BASE.replace(
    "due: P1M",
    "due: 2024-03-01\n    recurrence: { every: P1Y, until: 2025-02-30 }",
  ),
  untilBefore: BASE.replace("due: P1M", "due: 2024-03-01\n    recurrence: { every: P1Y, until: 2023-03-01 }"),
  neverEnds: BASE.replace("due: P1M", "due: 2024-03-01\n    recurrence: { every: P1Y }"),
  countTooBig: BASE.replace("due: P1M", "due: 2024-03-01\n    recurrence: { every: P1Y, count: 900 }"),
  cprText: BASE.replace("title: A", "title: Sag 010203-1234"),
  cprNumber: BASE.replace("title: A", "title: A\n    description: 0102031234"),
  cprComment: `# 010203-1234\n${BASE}`,
  cprKey: BASE.replace("  count: { type: number }", "  '0102031234': { type: number }"),
  badParamName: BASE.replace("  count: { type: number }", "  9count: { type: number }"),
  emptyList: BASE.replace("milestones:\n", "milestones: []\n").replace(/ {2}- id: a[\s\S]*$/, ""),
  alias: BASE.replace("title: A", "title: &t A").replace("owner: param:caseworker", "owner: *t"),
  duplicateKey: BASE.replace("    due: P1M\n", "    due: P1M\n    due: P2M\n"),
  reservedKey: BASE.replace("  count: { type: number }", "  __proto__: { type: number }"),
  tag: BASE.replace("title: A", "title: !thing A"),
  syntax: `${BASE}  - id: [\n`,
  empty: "# nothing\n",
  topLevel: "- a\n- b\n",
  yamlVersion: `%YAML 1.1\n---\n${BASE}`,
  emptyForEach: BASE.replace("    owner: param:caseworker\n", "    forEach: []\n"),
  horizon: BASE.replace("due: P1M", "due: P60Y"),
  durationTooLarge: BASE.replace("due: P1M", "due: P99999999999999999999D"),
  manyErrors: `${BASE}${Array.from({ length: 120 }, (_, i) => `  - id: m${i}\n    title: M\n    dew: P1M\n`).join("")}`,
};
