/** Caseworkers' grants: the workflows a person may start and steer, on the user's page and where they are refused. */

const da = {
  grantsHeading: "Skabeloner, personen må starte og styre forløb af",
  grantsLead:
    "Gælder for rollen sagsbehandler: personen kan starte og annullere forløb af de valgte skabeloner. En sagsbehandler ser kun de forløb, personen selv har startet eller er nævnt i. Administratorer behøver ikke adgang her.",
  grantsNone: "Der er endnu ingen skabeloner at give adgang til.",
  saveGrants: "Gem adgang til skabeloner",
  grantsSaved: (name: string) => `Adgangen til skabeloner for ${name} er gemt.`,
  grantsUnknown:
    "En af de valgte skabeloner findes ikke (længere). Indlæs siden igen og vælg på ny. Intet er ændret.",
  notGrantedTitle: "Ingen adgang til skabelonen",
  notGrantedText:
    "Du kan kun starte og styre forløb af de skabeloner, en administrator har givet dig adgang til. Bed en administrator om adgang. Intet er ændret.",
  noGrantedWorkflows:
    "Du har endnu ikke adgang til at starte forløb af nogen skabelon. Bed en administrator om at give dig adgang.",
};

const en: typeof da = {
  grantsHeading: "Workflows this person may start and steer instances of",
  grantsLead:
    "For the caseworker role: the person can start and cancel instances of the chosen workflows. A caseworker sees only the instances they started or are named in. Administrators need no grant here.",
  grantsNone: "There are no workflows to grant yet.",
  saveGrants: "Save workflow grants",
  grantsSaved: (name: string) => `The workflow grants of ${name} are saved.`,
  grantsUnknown:
    "One of the chosen workflows does not exist (any more). Reload the page and choose again. Nothing was changed.",
  notGrantedTitle: "No access to this workflow",
  notGrantedText:
    "You can only start and steer instances of the workflows an administrator has granted you. Ask an administrator for access. Nothing was changed.",
  noGrantedWorkflows:
    "You have not been granted any workflow to start instances of yet. Ask an administrator for access.",
};

export const grantStrings = { da, en };
