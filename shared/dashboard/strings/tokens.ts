/** The personal API tokens pages: a person's own ("Mine API-nøgler") and an administrator's view of anyone's. */
const da = {
  tokensTitle: "Mine API-nøgler",
  tokensLead:
    "En API-nøgle lader et script eller et andet system bruge fristflows API på dine vegne, med de roller du har. Nøglen vises kun én gang, når du opretter den.",
  tokensLink: "Mine API-nøgler",
  tokensOfTitle: (name: string) => `API-nøgler: ${name}`,
  tokensOfLead: "Personens nøgler. Tilbagekald en nøgle, hvis den er blevet væk eller ikke bruges længere.",
  noTokens: "Der er ingen API-nøgler.",
  tokenNameLabel: "Navn",
  tokenNameHint: "Hvad nøglen bruges til, fx »Indberetning fra ESDH«.",
  tokenDaysLabel: "Gyldig i",
  tokenDays: (days: number) => (days === 365 ? "1 år" : `${days} dage`),
  createToken: "Opret nøgle",
  tokenCreatedAt: "Oprettet",
  tokenExpires: "Udløber",
  tokenLastUsed: "Sidst brugt",
  tokenNeverUsed: "Aldrig",
  tokenExpired: "Udløbet",
  revokeToken: "Tilbagekald",
  tokenRevoked: "Nøglen er tilbagekaldt og virker ikke længere.",
  newTokenTitle: "Din nye API-nøgle",
  newTokenLead:
    "Kopiér nøglen nu, og gem den et sikkert sted. Den bliver ikke vist igen. Send den i headeren Authorization: Bearer <nøgle>.",
  newTokenLabel: "Nøgle",
  backToTokens: "Tilbage til mine API-nøgler",
  tokensNeedPerson:
    "API-nøgler hører til en person. Log ind med din egen konto for at oprette nøgler; administratornøglen har ingen.",
  tokenNameRequired: "Skriv et navn på højst 100 tegn.",
  tokenDaysInvalid: "Vælg, hvor længe nøglen skal gælde.",
  tokensOfUserLink: "API-nøgler",
};

const en: typeof da = {
  tokensTitle: "My API tokens",
  tokensLead:
    "An API token lets a script or another system use fristflow's API on your behalf, with the roles you have. The token is shown only once, when you create it.",
  tokensLink: "My API tokens",
  tokensOfTitle: (name: string) => `API tokens: ${name}`,
  tokensOfLead: "This person's tokens. Revoke a token that was lost or is no longer used.",
  noTokens: "There are no API tokens.",
  tokenNameLabel: "Name",
  tokenNameHint: "What the token is for, e.g. “Reports from the case system”.",
  tokenDaysLabel: "Valid for",
  tokenDays: (days: number) => (days === 365 ? "1 year" : `${days} days`),
  createToken: "Create token",
  tokenCreatedAt: "Created",
  tokenExpires: "Expires",
  tokenLastUsed: "Last used",
  tokenNeverUsed: "Never",
  tokenExpired: "Expired",
  revokeToken: "Revoke",
  tokenRevoked: "The token is revoked and no longer works.",
  newTokenTitle: "Your new API token",
  newTokenLead:
    "Copy the token now and keep it somewhere safe. It will not be shown again. Send it in the header Authorization: Bearer <token>.",
  newTokenLabel: "Token",
  backToTokens: "Back to my API tokens",
  tokensNeedPerson:
    "API tokens belong to a person. Log in with your own account to create tokens; the admin token has none.",
  tokenNameRequired: "Enter a name of at most 100 characters.",
  tokenDaysInvalid: "Choose how long the token is valid.",
  tokensOfUserLink: "API tokens",
};

export const tokenStrings = { da, en };
