/**
 * The grammar reference as data: one section per part of a definition, each with a stable anchor,
 * its text in Danish and English and its keys. Kept here rather than read from workflows/README.md
 * because the app must serve it where no repository files are (the Lambda bundle), in both
 * languages, and because the editor's error links point at these anchors: a section renamed here is
 * a type error in reference-anchors.ts, not a dead link. workflows/README.md stays the long form.
 */

export type Bilingual = { da: string; en: string };

export interface ReferenceKey {
  key: string;
  text: Bilingual;
}

export interface ReferenceSection {
  title: Bilingual;
  lead: Bilingual;
  keys?: readonly ReferenceKey[];
  example?: string;
}

const k = (key: string, da: string, en: string): ReferenceKey => ({ key, text: { da, en } });

export const REFERENCE = {
  "workflow-keys": {
    title: { da: "Skabelonens nøgler", en: "Workflow keys" },
    lead: {
      da: "En skabelon er en YAML-fil med disse nøgler øverst. Ukendte nøgler er fejl, så en stavefejl bliver meldt og ikke ignoreret.",
      en: "A workflow is a YAML file with these keys at the top. Unknown keys are errors, so a typo is reported, not ignored.",
    },
    keys: [
      k(
        "id",
        "Påkrævet. Små bogstaver, tal og bindestreg, fx boernefaglig-undersoegelse. Bruges i adresser og må ikke ændres.",
        "Required. Lower-case letters, digits and hyphens. Used in addresses; do not change it.",
      ),
      k(
        "title",
        "Påkrævet. En tekst: vises i alle mails og på siderne.",
        "Required. A text: shown in every mail and page.",
      ),
      k(
        "description",
        "Valgfri. Formålet, gerne citeret fra kilden.",
        "Optional. The purpose, preferably quoted from the source.",
      ),
      k(
        "source",
        "Valgfri. Hvor processen kommer fra, fx Barnets lov § 20.",
        "Optional. Where the process comes from, e.g. Barnets lov § 20.",
      ),
      k("timezone", "Valgfri, standard Europe/Copenhagen.", "Optional, default Europe/Copenhagen."),
      k("language", "Valgfri: da eller en, sproget i mails.", "Optional: da or en, the language of mails."),
      k(
        "calendar",
        'Valgfri: holidays (DK eller none) og closingDays ("12-24" eller "2026-05-15").',
        'Optional: holidays (DK or none) and closingDays ("12-24" or "2026-05-15").',
      ),
      k(
        "dueTime",
        "Valgfri, standard 23:59: klokkeslættet for en frist givet som dato.",
        "Optional, default 23:59: the time of a deadline given as a date.",
      ),
      k(
        "notifyTime",
        "Valgfri, standard 08:00: hvornår påmindelser sendes.",
        "Optional, default 08:00: when reminders are sent.",
      ),
      k(
        "parameters",
        "Valgfri: hvad et forløb startes med. Se Parametre.",
        "Optional: what an instance starts with. See Parameters.",
      ),
      k(
        "defaults",
        "Valgfri: reminders og escalation for alle milepæle, der ikke har deres egne.",
        "Optional: reminders and escalation for every milestone without its own.",
      ),
      k("milestones", "Påkrævet: mindst én milepæl.", "Required: at least one milestone."),
    ],
  },
  "milestone-keys": {
    title: { da: "Milepælenes nøgler", en: "Milestone keys" },
    lead: {
      da: "Hver milepæl i listen milestones har et id, en titel og en frist. Id'et skal være entydigt i filen; bekræftelser gemmes under det.",
      en: "Each milestone in the list milestones has an id, a title and a deadline. The id must be unique in the file; confirmations are stored under it.",
    },
    keys: [
      k("id", "Påkrævet, samme regler som skabelonens id.", "Required, the same rules as the workflow id."),
      k("title", "Påkrævet: hvad der skal gøres.", "Required: what has to be done."),
      k(
        "description",
        "Valgfri: hvad »færdig« betyder, og hvem der bekræfter.",
        "Optional: what done means and who confirms.",
      ),
      k(
        "owner",
        "Hvem der påmindes og bekræfter. Se Modtagere.",
        "Who is reminded and confirms. See Recipients.",
      ),
      k("due", "Påkrævet: fristen. Se Tid.", "Required: the deadline. See Time."),
      k(
        "after",
        "Valgfri: milepæle, der skal være bekræftet først. Se Afhængigheder.",
        "Optional: milestones confirmed first. See Dependencies.",
      ),
      k(
        "forEach",
        "Valgfri: enhedstyper, én forekomst pr. enhed. Se Pr. enhed.",
        "Optional: unit types, one occurrence per unit. See Fan-out.",
      ),
      k("recurrence", "Valgfri: gentagelse. Se Gentagelse.", "Optional: repetition. See Recurrence."),
      k(
        "reminders",
        "Valgfri: påmindelser før fristen, fx [P14D, P3D, P0D].",
        "Optional: reminders before the deadline, e.g. [P14D, P3D, P0D].",
      ),
      k(
        "escalation",
        "Valgfri: rykkere efter fristen, eller false.",
        "Optional: escalation after the deadline, or false.",
      ),
      k(
        "notices",
        "Valgfri: besked til en anden part før fristen.",
        "Optional: a notice to another party before the deadline.",
      ),
      k(
        "adjust",
        "Valgfri: next-working-day flytter en frist på en lukkedag.",
        "Optional: next-working-day moves a deadline off a closed day.",
      ),
      k(
        "confirm",
        "Valgfri: false gør milepælen til en periode.",
        "Optional: false makes the milestone a period.",
      ),
    ],
  },
  texts: {
    title: { da: "Tekster og sprog", en: "Texts and language" },
    lead: {
      da: "En tekst er enten en almindelig streng (dansk) eller { da: …, en: … }. Den danske tekst er altid påkrævet; en titel må ikke have linjeskift.",
      en: "A text is either a plain string (Danish) or { da: …, en: … }. The Danish text is always required; a title has no line breaks.",
    },
    example: "title: { da: Årlig status og dialog med BUU, en: Annual status and dialogue }",
  },
  time: {
    title: { da: "Tid: datoer, varigheder og arbejdsdage", en: "Time: dates, durations, working days" },
    lead: {
      da: "due er en dato (2024-10-31), et tidspunkt (2024-10-31T12:00), en varighed fra starten (P4M, PT24H, '6 working days') eller { in: <varighed>, from: start | <milepæls id> }. Datoer skal findes (ikke 2024-02-30). Varigheder skrives som ISO 8601 (P1Y, P6M, P14D, PT4H).",
      en: "due is a date (2024-10-31), a date-time (2024-10-31T12:00), a duration from the start (P4M, PT24H, '6 working days') or { in: <duration>, from: start | <milestone id> }. Dates must exist (not 2024-02-30). Durations are ISO 8601 (P1Y, P6M, P14D, PT4H).",
    },
    keys: [
      k("due", "Fristen i en af formerne ovenfor.", "The deadline in one of the forms above."),
      k("adjust", "none eller next-working-day.", "none or next-working-day."),
      k("calendar", "Helligdage og kommunens lukkedage.", "Holidays and the municipality's closing days."),
      k("timezone", "En IANA-tidszone, fx Europe/Copenhagen.", "An IANA zone, e.g. Europe/Copenhagen."),
    ],
    example: "due: { in: P6M, from: handleplan }",
  },
  reminders: {
    title: { da: "Påmindelser, rykkere og beskeder", en: "Reminders, escalation and notices" },
    lead: {
      da: "Påmindelser går til ejeren før fristen; rykkere (escalation) går efter en overskredet frist til to, først after efter fristen, så hver every, højst max gange (1-20). after skal være mere end nul.",
      en: "Reminders go to the owner before the deadline; escalation goes after a missed deadline to to, first after the deadline, then every every, at most max times (1-20). after must be more than zero.",
    },
    keys: [
      k(
        "reminders",
        "Forskydninger før fristen: [P14D, P3D, P0D] eller [PT4H]. [] sender ingen.",
        "Offsets before the deadline: [P14D, P3D, P0D] or [PT4H]. [] sends none.",
      ),
      k("escalation", "{ to, after, every, max } eller false.", "{ to, after, every, max } or false."),
      k(
        "notices",
        "[{ to, before }]: fx til ansøgeren før fristen.",
        "[{ to, before }]: e.g. to the applicant before the deadline.",
      ),
    ],
    example: "escalation: { to: manager, after: P1D, every: P7D, max: 3 }",
  },
  recipients: {
    title: { da: "Modtagere", en: "Recipients" },
    lead: {
      da: "owner, to og notices[].to er en modtager: leader (lederen af enheden, kun med forEach), manager (chefen for ejerens enhed), unit:<id> (en fast enhed i kataloget) eller param:<navn> (en e-mail-parameter).",
      en: "owner, to and notices[].to are recipients: leader (the unit's leader, only with forEach), manager (the manager of the owner's unit), unit:<id> (a fixed unit in the directory) or param:<name> (an email parameter).",
    },
    example: "owner: param:caseworker",
  },
  dependencies: {
    title: { da: "Afhængigheder", en: "Dependencies" },
    lead: {
      da: "after: [a, b] betyder, at milepælen først bliver aktiv, når a og b er færdige. Id'erne skal findes i filen, og der må ikke være kredsløb (heller ikke gennem from).",
      en: "after: [a, b] means the milestone becomes active only once a and b are complete. The ids must exist in the file, and there must be no cycles (also through from).",
    },
    example: "after: [vurdering]",
  },
  "fan-out": {
    title: { da: "Pr. enhed (forEach)", en: "Fan-out over units (forEach)" },
    lead: {
      da: "forEach: [daycare, school] giver én forekomst pr. enhed af de typer i kataloget, hver ejet af enhedens leder. Vælg typer, som kataloget har; en type uden enheder giver en advarsel, når du gemmer.",
      en: "forEach: [daycare, school] gives one occurrence per unit of those types in the directory, each owned by the unit's leader. Choose types the directory has; a type with no unit gives a warning on save.",
    },
    example: "forEach: [daycare, school]",
  },
  recurrence: {
    title: { da: "Gentagelse", en: "Recurrence" },
    lead: {
      da: "recurrence: { every, until | count } gentager milepælen. Hver gentagelse skal slutte: until (en dato eller en varighed efter starten) eller count (1-500). Den må ikke slutte, før den begynder.",
      en: "recurrence: { every, until | count } repeats the milestone. Every recurrence must end: until (a date or a duration after the start) or count (1-500). It must not end before it begins.",
    },
    example: "recurrence: { every: P1Y, until: 2027-05-31 }",
  },
  periods: {
    title: { da: "Perioder", en: "Periods" },
    lead: {
      da: "confirm: false gør milepælen til en periode: den vises på tidslinjen, men har ingen påmindelser, og ingen bekræfter den. Dens due er periodens slutning.",
      en: "confirm: false makes the milestone a period: shown on the timeline, no reminders, nobody confirms it. Its due is the end of the period.",
    },
  },
  parameters: {
    title: { da: "Parametre", en: "Parameters" },
    lead: {
      da: "Parametre er de værdier, et forløb startes med. Navne begynder med et bogstav og har kun bogstaver, tal og _. Kun e-mail-parametre kan være modtagere.",
      en: "Parameters are the values an instance starts with. Names start with a letter and have only letters, digits and _. Only email parameters can be recipients.",
    },
    keys: [
      k("type", "string, number, date, email eller boolean.", "string, number, date, email or boolean."),
      k("title", "Feltets navn på startformularen.", "The label on the start form."),
      k("required", "Standard true.", "Default true."),
      k(
        "pattern",
        "Et regulært udtryk, hele værdien skal passe; skriv det i enkelte anførselstegn.",
        "A regular expression the whole value must match; write it in single quotes.",
      ),
    ],
    example:
      "parameters:\n  caseRef: { type: string, pattern: '^(?=.*[A-Za-z])[A-Za-z0-9._/-]{3,40}$' }\n  caseworker: { type: email }",
  },
  cpr: {
    title: { da: "Aldrig et CPR-nummer", en: "Never a CPR number" },
    lead: {
      da: "fristflow gemmer aldrig et CPR-nummer. En værdi, en tekst, en nøgle eller en kommentar, der ligner et CPR-nummer (DDMMÅÅ-SSSS), afvises. Brug et sagsnummer med bogstaver, fx UND-2026-00123.",
      en: "fristflow never stores a CPR number. A value, text, key or comment that looks like one (DDMMYY-SSSS) is refused. Use a case reference with letters, e.g. UND-2026-00123.",
    },
  },
  validation: {
    title: { da: "Sådan tjekkes en definition", en: "How a definition is checked" },
    lead: {
      da: "Først tjekkes YAML'en og strukturen, derefter reglerne for hele dokumentet: henvisninger findes, datoer findes, modtagere er erklæret, og intet ligner et CPR-nummer. Hver fejl nævner linjen, stien i dokumentet (fx milestones[2].due), hvad der er galt, og hvad der er tilladt.",
      en: "First the YAML and the structure are checked, then the rules for the whole document: references exist, dates exist, recipients are declared, nothing looks like a CPR number. Every error names the line, the path in the document (e.g. milestones[2].due), what is wrong and what is allowed.",
    },
  },
} as const satisfies Record<string, ReferenceSection>;

export type SectionId = keyof typeof REFERENCE;
