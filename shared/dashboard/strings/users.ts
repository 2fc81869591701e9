/** The users page: staff, their roles, and whether they may log in. */
import type { Role } from "../../model/people.ts";

const da = {
  usersTitle: "Brugere",
  usersLead:
    "Personer, der logger ind med deres arbejdskonto. De genkendes på e-mailadressen ved første login. At fjerne en rolle eller deaktivere en bruger logger personen ud med det samme.",
  newUser: "Ny bruger",
  editUserTitle: (name: string) => `Bruger: ${name}`,
  userIdLabel: "Bruger-id",
  userIdHint: "Små bogstaver, tal og bindestreg, fx anna-berg.",
  userNameLabel: "Navn",
  userEmailLabel: "E-mail",
  rolesLabel: "Roller",
  activeLabel: "Aktiv (må logge ind)",
  sessionsLabel: "Åbne sessioner",
  endSessions: "Log personen ud overalt",
  saveUser: "Gem bruger",
  userSaved: (name: string) => `${name} er gemt.`,
  userSavedLoggedOut: (name: string, n: number) =>
    `${name} er gemt og logget ud (${n} ${n === 1 ? "session" : "sessioner"} afsluttet).`,
  userExists: "Der findes allerede en bruger med dette id eller denne e-mail.",
  inactive: "Deaktiveret",
  noRoles: "Ingen",
  roleNames: {
    administrator: "Administrator",
    editor: "Redaktør",
    caseworker: "Sagsbehandler",
    viewer: "Læser",
  } as Record<Role, string>,
  roleHints: {
    administrator: "Alt, også brugere.",
    editor: "Skabeloner og enheder.",
    caseworker: "Starter og styrer forløb.",
    viewer: "Læser overblik, forløb og rapporter; ændrer intet.",
  } as Record<Role, string>,
};

const en: typeof da = {
  usersTitle: "Users",
  usersLead:
    "People who log in with their work account. They are recognised by their e-mail address on their first login. Removing a role or deactivating a user logs them out at once.",
  newUser: "New user",
  editUserTitle: (name: string) => `User: ${name}`,
  userIdLabel: "User id",
  userIdHint: "Lower-case letters, digits and dashes, e.g. anna-berg.",
  userNameLabel: "Name",
  userEmailLabel: "E-mail",
  rolesLabel: "Roles",
  activeLabel: "Active (may log in)",
  sessionsLabel: "Open sessions",
  endSessions: "Log them out everywhere",
  saveUser: "Save user",
  userSaved: (name: string) => `${name} is saved.`,
  userSavedLoggedOut: (name: string, n: number) =>
    `${name} is saved and logged out (${n} ${n === 1 ? "session" : "sessions"} ended).`,
  userExists: "A user with this id or this e-mail exists already.",
  inactive: "Deactivated",
  noRoles: "None",
  roleNames: {
    administrator: "Administrator",
    editor: "Editor",
    caseworker: "Caseworker",
    viewer: "Viewer",
  },
  roleHints: {
    administrator: "Everything, users included.",
    editor: "Workflows and the directory.",
    caseworker: "Starts and steers instances.",
    viewer: "Reads the overview, instances and reports; changes nothing.",
  },
};

export const userStrings = { da, en };
