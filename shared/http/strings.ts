/**
 * Every sentence the confirm pages show, in Danish and English, in one place so a translator or
 * a municipality's communications officer can review them without reading code. Values reach
 * these functions as plain text and the page templates escape them; nothing here builds markup.
 */

import type { LinkRefusal } from "../app/confirm.ts";
import type { Language } from "../model/schema.ts";

export type { Language };

export interface Refusal {
  title: string;
  text: string;
}

export interface PageStrings {
  /** BCP 47 tag for `<html lang>` and Intl. */
  htmlLang: string;
  /** The other language, offered as a link on every page. */
  switchTo: { language: Language; label: string };
  confirmTitle: string;
  confirmLead: string;
  workflow: string;
  milestone: string;
  unit: string;
  due: string;
  description: string;
  confirmButton: string;
  confirmNote: string;
  receiptTitle: string;
  receipt: (milestone: string, when: string) => string;
  alreadyTitle: string;
  already: (milestone: string, when: string) => string;
  alreadyNote: string;
  refusal: Record<LinkRefusal, Refusal>;
  notFound: Refusal;
  /** A method the address does not take (a form sent to a page that is only read). */
  notAllowed: Refusal;
  tooLarge: Refusal;
  busy: Refusal;
  failed: Refusal;
  errorReference: (requestId: string) => string;
  /** Too many failed attempts from this address or on this link (the brute-force limit). */
  tooMany: Refusal;
  /** The link to the accessibility statement (/tilgaengelighed) at the foot of every page. */
  accessibilityLink: string;
}

const da: PageStrings = {
  htmlLang: "da",
  switchTo: { language: "en", label: "English" },
  confirmTitle: "Bekræft milepæl",
  confirmLead: "Du er ved at bekræfte, at denne milepæl er nået:",
  workflow: "Forløb",
  milestone: "Milepæl",
  unit: "Enhed",
  due: "Frist",
  description: "Beskrivelse",
  confirmButton: "Bekræft",
  confirmNote: "Der bliver først registreret noget, når du trykker på knappen.",
  receiptTitle: "Bekræftet",
  receipt: (m, when) => `Tak – »${m}« er registreret som bekræftet den ${when}.`,
  alreadyTitle: "Allerede bekræftet",
  already: (m, when) => `»${m}« blev bekræftet den ${when}.`,
  alreadyNote: "Der er ikke ændret noget. Du behøver ikke gøre mere.",
  refusal: {
    unknown: {
      title: "Linket findes ikke",
      text: "Vi kender ikke dette link. Tjek, at du har åbnet hele adressen fra mailen.",
    },
    tampered: {
      title: "Linket er ikke gyldigt",
      text: "Linket er ændret eller ufuldstændigt. Åbn det direkte fra den seneste mail.",
    },
    expired: {
      title: "Linket er udløbet",
      text: "Linket virker ikke længere. Kontakt den, der har sendt mailen, hvis milepælen stadig skal bekræftes.",
    },
    cancelled: {
      title: "Forløbet er annulleret",
      text: "Forløbet er stoppet af en administrator, så der er intet at bekræfte.",
    },
    stopped: {
      title: "Forløbet er afsluttet",
      text: "Forløbet kører ikke længere, så der er intet at bekræfte.",
    },
    gone: {
      title: "Milepælen findes ikke længere",
      text: "Milepælen er ikke længere en del af forløbet, så der er intet at bekræfte.",
    },
  },
  notFound: { title: "Siden findes ikke", text: "Tjek, at du har åbnet hele adressen fra mailen." },
  notAllowed: {
    title: "Det kan siden ikke",
    text: "Siden kan ikke modtage det, der blev sendt. Åbn linket direkte fra den seneste mail.",
  },
  tooLarge: { title: "For meget data", text: "Forespørgslen var for stor." },
  busy: { title: "Prøv igen om lidt", text: "Systemet har travlt lige nu. Intet er registreret." },
  failed: { title: "Noget gik galt", text: "Prøv igen om lidt." },
  errorReference: (id) => `Fejl-id: ${id}`,
  tooMany: {
    title: "For mange forsøg",
    text: "Der er lavet for mange forsøg med ugyldige links herfra. Vent et kvarter, og åbn så linket direkte fra den seneste mail.",
  },
  accessibilityLink: "Tilgængelighedserklæring",
};

const en: PageStrings = {
  htmlLang: "en",
  switchTo: { language: "da", label: "Dansk" },
  confirmTitle: "Confirm milestone",
  confirmLead: "You are about to confirm that this milestone has been reached:",
  workflow: "Process",
  milestone: "Milestone",
  unit: "Unit",
  due: "Deadline",
  description: "Description",
  confirmButton: "Confirm",
  confirmNote: "Nothing is recorded until you press the button.",
  receiptTitle: "Confirmed",
  receipt: (m, when) => `Thank you – “${m}” is recorded as confirmed on ${when}.`,
  alreadyTitle: "Already confirmed",
  already: (m, when) => `“${m}” was confirmed on ${when}.`,
  alreadyNote: "Nothing has changed. There is nothing more for you to do.",
  refusal: {
    unknown: {
      title: "Unknown link",
      text: "We do not know this link. Check that you opened the whole address from the e-mail.",
    },
    tampered: {
      title: "Invalid link",
      text: "The link has been changed or is incomplete. Open it directly from the latest e-mail.",
    },
    expired: {
      title: "The link has expired",
      text: "The link no longer works. Contact the sender of the e-mail if the milestone still needs confirming.",
    },
    cancelled: {
      title: "The process was cancelled",
      text: "An administrator stopped the process, so there is nothing to confirm.",
    },
    stopped: {
      title: "The process has ended",
      text: "The process is no longer running, so there is nothing to confirm.",
    },
    gone: {
      title: "The milestone no longer exists",
      text: "The milestone is no longer part of the process, so there is nothing to confirm.",
    },
  },
  notFound: { title: "Page not found", text: "Check that you opened the whole address from the e-mail." },
  notAllowed: {
    title: "The page cannot do that",
    text: "The page cannot take what was sent. Open the link directly from the latest e-mail.",
  },
  tooLarge: { title: "Too much data", text: "The request was too large." },
  busy: { title: "Please try again shortly", text: "The system is busy right now. Nothing was recorded." },
  failed: { title: "Something went wrong", text: "Please try again shortly." },
  errorReference: (id) => `Error id: ${id}`,
  tooMany: {
    title: "Too many attempts",
    text: "Too many attempts with invalid links were made from here. Wait a quarter of an hour, then open the link directly from the latest e-mail.",
  },
  accessibilityLink: "Accessibility statement",
};

const STRINGS: Record<Language, PageStrings> = { da, en };

export function pageStrings(language: Language): PageStrings {
  return STRINGS[language];
}

/**
 * The page language: `?lang=da|en` when given (the switch link on every page), else the first
 * supported language in Accept-Language by preference, else Danish. Danish is the default
 * because the readers are Danish municipal staff, whatever their browser was installed with.
 */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (query === "da" || query === "en") return query;
  if (acceptLanguage === undefined) return "da";
  const ranked = acceptLanguage
    .split(",")
    .map((entry, order) => {
      const [tag = "", ...params] = entry.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { primary: tag.trim().toLowerCase().split("-")[0] ?? "", weight, order };
    })
    .filter((e) => Number.isFinite(e.weight) && e.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { primary } of ranked) {
    if (primary === "da" || primary === "en") return primary;
  }
  return "da";
}
