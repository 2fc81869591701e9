/**
 * The Lambdas' configuration: environment variables read and validated once per container, failing
 * with a message that names each bad variable. Values are never echoed (an ARN or a base URL is
 * not secret, but a misplaced secret in the wrong variable would be).
 */
import { z } from "zod";
import { AccessLogDaysText } from "../shared/app/access-log.ts";
import { type ErrorCategory, FristflowError } from "../shared/errors/errors.ts";

/** Unset and empty are the same thing for an optional variable (CDK writes "" for "not given"). */
const optional = (schema: z.ZodString) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const required = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is not set" : `must be ${what}`) })
    .min(1, "is empty");

const httpUrl = required("an absolute http(s) URL").refine(
  (v) => /^https?:\/\/[^/]/.test(v) && URL.canParse(v),
  {
    message: "must be an absolute http(s) URL, e.g. https://fristflow.example.dk",
  },
);

const arn = (service: string) =>
  required(`an ARN`).refine((v) => new RegExp(`^arn:aws[a-z-]*:${service}:`).test(v), {
    message: `must be a ${service} ARN (arn:aws:${service}:…)`,
  });

const EnvSchema = z.object({
  FRISTFLOW_TABLE: required("a DynamoDB table name"),
  FRISTFLOW_PUBLIC_BASE_URL: httpUrl,
  FRISTFLOW_MAIL_FROM: required("an e-mail address").pipe(z.email({ error: "must be an e-mail address" })),
  FRISTFLOW_ORGANISATION: required("the organisation's name"),
  FRISTFLOW_LINK_KEY_SECRET_ARN: arn("secretsmanager"),
  FRISTFLOW_SES_CONFIGURATION_SET: optional(z.string()),
  FRISTFLOW_STATE_MACHINE_ARN: optional(z.string().regex(/^arn:aws[a-z-]*:states:/, "must be a states ARN")),
  FRISTFLOW_ACCESS_LOG_DAYS: optional(AccessLogDaysText),
  FRISTFLOW_REPLY_TO: optional(z.string().email({ error: "must be an e-mail address" })),
});

export interface FristflowConfig {
  tableName: string;
  publicBaseUrl: string;
  mailFrom: string;
  organisation: string;
  linkKeySecretArn: string;
  sesConfigurationSet?: string;
  /** Only the Lambdas that start executions need it (the HTTP app; the loop continues itself). */
  stateMachineArn?: string;
  /** How long access-log entries are kept; unset: the default (shared/app/access-log.ts). */
  accessLogRetentionDays?: number;
  /** The municipality's contact address, the Reply-To of staff mails; unset: no Reply-To. */
  replyTo?: string;
}

export class ConfigError extends FristflowError {
  readonly category: ErrorCategory = "invalid";

  constructor(readonly problems: string[]) {
    super(`fristflow configuration is invalid:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

/** Throws ConfigError listing every problem, each starting with the variable's name. */
export function readConfig(env: Record<string, string | undefined>): FristflowConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const e = parsed.data;
  return {
    tableName: e.FRISTFLOW_TABLE,
    publicBaseUrl: e.FRISTFLOW_PUBLIC_BASE_URL,
    mailFrom: e.FRISTFLOW_MAIL_FROM,
    organisation: e.FRISTFLOW_ORGANISATION,
    linkKeySecretArn: e.FRISTFLOW_LINK_KEY_SECRET_ARN,
    ...(e.FRISTFLOW_SES_CONFIGURATION_SET === undefined
      ? {}
      : { sesConfigurationSet: e.FRISTFLOW_SES_CONFIGURATION_SET }),
    ...(e.FRISTFLOW_STATE_MACHINE_ARN === undefined
      ? {}
      : { stateMachineArn: e.FRISTFLOW_STATE_MACHINE_ARN }),
    ...(e.FRISTFLOW_ACCESS_LOG_DAYS === undefined
      ? {}
      : { accessLogRetentionDays: Number(e.FRISTFLOW_ACCESS_LOG_DAYS) }),
    ...(e.FRISTFLOW_REPLY_TO === undefined ? {} : { replyTo: e.FRISTFLOW_REPLY_TO }),
  };
}
