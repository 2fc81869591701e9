/**
 * The accessibility statement (tilgængelighedserklæring), in the order of Digitaliseringsstyrelsen's
 * template: status, content that is not accessible, how it was tested, feedback and contact, the
 * complaint, the date. The contact is the municipality's (settings.replyTo, FRISTFLOW_REPLY_TO);
 * the date and the test method change when the statement is reviewed, at least once a year.
 */

/** Where a reader turns when the municipality's answer is not enough (Digitaliseringsstyrelsen). */
export const COMPLAINT_URL =
  "https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/";

const da = {
  accessibilityLink: "Tilgængelighedserklæring",
  accessibility: {
    // A soft hyphen: on a 320 px phone the one long word is wider than the heading's line.
    title: "Tilgængeligheds\u00aderklæring for fristflow",
    intro: (organisation: string) =>
      `${organisation} vil gøre fristflow tilgængeligt for alle, jf. lov om tilgængelighed af offentlige organers websteder og mobilapplikationer.`,
    scope:
      "Erklæringen gælder for fristflow: medarbejdernes sider (overblik, forløb, skabeloner, enheder og brugere), siderne, hvor en leder bekræfter en milepæl, siden Mine frister og de mails, fristflow sender.",
    statusTitle: "Status for overholdelse",
    status:
      "fristflow overholder delvist kravene i WCAG 2.1 på niveau AA (den harmoniserede standard EN 301 549). Det, der ikke er fuldt tilgængeligt, står herunder.",
    inaccessibleTitle: "Ikke-tilgængeligt indhold",
    inaccessible: [
      "Tidslinjen på et forløbs side er en tegning. Den har en tekstudgave (en liste over milepælene) lige under sig, men på en lille skærm skal selve tegningen rulles vandret.",
      "Mails læses i dit eget mailprogram, og hvor godt de kan læses, afhænger også af programmet. Hver mail har en tekstudgave ud over den formaterede.",
      "Automatiske test finder ikke alle problemer. Finder du et, hører vi gerne om det.",
    ],
    testedTitle: "Sådan har vi testet",
    tested: [
      "Værktøjet axe-core (version 4.14.1, fastlåst) kører i browseren Chromium fra Debian på alle medarbejdersider, bekræftelsessiderne og en vist mail, både med en bred skærm (1280 pixel) og en smal (320 pixel). Testen godkender kun sider uden fejl mod WCAG 2.1 niveau A og AA.",
      "En test måler, at ingen side skal rulles vandret på en skærm, der er 320 pixel bred (WCAG 2.1, succeskriterium 1.4.10).",
      "Vi har tjekket, at alle sider kan bruges med tastaturet alene: alt kan nås med tabulatortasten, det er tydeligt, hvor man er, og der er et link direkte til indholdet.",
    ],
    testedHow: "Vi har selv evalueret fristflow. Testene kører automatisk ved hver ændring af fristflow.",
    feedbackTitle: "Feedback og kontaktoplysninger",
    feedback: (organisation: string) =>
      `Oplever du noget i fristflow, som ikke er tilgængeligt, eller har du brug for oplysningerne i en anden form, så skriv til ${organisation}:`,
    contactUnset:
      "Kommunen har ikke angivet en kontaktadresse endnu. Den sættes med indstillingen FRISTFLOW_REPLY_TO (kommunens kontaktadresse).",
    sensitive: "Skriv ikke cpr-nummer eller andre fortrolige oplysninger i din henvendelse.",
    complaintTitle: "Klage",
    complaint:
      "Får du ikke et tilfredsstillende svar inden for 10 arbejdsdage, kan du henvende dig til Digitaliseringsstyrelsen, som fører tilsyn med, at offentlige websteder er tilgængelige.",
    complaintLink: "Digitaliseringsstyrelsen: Oplever du ikke-tilgængeligt indhold?",
    dateTitle: "Dato for erklæringen",
    date: "Erklæringen er udarbejdet den 3. december 2026. Den gennemgås, når fristflow ændres på en måde, der har betydning for den, og mindst én gang om året.",
  },
};

const en: typeof da = {
  accessibilityLink: "Accessibility statement",
  accessibility: {
    title: "Accessibility statement for fristflow",
    intro: (organisation) =>
      `${organisation} is committed to making fristflow accessible, in line with the Danish act on the accessibility of public sector websites and mobile applications.`,
    scope:
      "This statement applies to fristflow: the staff pages (overview, instances, workflows, directory and users), the pages where a leader confirms a milestone, the Mine frister page and the e-mails fristflow sends.",
    statusTitle: "Compliance status",
    status:
      "fristflow is partially compliant with WCAG 2.1 level AA (the harmonised standard EN 301 549). What is not fully accessible is listed below.",
    inaccessibleTitle: "Non-accessible content",
    inaccessible: [
      "The timeline on an instance's page is a drawing. It has a text version (a list of the milestones) right below it, but on a small screen the drawing itself scrolls sideways.",
      "E-mails are read in your own mail program, and how well they read also depends on the program. Every e-mail has a text version besides the formatted one.",
      "Automatic tests do not find every problem. If you find one, we would like to hear about it.",
    ],
    testedTitle: "How we tested",
    tested: [
      "The tool axe-core (version 4.14.1, pinned) runs in Debian's Chromium browser on every staff page, the confirm pages and a rendered e-mail, on a wide screen (1280 pixels) and a narrow one (320 pixels). The test passes only pages without violations of WCAG 2.1 level A and AA.",
      "A test measures that no page scrolls sideways on a screen 320 pixels wide (WCAG 2.1, success criterion 1.4.10).",
      "We checked that every page can be used with the keyboard alone: everything can be reached with the Tab key, the focus is clearly visible, and a link leads straight to the content.",
    ],
    testedHow: "We evaluated fristflow ourselves. The tests run automatically on every change to fristflow.",
    feedbackTitle: "Feedback and contact information",
    feedback: (organisation) =>
      `If something in fristflow is not accessible to you, or you need the information in another form, write to ${organisation}:`,
    contactUnset:
      "The municipality has not given a contact address yet. It is set with the setting FRISTFLOW_REPLY_TO (the municipality's contact address).",
    sensitive: "Do not write your CPR number or other confidential information in your message.",
    complaintTitle: "Complaints",
    complaint:
      "If you do not get a satisfactory answer within 10 working days, you can turn to the Danish Agency for Digital Government (Digitaliseringsstyrelsen), which supervises the accessibility of public websites.",
    complaintLink: "Digitaliseringsstyrelsen: Experiencing inaccessible content? (in Danish)",
    dateTitle: "Date of the statement",
    date: "This statement was prepared on 3 December 2026. It is reviewed when fristflow changes in a way that matters to it, and at least once a year.",
  },
};

export const accessibilityStrings = { da, en };
