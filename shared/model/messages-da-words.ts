/**
 * The words the Danish message catalogue (messages-da.ts) puts together: values as describeValue
 * words them, what a field accepts, the schema's own rules, and the small names in between.
 */

const VALUE_DA: Record<string, string> = {
  "a number (not shown)": "et tal (ikke vist)",
  "a list": "en liste",
  "a mapping": "en mapping (nøgle: værdi)",
  nothing: "ingenting",
  "an empty value": "en tom værdi",
  "an empty text ''": "en tom tekst ''",
  "a single value": "en enkelt værdi",
};

export function valueDa(value: string): string {
  if (value.startsWith("the number ")) return `tallet ${value.slice("the number ".length)}`;
  return VALUE_DA[value] ?? value;
}

/** What a field accepts (zod-issues.ts FIELD_FORMS, expectedName), in Danish. */
export const PHRASES: Record<string, string> = {
  "a date (2024-10-31), a date-time (2024-10-31T12:00), a duration from the start (P4M, PT24H, '6 working days') or a mapping { in: <duration>, from: start | <milestone id> }":
    "en dato (2024-10-31), et tidspunkt (2024-10-31T12:00), en varighed fra starten (P4M, PT24H, '6 working days') eller en mapping { in: <varighed>, from: start | <milepæls id> }",
  "false (no escalation) or a mapping with to, after, every and max":
    "false (ingen rykker) eller en mapping med to, after, every og max",
  "a non-empty text, or a mapping { da: <text>, en: <text> }":
    "en tekst, der ikke er tom, eller en mapping { da: <tekst>, en: <tekst> }",
  "a date YYYY-MM-DD (the last possible due date) or a duration after the start such as P3Y":
    "en dato ÅÅÅÅ-MM-DD (den sidst mulige frist) eller en varighed efter starten, fx P3Y",
  "'start' or the id of a milestone": "'start' eller en milepæls id",
  "a text": "en tekst",
  "a number": "et tal",
  "a whole number": "et helt tal",
  "true or false": "true eller false",
  "a mapping (key: value)": "en mapping (nøgle: værdi)",
  "a list": "en liste",
  "a value (see workflows/README.md)": "en værdi (se vejledningen)",
  "a workflow: a mapping with id, title and milestones":
    "en skabelon: en mapping med id, title og milestones",
  "a list of units, each with id, name, type and leader":
    "en liste af enheder, hver med id, name, type og leader",
  "a mapping": "en mapping",
  // The schema's own "must …" rules (schema.ts, people.ts, params.ts).
  "must be lower-case letters, digits and '-', start with a letter, at most 63 characters":
    "skal være små bogstaver, tal og '-', begynde med et bogstav og højst have 63 tegn",
  "must be lower-case letters, digits and dashes (at most 63)":
    "skal være små bogstaver, tal og bindestreger (højst 63)",
  "must not be empty": "må ikke være tom",
  "must be a date written YYYY-MM-DD, e.g. 2024-10-31": "skal være en dato skrevet ÅÅÅÅ-MM-DD, fx 2024-10-31",
  "must be a time of day written HH:MM, e.g. 08:00": "skal være et klokkeslæt skrevet TT:MM, fx 08:00",
  "must be an ISO 8601 duration such as P4M, P14D or PT24H, or working days such as '6 working days'":
    "skal være en ISO 8601-varighed som P4M, P14D eller PT24H, eller arbejdsdage som '6 working days'",
  "must be a local date-time written YYYY-MM-DDTHH:MM":
    "skal være et lokalt tidspunkt skrevet ÅÅÅÅ-MM-DDTTT:MM",
  "must be 'leader', 'manager', 'unit:<unit id>' or 'param:<parameter name>'":
    "skal være 'leader', 'manager', 'unit:<enheds id>' eller 'param:<parameternavn>'",
  "must be MM-DD (every year) or YYYY-MM-DD (one date), e.g. 12-24":
    "skal være MM-DD (hvert år) eller ÅÅÅÅ-MM-DD (én dato), fx 12-24",
  "recurrence never ends: give 'until' (a date or a duration after the start) or 'count'":
    "gentagelsen slutter aldrig: angiv 'until' (en dato eller en varighed efter starten) eller 'count'",
  "missing owner: a milestone without forEach needs an owner ('unit:<unit id>' or 'param:<parameter name>'), unless it only marks a period (confirm: false)":
    "ejer mangler: en milepæl uden forEach skal have en owner ('unit:<enheds id>' eller 'param:<parameternavn>'), medmindre den kun markerer en periode (confirm: false)",
  "is not valid here": "er ikke gyldig her",
  "a workflow needs at least one milestone": "en skabelon skal have mindst én milepæl",
  "the plan could not be made": "planen kunne ikke laves",
  "(none)": "(ingen)",
};

export function phrase(english: string): string {
  return PHRASES[english] ?? english;
}

export const WHAT_DA: Record<string, string> = {
  "the text": "teksten",
  "the number": "tallet",
  "the key": "nøglen",
  "the value": "værdien",
  "a comment": "en kommentar",
  "a notice": "en besked",
  escalation: "rykkeren",
  "escalation (inherited from defaults.escalation)": "rykkeren (arvet fra defaults.escalation)",
};

export const NAME_DA: Record<string, string> = {
  key: "nøgle",
  milestone: "milepæl",
  parameter: "parameter",
  "parameter name": "parameternavn",
  allowed: "tilladt",
  milestones: "milepæle",
  "declared parameters": "erklærede parametre",
};

export const BOUND_DA: Record<string, string> = {
  "at least": "mindst",
  "at most": "højst",
  "more than": "mere end",
  "less than": "mindre end",
};

export const ZERO_DA: Record<string, string> = {
  "the first escalation after the deadline": "den første rykker efter fristen",
  "the interval between escalations": "tiden mellem rykkerne",
  "the interval between occurrences": "tiden mellem gentagelserne",
};

export const FIELD_DA: Record<string, string> = {
  due: "frist (due)",
  escalation: "rykker (escalation)",
  title: "titel (title)",
  description: "beskrivelse (description)",
  until: "slutning (until)",
  from: "udgangspunkt (from)",
};
