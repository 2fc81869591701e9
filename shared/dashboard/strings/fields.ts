/** What a form says under a field that is wrong (the unit form and the start form). */

const da = {
  field: {
    required: "skal udfyldes",
    invalidEmail: "ugyldig e-mail",
    invalidId: "må kun indeholde små bogstaver, tal og bindestreg og skal starte med et bogstav",
    managerBoth: "udfyld både navn og e-mail, eller ingen af dem",
    idExists: "en enhed med dette id findes allerede",
    notADate: "skal være en dato, fx 2024-08-01",
    notATime: "skal være et klokkeslæt, fx 08:00",
    dateDoesNotExist: "den dato eller det tidspunkt findes ikke",
    notANumber: "skal være et tal, fx 42 eller 3,5",
    patternMismatch: "har ikke det krævede format",
    unknownUnit: "enheden findes ikke i kataloget",
    noUnitOfType: "kataloget har ingen enheder af denne type",
    noUnitsChosen: "vælg mindst én enhed eller type",
    missingFanOut: (title: string, types: string) =>
      `»${title}« gentages for hver enhed af typen ${types}, men ingen sådan enhed er valgt`,
    unknownVersion: "skabelonen har ikke den version",
    unknownWorkflow: "skabelonen findes ikke",
    controlCharacters: "må ikke indeholde linjeskift eller andre kontroltegn; skriv det på én linje",
  },
};

const en: typeof da = {
  field: {
    required: "is required",
    invalidEmail: "invalid e-mail",
    invalidId: "may only hold lower-case letters, digits and hyphens, and must start with a letter",
    managerBoth: "give both name and e-mail, or neither",
    idExists: "a unit with this id exists already",
    notADate: "must be a date, e.g. 2024-08-01",
    notATime: "must be a time, e.g. 08:00",
    dateDoesNotExist: "that date or time does not exist",
    notANumber: "must be a number, e.g. 42 or 3.5",
    patternMismatch: "does not have the required format",
    unknownUnit: "the unit is not in the directory",
    noUnitOfType: "the directory has no unit of this type",
    noUnitsChosen: "choose at least one unit or type",
    missingFanOut: (title, types) =>
      `“${title}” is repeated for every unit of type ${types}, but no such unit is chosen`,
    unknownVersion: "the workflow has no such version",
    unknownWorkflow: "the workflow does not exist",
    controlCharacters: "must not contain line breaks or other control characters; write it on one line",
  },
};

export const fieldStrings = { da, en };
