/** The local outbox: the sent mails and one mail. */

const da = {
  outboxTitle: "Udbakke",
  outboxLead:
    "Mails, som denne lokale installation har sendt. De forlader ikke maskinen; her kan du se dem og bruge deres links.",
  outboxNone: "Udbakken er tom.",
  mailTitle: "Mail",
  mailFrom: "Fra",
  htmlPart: "Mailen",
  textPart: "Tekstudgave",
  frameTitle: "Mailens indhold",
  linkNote: "Links i mailen åbner i en ny fane; bekræftelseslinks peger på denne server.",
  attachments: "Vedhæftninger",
  openAttachment: (name: string) => `Åbn ${name}`,
  backToOutbox: "Tilbage til udbakken",
  mailUnreadable: "Mailen kunne ikke læses.",
};

const en: typeof da = {
  outboxTitle: "Outbox",
  outboxLead:
    "E-mails this local installation has sent. They never leave the machine; here you can read them and use their links.",
  outboxNone: "The outbox is empty.",
  mailTitle: "E-mail",
  mailFrom: "From",
  htmlPart: "The e-mail",
  textPart: "Text version",
  frameTitle: "The e-mail's content",
  linkNote: "Links in the e-mail open in a new tab; confirm links point to this server.",
  attachments: "Attachments",
  openAttachment: (name) => `Open ${name}`,
  backToOutbox: "Back to the outbox",
  mailUnreadable: "The e-mail could not be read.",
};

export const outboxStrings = { da, en };
