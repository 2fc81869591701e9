/** Logging in and out. */

const da = {
  loginTitle: "Log ind",
  loginLead:
    "Indsæt administratornøglen. Den blev skrevet i terminalen, da fristflow blev startet (fristflow start).",
  tokenLabel: "Administratornøgle",
  loginButton: "Log ind",
  loginWrong: "Nøglen er forkert. Tjek, at du har kopieret hele nøglen.",
  loginMissing: "Indsæt administratornøglen.",
  loginRequired: "Log ind for at se siden.",
  loggedOut: "Du er logget ud.",
  sessionNote: "Du forbliver logget ind i 12 timer på denne browser.",
};

const en: typeof da = {
  loginTitle: "Log in",
  loginLead:
    "Paste the admin token. It was printed in the terminal where fristflow was started (fristflow start).",
  tokenLabel: "Admin token",
  loginButton: "Log in",
  loginWrong: "The token is wrong. Check that you copied all of it.",
  loginMissing: "Paste the admin token.",
  loginRequired: "Log in to see the page.",
  loggedOut: "You are logged out.",
  sessionNote: "You stay logged in for 12 hours in this browser.",
};

export const authStrings = { da, en };
