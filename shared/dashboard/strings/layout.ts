/** The page frame and the words every page uses: language, menu, skip link, buttons, error summary. */
import type { Language } from "../../model/schema.ts";

const da = {
  htmlLang: "da",
  switchTo: { language: "en" as Language, label: "English" },
  appName: "fristflow",
  skipToContent: "Gå til indhold",
  navLabel: "Hovedmenu",
  nav: {
    overview: "Overblik",
    workflows: "Skabeloner",
    instances: "Forløb",
    units: "Enheder",
    outbox: "Udbakke",
    users: "Brugere",
    accessLog: "Adgangslog",
  },
  logout: "Log ud",
  back: "Tilbage",
  actions: "Handlinger",
  yes: "Ja",
  no: "Nej",
  none: "–",
  optional: "(valgfri)",
  errorSummaryTitle: "Ret følgende, før du fortsætter",
};

const en: typeof da = {
  htmlLang: "en",
  switchTo: { language: "da", label: "Dansk" },
  appName: "fristflow",
  skipToContent: "Skip to content",
  navLabel: "Main menu",
  nav: {
    overview: "Overview",
    workflows: "Workflows",
    instances: "Instances",
    units: "Directory",
    outbox: "Outbox",
    users: "Users",
    accessLog: "Access log",
  },
  logout: "Log out",
  back: "Back",
  actions: "Actions",
  yes: "Yes",
  no: "No",
  none: "–",
  optional: "(optional)",
  errorSummaryTitle: "Fix the following before you continue",
};

export const layoutStrings = { da, en };
