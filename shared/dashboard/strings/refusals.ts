/**
 * The pages that refuse a request: a stale form, not found, a method a page does not take, a
 * failure, busy, a conflict, too large; and the way on from each (shared/dashboard/errors.ts).
 */

const da = {
  csrfTitle: "Formularen kunne ikke sendes",
  csrfText:
    "Siden var for gammel, eller formularen kom ikke fra fristflow. Gå tilbage, genindlæs siden og prøv igen. Intet er ændret.",
  notFoundTitle: "Siden findes ikke",
  notFoundText: "Det, du leder efter, findes ikke (længere). Brug menuen for at komme videre.",
  notFoundSignedOutText:
    "Adressen findes ikke. Tjek, at du har skrevet eller kopieret den helt. Er du medarbejder, kan du logge ind og finde siden i menuen.",
  notAllowedTitle: "Det kan siden ikke",
  notAllowedText:
    "Siden kan ikke modtage det, der blev sendt. Gå tilbage, genindlæs siden og prøv igen. Intet er ændret.",
  errorToOverview: "Gå til overblikket",
  errorToLogin: "Log ind",
  failedTitle: "Noget gik galt",
  failedText: "Prøv igen om lidt. Intet er ændret, hvis siden ikke siger andet.",
  busyTitle: "Prøv igen om lidt",
  busyText: "Systemet har travlt lige nu. Intet er ændret.",
  conflictTitle: "Det kunne ikke lade sig gøre",
  conflictText: "Handlingen passer ikke til forløbets tilstand (er det afsluttet eller annulleret?).",
  tooLargeTitle: "For meget data",
  tooLargeText: "Det sendte var for stort.",
  errorReference: (id: string) => `Fejl-id: ${id}`,
};

const en: typeof da = {
  csrfTitle: "The form could not be sent",
  csrfText:
    "The page was too old, or the form did not come from fristflow. Go back, reload the page and try again. Nothing was changed.",
  notFoundTitle: "Page not found",
  notFoundText: "What you are looking for does not exist (any more). Use the menu to go on.",
  notFoundSignedOutText:
    "This address does not exist. Check that you typed or copied all of it. If you are staff, you can log in and find the page in the menu.",
  notAllowedTitle: "The page cannot do that",
  notAllowedText:
    "The page cannot take what was sent. Go back, reload the page and try again. Nothing was changed.",
  errorToOverview: "Go to the overview",
  errorToLogin: "Log in",
  failedTitle: "Something went wrong",
  failedText: "Please try again shortly. Nothing was changed unless the page says so.",
  busyTitle: "Please try again shortly",
  busyText: "The system is busy right now. Nothing was changed.",
  conflictTitle: "That was not possible",
  conflictText: "The action does not fit the instance's state (has it finished or been cancelled?).",
  tooLargeTitle: "Too much data",
  tooLargeText: "What was sent is too large.",
  errorReference: (id) => `Error id: ${id}`,
};

export const refusalStrings = { da, en };
