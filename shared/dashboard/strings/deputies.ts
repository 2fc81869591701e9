/** A unit's deputies: who gets a leader's reminders while the leader is away. */

const da = {
  deputiesLink: "Stedfortrædere",
  deputiesTitle: (unit: string) => `Stedfortrædere for ${unit}`,
  deputiesLead:
    "Mens en stedfortræder er sat, får stedfortræderen påmindelser og besked om, at det er deres tur, med lederen på cc. Rykkere går stadig til chefen. En leder kan også selv sætte en stedfortræder fra linket Mine frister i sine mails.",
  deputiesNone: "Enheden har ingen stedfortræder nu eller senere.",
  deputyAddHeading: "Sæt en stedfortræder",
  deputyName: "Stedfortræderens navn",
  deputyEmail: "Stedfortræderens e-mail",
  deputyFrom: "Første dag",
  deputyTo: "Sidste dag",
  deputySave: "Sæt stedfortræder",
  deputyEnd: "Afslut",
  deputyInvalid:
    "Stedfortræderen blev ikke sat. Tjek navn, e-mail og datoer (højst et år, og sidste dag efter første).",
  deputySet: (name: string) => `${name} er sat som stedfortræder.`,
  deputyEnded: "Stedfortræderen er afsluttet.",
  colDeputy: "Stedfortræder",
  colPeriod: "Periode",
  colSetBy: "Sat af",
};

const en: typeof da = {
  deputiesLink: "Deputies",
  deputiesTitle: (unit) => `Deputies for ${unit}`,
  deputiesLead:
    "While a deputy is set, the deputy gets the reminders and the notice that it is their turn, with the leader in Cc. Escalations still go to the manager. A leader can also set a deputy from the My deadlines link in their mails.",
  deputiesNone: "The unit has no deputy now or later.",
  deputyAddHeading: "Set a deputy",
  deputyName: "Deputy's name",
  deputyEmail: "Deputy's e-mail",
  deputyFrom: "First day",
  deputyTo: "Last day",
  deputySave: "Set deputy",
  deputyEnd: "End",
  deputyInvalid:
    "The deputy was not set. Check the name, the e-mail and the dates (a year at most, the last day after the first).",
  deputySet: (name) => `${name} is set as deputy.`,
  deputyEnded: "The deputy has been ended.",
  colDeputy: "Deputy",
  colPeriod: "Period",
  colSetBy: "Set by",
};

export const deputyStrings = { da, en };
