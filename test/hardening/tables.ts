/**
 * The tables the bad-input suite is generated from: the ways a CPR number gets typed, the
 * control characters a name must not hold, the patterns that take a backtracking engine
 * exponential time, and inputs that amplify parser or planner work.
 */

/** 010203-1234 (1 February 2003) as people and programs write it; each must be refused. */
export const CPR_SPELLINGS: [string, string][] = [
  ["plain with hyphen", "010203-1234"],
  ["ten digits", "0102031234"],
  ["space", "010203 1234"],
  ["non-breaking hyphen U+2011 (Word)", "010203\u20111234"],
  ["hyphen U+2010", "010203\u20101234"],
  ["figure dash U+2012", "010203\u20121234"],
  ["en dash U+2013", "010203\u20131234"],
  ["em dash U+2014", "010203\u20141234"],
  ["horizontal bar U+2015", "010203\u20151234"],
  ["minus sign U+2212", "010203\u22121234"],
  ["small hyphen-minus U+FE63", "010203\uFE631234"],
  ["full-width hyphen-minus U+FF0D", "010203\uFF0D1234"],
  ["slash", "010203/1234"],
  ["dot", "010203.1234"],
  ["dotted date", "01.02.03-1234"],
  ["hyphenated date", "01-02-03-1234"],
  ["spaced date", "01 02 03 1234"],
  ["extra spaces around the hyphen", "010203  -  1234"],
  ["no-break space", "010203\u00a01234"],
  ["tab", "010203\t1234"],
  ["line break", "010203\n1234"],
  ["zero-width space", "0102\u200b03-1234"],
  ["zero-width non-joiner", "010203\u200c-1234"],
  ["zero-width joiner", "010203\u200d1234"],
  ["word joiner", "01\u206002031234"],
  ["zero-width no-break space inside", "010203-12\ufeff34"],
  ["soft hyphen", "010203\u00ad1234"],
  ["full-width digits", "\uff10\uff11\uff10\uff12\uff10\uff13\uff0d\uff11\uff12\uff13\uff14"],
  ["Arabic-Indic digits", "\u0660\u0661\u0660\u0662\u0660\u0663-\u0661\u0662\u0663\u0664"],
  ["Extended Arabic-Indic digits", "\u06f0\u06f1\u06f0\u06f2\u06f0\u06f3-\u06f1\u06f2\u06f3\u06f4"],
  ["Devanagari digits", "\u0966\u0967\u0966\u0968\u0966\u0969-\u0967\u0968\u0969\u096a"],
  ["in a sentence", "Sag vedr. barn 010203-1234 (mor)"],
];

/** What must never appear in an answer to an input that held a CPR number. */
export const CPR_TRACES = ["010203", "0102031234", "01.02.03", "01 02 03"];

/** Characters a name or title must not hold (a line break forges a mail header or an iCalendar property). */
export const CONTROL_CHARACTERS: [string, string][] = [
  ["line feed", "\n"],
  ["carriage return", "\r"],
  ["CR LF", "\r\n"],
  ["tab", "\t"],
  ["NUL", "\u0000"],
  ["bell", "\u0007"],
  ["escape", "\u001b"],
  ["delete", "\u007f"],
  ["next line U+0085", "\u0085"],
  ["line separator U+2028", "\u2028"],
  ["paragraph separator U+2029", "\u2029"],
];

/** Patterns that take a backtracking engine exponential time on a near-miss value. */
export const EVIL_PATTERNS: [string, string][] = [
  ["p1", "(a+)+"],
  ["p2", "(a|a)+"],
  ["p3", "(a|aa)+"],
  ["p4", "([a-zA-Z]+)*"],
  ["p5", "(.*a){12}"],
  ["p6", "(\\w+\\s?)+"],
];

/** Near misses of the evil patterns: long runs that fail only at the end. */
export const EVIL_VALUES: [string, string][] = [
  ["30 a's and a '!'", `${"a".repeat(30)}!`],
  ["1,000 a's and a '!'", `${"a".repeat(1000)}!`],
  ["100,000 a's and a '!'", `${"a".repeat(100_000)}!`],
  ["30 words and a '!'", `${"word ".repeat(30)}!`],
];

/** Patterns RE2 cannot run: refused when the definition is saved. */
export const REFUSED_PATTERNS: [string, string, string][] = [
  ["a backreference", "(a)\\1", "cannot be used as a pattern"],
  ["a lookbehind", "(?<=a)b", "cannot be used as a pattern"],
  ["a negative lookahead", "a(?!b)", "cannot be used as a pattern"],
  ["a repeat over 1000", "a{1001}", "cannot be used as a pattern"],
  ["an unclosed group", "(a", "cannot be used as a pattern"],
  ["over 500 characters", "a".repeat(501), "at most 500"],
];

/**
 * Ids (URL-encoded, as they appear in a path or query) no record has and some no store key can
 * hold: a 10,000-character one is over DynamoDB's key size, so a lookup that reaches the table
 * with it is a ValidationException (a 500) unless the route refused it first.
 */
export const ODD_IDS: [string, string][] = [
  ["10,000 characters", "a".repeat(10_000)],
  ["a NUL", "abc%00def"],
  ["a CR LF", "abc%0D%0AX-Injected:%20ja"],
  ["dots", "..%2F..%2Fapi%2Fworkflows"],
  ["unicode", "%E2%80%8B%EF%BC%90"],
  ["a quote and markup", "%22%3E%3Cscript%3E"],
];

/** A definition around one milestone, with the lines given added at the top level. */
export function definition(id: string, ...lines: string[]): string {
  return [
    `id: ${id}`,
    "title: Prøve",
    ...lines,
    "milestones:",
    "  - id: plan",
    "    title: Plan",
    "    owner: unit:forvaltning",
    "    due: P1M",
    "",
  ].join("\n");
}

/** A definition whose one milestone has the fields given. */
export function milestoneDefinition(id: string, ...fields: string[]): string {
  return [
    `id: ${id}`,
    "title: Prøve",
    "milestones:",
    "  - id: plan",
    "    title: Plan",
    "    owner: unit:forvaltning",
    ...fields.map((f) => `    ${f}`),
    "",
  ].join("\n");
}
