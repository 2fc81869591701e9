/**
 * The validator's messages in Danish, for the Danish dashboard. The loaders keep writing English
 * (the CLI, the admin API and their tests read it); this catalogue turns a finished English
 * message into Danish by its kind. Each kind has a stable code and a pattern over the English
 * text, whose parts (the quoted value, a nested message) are translated in turn. A message no
 * pattern knows is returned as it is, in English, and test/model/messages-da.test.ts fails when
 * the validator can say something the catalogue does not know.
 */
import { CPR_MESSAGE } from "./cpr.ts";
import {
  BOUND_DA,
  FIELD_DA,
  NAME_DA,
  PHRASES,
  phrase,
  valueDa,
  WHAT_DA,
  ZERO_DA,
} from "./messages-da-words.ts";

type Translate = (english: string) => string;

export interface MessageKind {
  code: string;
  pattern: RegExp;
  da: (groups: readonly string[], t: Translate) => string;
}

/** A value as describeValue words it: a quoted text, "the number 5", "a list", … */
const VALUE = String.raw`(?:'.*'|the number \S+|a number \(not shown\)|a list|a mapping|nothing|an empty value|an empty text ''|true|false|a \w+)`;

const esc = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const DURATION_ALLOWED =
  'Allowed: an ISO 8601 duration with whole, non-negative numbers ("P4M", "P1Y", "P2W", "P14D", "PT24H", "P1DT2H", "P0D"), or a count of working days ("6 working days", "1 working day", "6 hverdage", "1 hverdag").';
const DURATION_ALLOWED_DA =
  'Tilladt: en ISO 8601-varighed med hele, ikke-negative tal ("P4M", "P1Y", "P2W", "P14D", "PT24H", "P1DT2H", "P0D") eller et antal arbejdsdage ("6 working days", "1 working day", "6 hverdage", "1 hverdag").';
const CPR_DA =
  "ligner et CPR-nummer; fristflow gemmer ingen CPR-numre (personnumre): brug i stedet et sagsnummer";

/** What saveWorkflow adds to a ceiling's message. */
const today = (rest: string | undefined): string =>
  rest === " (when started today)" ? " (ved start i dag)" : "";

const rx = (source: string): RegExp => new RegExp(`^(?:${source})$`, "s");

