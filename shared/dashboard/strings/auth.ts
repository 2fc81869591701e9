/** Logging in and out, and being refused. */

const da = {
  loginTitle: "Log ind",
  loginWith: (provider: string) => `Log ind med ${provider}`,
  loginStaffLead: "Log ind med din arbejdskonto.",
  loginTokenTitle: "Administratornøgle (opstart og scripts)",
  loginLead:
    "Indsæt administratornøglen. Den blev skrevet i terminalen, da fristflow blev startet (fristflow start). Brug den kun til at oprette den første administrator.",
  tokenLabel: "Administratornøgle",
  loginButton: "Log ind",
  loginWrong: "Nøglen er forkert. Tjek, at du har kopieret hele nøglen.",
  loginMissing: "Indsæt administratornøglen.",
  loginRequired: "Log ind for at se siden.",
  loggedOut: "Du er logget ud.",
  sessionNote: "Du logges ud efter en time uden brug og senest efter 12 timer.",
  loginFailed: "Login mislykkedes. Prøv igen.",
  loginCancelled: "Login blev afbrudt hos udbyderen. Prøv igen.",
  loginExpired: "Login tog for lang tid eller blev startet i en anden fane. Prøv igen.",
  noAccessTitle: "Ingen adgang",
  noAccessUnknown: "Din konto er ikke oprettet i fristflow. Bed en administrator om at oprette dig.",
  noAccessInactive: "Din konto er deaktiveret. Kontakt en administrator.",
  noAccessNoRole: "Din konto har ingen rolle endnu. Bed en administrator om at give dig en.",
  forbiddenTitle: "Ingen adgang",
  forbiddenText: "Din rolle giver ikke adgang til denne side eller handling.",
  loggedInTitle: "Du er logget ind",
  continueLink: "Fortsæt",
  signedInAs: (name: string) => `Logget ind som ${name}`,
  loginWithSaml: "Log ind med organisationens fælles login (SAML)",
  tooManyAttempts: (minutes: number) =>
    `Der har været for mange mislykkede loginforsøg fra dit netværk. Vent ${minutes} ${minutes === 1 ? "minut" : "minutter"}, og prøv igen.`,
};

const en: typeof da = {
  loginTitle: "Log in",
  loginWith: (provider: string) => `Log in with ${provider}`,
  loginStaffLead: "Log in with your work account.",
  loginTokenTitle: "Admin token (first start and scripts)",
  loginLead:
    "Paste the admin token. It was printed in the terminal where fristflow was started (fristflow start). Use it only to create the first administrator.",
  tokenLabel: "Admin token",
  loginButton: "Log in",
  loginWrong: "The token is wrong. Check that you copied all of it.",
  loginMissing: "Paste the admin token.",
  loginRequired: "Log in to see the page.",
  loggedOut: "You are logged out.",
  sessionNote: "You are logged out after an hour without use, and after 12 hours at the latest.",
  loginFailed: "The login failed. Try again.",
  loginCancelled: "The login was cancelled at the provider. Try again.",
  loginExpired: "The login took too long or was started in another tab. Try again.",
  noAccessTitle: "No access",
  noAccessUnknown: "Your account is not set up in fristflow. Ask an administrator to add you.",
  noAccessInactive: "Your account is deactivated. Contact an administrator.",
  noAccessNoRole: "Your account has no role yet. Ask an administrator to give you one.",
  forbiddenTitle: "No access",
  forbiddenText: "Your role does not give access to this page or action.",
  loggedInTitle: "You are logged in",
  continueLink: "Continue",
  signedInAs: (name: string) => `Logged in as ${name}`,
  loginWithSaml: "Log in with your organisation's single sign-on (SAML)",
  tooManyAttempts: (minutes: number) =>
    `Too many failed login attempts from your network. Wait ${minutes} ${minutes === 1 ? "minute" : "minutes"} and try again.`,
};

export const authStrings = { da, en };