/** The kinds, most specific first: the first whose pattern matches the whole message wins. */
export const MESSAGE_KINDS: readonly MessageKind[] = [
  {
    code: "phrase",
    pattern: rx(`(${Object.keys(PHRASES).map(esc).join("|")})`),
    da: ([m]) => phrase(m ?? ""),
  },
  {
    code: "union",
    pattern: rx("(.+?); or (.+)"),
    da: ([a, b], t) => `${t(a ?? "")}; eller ${t(b ?? "")}`,
  },
  {
    code: "cpr",
    pattern: rx(`(the text|the number|the key|the value|a comment) ${esc(CPR_MESSAGE)}`),
    da: ([what]) => `${WHAT_DA[what ?? ""] ?? what} ${CPR_DA}`,
  },
  {
    code: "unknown-name-start",
    pattern: rx(`(.+) \\(or 'start' for the instance start\\)`),
    da: ([m], t) => `${t(m ?? "")} (eller 'start' for forløbets start)`,
  },
  {
    code: "unknown-recipient-parameter",
    pattern: rx(
      `(.+); a recipient 'param:<name>' needs a parameter declared under 'parameters' with type email`,
    ),
    da: ([m], t) =>
      `${t(m ?? "")}; en modtager 'param:<navn>' kræver en parameter under 'parameters' med type email`,
  },
  {
    code: "unknown-name",
    pattern: rx(
      `unknown (key|milestone|parameter) ('.*?')(?:; did you mean ('.*?')\\?|;) (allowed|milestones|declared parameters): (.*)`,
    ),
    da: ([what, name, suggestion, label, list]) =>
      `ukendt ${NAME_DA[what ?? ""]} ${name}${suggestion === undefined ? ";" : `; mente du ${suggestion}?`} ${NAME_DA[label ?? ""]}: ${phrase(list ?? "")}`,
  },
  {
    code: "unknown-parameter-none",
    pattern: rx(`unknown parameter ('.*'); this workflow takes no parameters`),
    da: ([name]) => `ukendt parameter ${name}; skabelonen har ingen parametre`,
  },
  {
    code: "unknown-timezone",
    pattern: rx(
      `unknown timezone ('.*?')(?: \\(did you mean ('.*')\\?\\))?; use an IANA time zone name such as Europe/Copenhagen or UTC, or an offset such as \\+01:00`,
    ),
    da: ([zone, suggestion]) =>
      `ukendt tidszone ${zone}${suggestion === undefined ? "" : ` (mente du ${suggestion}?)`}; brug et IANA-navn som Europe/Copenhagen eller UTC, eller en forskydning som +01:00`,
  },
  {
    code: "missing-key",
    pattern: rx(`missing required key ('.*?'); it must be (.+)`),
    da: ([key, forms], t) => `den påkrævede nøgle ${key} mangler; den skal være ${t(forms ?? "")}`,
  },
  {
    code: "not-valid-field",
    pattern: rx(`(${VALUE}) is not a valid (\\w+); it must be (.+)`),
    da: ([value, field, forms], t) =>
      `${valueDa(value ?? "")} er ikke en gyldig ${FIELD_DA[field ?? ""] ?? field}; den skal være ${t(forms ?? "")}`,
  },
  {
    code: "expected-type",
    pattern: rx(`expected (.+?), got (${VALUE})`),
    da: ([expected, value], t) => `forventede ${t(expected ?? "")}, fik ${valueDa(value ?? "")}`,
  },
  {
    code: "not-allowed-value",
    pattern: rx(`(${VALUE}) is not allowed; allowed: (.*)`),
    da: ([value, list]) => `${valueDa(value ?? "")} er ikke tilladt; tilladt: ${list}`,
  },
  {
    code: "not-email",
    pattern: rx(`(${VALUE}) is not (?:a valid|an) e-mail address(?:; write e\\.g\\. name@kommune\\.dk)?`),
    da: ([value]) => `${valueDa(value ?? "")} er ikke en gyldig e-mailadresse; skriv fx navn@kommune.dk`,
  },
  {
    code: "not-format",
    pattern: rx(`(${VALUE}) is not in the expected format \\((.*)\\)`),
    da: ([value, format]) => `${valueDa(value ?? "")} har ikke det forventede format (${format})`,
  },
  {
    code: "list-size",
    pattern: rx(`the list has (\\d+) entries; it must have (at least|at most|more than|less than) (\\d+)`),
    da: ([n, bound, limit]) => `listen har ${n} elementer; den skal have ${BOUND_DA[bound ?? ""]} ${limit}`,
  },
  {
    code: "text-length",
    pattern: rx(`(${VALUE}) must be (at least|at most|more than|less than) (\\d+) characters long`),
    da: ([value, bound, limit]) =>
      `${valueDa(value ?? "")} skal være ${BOUND_DA[bound ?? ""]} ${limit} tegn lang`,
  },
  {
    code: "number-size",
    pattern: rx(`(${VALUE}) must be (at least|at most|more than|less than) (-?[\\d.]+)`),
    da: ([value, bound, limit]) => `${valueDa(value ?? "")} skal være ${BOUND_DA[bound ?? ""]} ${limit}`,
  },
  {
    code: "multiple-of",
    pattern: rx(`(${VALUE}) must be a multiple of (\\S+)`),
    da: ([value, divisor]) => `${valueDa(value ?? "")} skal gå op i ${divisor}`,
  },
  {
    code: "control-characters",
    pattern: rx(
      `(?:(${VALUE}) )?must not contain line breaks or other control characters \\(found (.*)\\); write it on one line`,
    ),
    da: ([value, found]) =>
      `${value === undefined ? "" : `${valueDa(value)} `}må ikke indeholde linjeskift eller andre kontroltegn (fandt ${found}); skriv den på én linje`,
  },
  {
    code: "value-must",
    pattern: rx(`(${VALUE}) (must .+)`),
    da: ([value, rule], t) => `${valueDa(value ?? "")} ${t(rule ?? "")}`,
  },
  {
    code: "bad-name",
    pattern: rx(
      `(key|parameter name) ('.*') is not allowed: names start with a letter and contain only letters, digits and '_'`,
    ),
    da: ([kind, name]) =>
      `${kind === "key" ? "nøglen" : "parameternavnet"} ${name} er ikke tilladt: navne begynder med et bogstav og har kun bogstaver, tal og '_'`,
  },
  {
    code: "closing-day",
    pattern: rx(
      `('.*') is not a date that exists; closing days are MM-DD \\(every year\\) or YYYY-MM-DD, e\\.g\\. 12-24`,
    ),
    da: ([day]) =>
      `${day} er ikke en dato, der findes; lukkedage skrives MM-DD (hvert år) eller ÅÅÅÅ-MM-DD, fx 12-24`,
  },
  {
    code: "date-not-exists",
    pattern: rx(`('.*') is not a date that exists; write a real date YYYY-MM-DD`),
    da: ([date]) => `${date} er ikke en dato, der findes; skriv en rigtig dato ÅÅÅÅ-MM-DD`,
  },
  {
    code: "pattern-type",
    pattern: rx(`a pattern only applies to parameters of type string or email, not (\\w+)`),
    da: ([type]) => `et mønster (pattern) gælder kun parametre af typen string eller email, ikke ${type}`,
  },
  {
    code: "pattern-invalid",
    pattern: rx(`(?:the workflow's pattern )?('.*') cannot be used(?: as a pattern)?: (.*)`),
    da: ([pattern, why], t) => `${pattern} kan ikke bruges som mønster: ${t(why ?? "")}`,
  },
  {
    code: "pattern-length",
    pattern: rx(`it is (\\d+) characters long; at most (\\d+) are allowed`),
    da: ([n, max]) => `det er ${n} tegn langt; højst ${max} er tilladt`,
  },
  {
    code: "pattern-syntax",
    pattern: rx(
      `(.*); patterns use RE2 syntax, which has no backreferences \\(\\\\1\\) or lookaround \\(\\(\\?=…\\), \\(\\?<=…\\)\\)`,
    ),
    da: ([why]) =>
      `RE2 siger «${why}»; mønstre bruger RE2-syntaks, som ikke har tilbagereferencer (\\1) eller lookaround ((?=…), (?<=…))`,
  },
  {
    code: "pattern-mismatch",
    pattern: rx(`('.*') does not match the pattern ('.*?')(.*)`),
    da: ([value, pattern, hint]) => `${value} passer ikke til mønsteret ${pattern}${hint}`,
  },
  {
    code: "beyond-horizon",
    pattern: rx(
      `('.*') is longer than (\\d+) years; a plan covers at most \\d+ years from its start, so deadlines, reminders, escalations and recurrences must fit in that`,
    ),
    da: ([text, years]) =>
      `${text} er længere end ${years} år; en plan dækker højst ${years} år fra starten, så frister, påmindelser, rykkere og gentagelser skal ligge inden for det`,
  },
  {
    code: "zero-duration",
    pattern: rx(`('.*') is zero: (.+) must be more than zero, e\\.g\\. (.+)`),
    da: ([value, what, example]) =>
      `${value} er nul: ${ZERO_DA[what ?? ""] ?? what} skal være mere end nul, fx ${example?.replace(" or ", " eller ")}`,
  },
  {
    code: "duration-syntax",
    pattern: rx(`Invalid duration ("(?:[^"\\\\]|\\\\.)*")(?:: (.*?))?\\. ${esc(DURATION_ALLOWED)}`),
    da: ([text, why]) =>
      `Ugyldig varighed ${text}${why === undefined ? "" : `: ${why.replace(/^at most (\d+) working days$/, "højst $1 arbejdsdage").replace(/^(\S+) is too large$/, "$1 er for stort")}`}. ${DURATION_ALLOWED_DA}`,
  },
  {
    code: "duplicate-milestone",
    pattern: rx(
      `duplicate milestone id ('.*'): milestones\\[(\\d+)\\] already has it; every milestone needs its own id`,
    ),
    da: ([id, first]) =>
      `milepæls-id'et ${id} findes to gange: milestones[${first}] har det allerede; hver milepæl skal have sit eget id`,
  },
  {
    code: "duplicate-unit",
    pattern: rx(
      `duplicate unit id ('.*'): unit \\[(\\d+)\\] \\(line (\\d+)\\) already has it; every unit needs its own id`,
    ),
    da: ([id, first, line]) =>
      `enheds-id'et ${id} findes to gange: enhed [${first}] (linje ${line}) har det allerede; hver enhed skal have sit eget id`,
  },
  {
    code: "dependency-cycle",
    pattern: rx(
      `dependency cycle (.+): each milestone waits for the next \\(through 'after' or 'due\\.from'\\), so none of them can ever start; remove one of these references`,
    ),
    da: ([cycle]) =>
      `afhængighederne går i ring (${cycle}): hver milepæl venter på den næste (gennem 'after' eller 'due.from'), så ingen af dem kan begynde; fjern en af henvisningerne`,
  },
  {
    code: "recipient-not-email",
    pattern: rx(
      `parameter ('.*') has type (\\w+), but a recipient needs a parameter of type email \\(email parameters: (.*)\\)`,
    ),
    da: ([name, type, list]) =>
      `parameteren ${name} har typen ${type}, men en modtager skal være en parameter af typen email (e-mail-parametre: ${phrase(list ?? "")})`,
  },
  {
    code: "owner-needs-for-each",
    pattern: rx(
      `owner ('.*') means the (leader|manager) of each unit the milestone fans out over, so it needs forEach; without forEach use 'unit:<unit id>' or 'param:<parameter name>'`,
    ),
    da: ([owner, role]) =>
      `ejeren ${owner} betyder ${role === "leader" ? "lederen" : "chefen"} for hver enhed, milepælen gentages for, så den kræver forEach; uden forEach brug 'unit:<enheds id>' eller 'param:<parameternavn>'`,
  },
  {
    code: "leader-needs-for-each",
    pattern: rx(
      `(.+) to 'leader' means the leader of each unit the milestone fans out over, so it needs forEach; without forEach use 'unit:<unit id>' or 'param:<parameter name>'`,
    ),
    da: ([what]) =>
      `${WHAT_DA[what ?? ""] ?? what} til 'leader' betyder lederen for hver enhed, milepælen gentages for, så den kræver forEach; uden forEach brug 'unit:<enheds id>' eller 'param:<parameternavn>'`,
  },
  {
    code: "no-manager",
    pattern: rx(
      `(.+) goes to the owner's manager, but owner ('.*') has no manager in the directory \\(only 'leader' and 'unit:<unit id>' owners do\\); set 'to' explicitly \\(e\\.g\\. 'unit:<unit id>' or 'param:<name>'\\) or turn it off with 'escalation: false'`,
    ),
    da: ([what, owner]) =>
      `${WHAT_DA[what ?? ""] ?? what} går til ejerens chef, men ejeren ${owner} har ingen chef i kataloget (det har kun 'leader' og 'unit:<enheds id>'); angiv 'to' (fx 'unit:<enheds id>' eller 'param:<navn>') eller slå den fra med 'escalation: false'`,
  },
  {
    code: "recurrence-ends-early",
    pattern: rx(
      `recurrence ends ('.*') before the first due date ('.*'), so nothing would ever be due; 'until' must be on or after the first due date`,
    ),
    da: ([until, first]) =>
      `gentagelsen slutter ${until} før den første frist ${first}, så intet ville nogensinde falde; 'until' skal ligge på eller efter den første frist`,
  },
  {
    code: "too-many-occurrences",
    pattern: rx(
      `milestone '(.*)' takes the plan to (\\d+) occurrences(?: \\((\\d+) units\\))?; an instance may have at most (\\d+): repeat it less often, or start it for fewer units(.*)`,
    ),
    da: ([id, n, units, max, rest]) =>
      `milepælen '${id}' giver planen ${n} forekomster${units === undefined ? "" : ` (${units} enheder)`}; et forløb må højst have ${max}: gentag den sjældnere, eller start den for færre enheder${today(rest)}`,
  },
  {
    code: "too-many-repetitions",
    pattern: rx(
      `milestone '(.*)' repeats more than (\\d+) times; at most \\d+ repetitions are allowed: use a longer interval or an earlier 'until'(.*)`,
    ),
    da: ([id, max, rest]) =>
      `milepælen '${id}' gentages mere end ${max} gange; højst ${max} gentagelser er tilladt: brug et længere interval eller en tidligere 'until'${today(rest)}`,
  },
  {
    code: "deadline-beyond-horizon",
    pattern: rx(
      `milestone '(.*)' has a deadline more than (\\d+) years after the start; a plan covers at most \\d+ years(.*)`,
    ),
    da: ([id, years, rest]) =>
      `milepælen '${id}' har en frist mere end ${years} år efter starten; en plan dækker højst ${years} år${today(rest)}`,
  },
  {
    code: "missing-parameter",
    pattern: rx(`missing required parameter ('.*') \\(type (\\w+)\\)`),
    da: ([name, type]) => `den påkrævede parameter ${name} mangler (type ${type})`,
  },
  {
    code: "parameter-type",
    pattern: rx(
      `(${VALUE}) is not (a finite number|a number; write e\\.g\\. 42 or 3\\.5|a boolean; write true or false|a date; write YYYY-MM-DD, e\\.g\\. 2024-10-31)`,
    ),
    da: ([value, what]) =>
      `${valueDa(value ?? "")} er ikke ${
        {
          "a finite number": "et endeligt tal",
          "a number; write e.g. 42 or 3.5": "et tal; skriv fx 42 eller 3,5",
          "a boolean; write true or false": "en sandhedsværdi; skriv true eller false",
          "a date; write YYYY-MM-DD, e.g. 2024-10-31": "en dato; skriv ÅÅÅÅ-MM-DD, fx 2024-10-31",
        }[what ?? ""] ?? what
      }`,
  },
  {
    code: "file-too-big",
    pattern: rx(`the file is (\\d+) KiB; at most (\\d+) KiB is allowed`),
    da: ([size, max]) => `filen fylder ${size} KiB; højst ${max} KiB er tilladt`,
  },
  {
    code: "too-many-entries",
    pattern: rx(
      `the document has more than (\\d+) entries \\(keys, list items, commas and brackets\\) from here on; a definition needs far fewer: split it into several workflows`,
    ),
    da: ([n]) =>
      `dokumentet har mere end ${n} elementer (nøgler, listepunkter, kommaer og klammer) herfra; en definition har brug for langt færre: del den op i flere skabeloner`,
  },
  {
    code: "yaml-version",
    pattern: rx(`YAML (\\S+) is not supported; remove the %YAML line \\(YAML 1\\.2 is used\\)`),
    da: ([version]) => `YAML ${version} understøttes ikke; fjern linjen %YAML (der bruges YAML 1.2)`,
  },
  {
    code: "document-empty",
    pattern: rx(`the document is empty; expected (.+)`),
    da: ([what], t) => `dokumentet er tomt; forventede ${t(what ?? "")}`,
  },
  {
    code: "top-level",
    pattern: rx(`the top level must be (.+); got (a mapping|a list|a single value)`),
    da: ([what, got], t) => `øverste niveau skal være ${t(what ?? "")}; fik ${valueDa(got ?? "")}`,
  },
  {
    code: "too-deep",
    pattern: rx(
      `(?:the document is nested too deeply to read; at most (\\d+) levels are allowed|nested more than (\\d+) levels deep; a definition needs far fewer)`,
    ),
    da: ([a, b]) => `dokumentet er indlejret for dybt; højst ${a ?? b} niveauer er tilladt`,
  },
  {
    code: "yaml-tag",
    pattern: rx(`unsupported YAML tag \\((.*)\\); tags are not part of the workflow language, remove it`),
    da: ([why]) =>
      `YAML-mærket understøttes ikke («${why}»); mærker er ikke en del af skabelonsproget, så fjern det`,
  },
  {
    code: "yaml-syntax",
    pattern: rx(`YAML syntax error: (.*)`),
    da: ([why]) => `YAML-syntaksfejl; YAML-læseren siger «${why}»`,
  },
  {
    code: "yaml-alias",
    pattern: rx(`YAML (aliases|anchors) \\((.*)\\) are not allowed; write the value out in full`),
    da: ([kind, name]) =>
      `YAML-${kind === "aliases" ? "aliasser" : "ankre"} (${name}) er ikke tilladt; skriv værdien helt ud`,
  },
  {
    code: "duplicate-key",
    pattern: rx(`duplicate key ('.*'): each key may appear only once in a mapping`),
    da: ([key]) => `nøglen ${key} står to gange: hver nøgle må kun stå én gang i en mapping`,
  },
  {
    code: "reserved-key",
    pattern: rx(`the key ('.*') is reserved and cannot be used as a name; choose another name`),
    da: ([key]) => `nøglen ${key} er reserveret og kan ikke bruges som navn; vælg et andet navn`,
  },
  {
    code: "more-errors",
    pattern: rx(`… and (\\d+) more errors not shown; fix the ones above first`),
    da: ([n]) => `… og ${n} fejl mere, der ikke vises; ret dem ovenfor først`,
  },
  {
    code: "could-not-read",
    pattern: rx(`could not read the definition: (.*)`),
    da: ([why]) => `definitionen kunne ikke læses: «${why}»`,
  },
];

/** The kind of an English message, or undefined for one the catalogue does not know. */
export function messageKind(english: string): MessageKind | undefined {
  return MESSAGE_KINDS.find((k) => k.pattern.test(english));
}

/** An English validator message in Danish; one the catalogue does not know stays English. */
export function messageDa(english: string): string {
  return translate(english, []);
}

/** The codes of the kinds a message's translation used, the outer one first (for tests). */
export function messageCodes(english: string): string[] {
  const used: string[] = [];
  translate(english, used);
  return used;
}

function translate(english: string, used: string[]): string {
  const kind = messageKind(english);
  if (kind === undefined) return english;
  used.push(kind.code);
  const groups = (kind.pattern.exec(english) ?? []).slice(1) as string[];
  return kind.da(groups, (part) => translate(part, used));
}
