/**
 * A real Secrets Manager SDK client whose only fake part is the HTTP exchange: serialisation,
 * error parsing and whatever a library adds to the client (Powertools' middleware) all run.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export interface SeenRequest {
  headers: Record<string, string>;
  body: string;
}

export interface CannedResponse {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

export function secretsClient(responses: CannedResponse[]): {
  client: SecretsManagerClient;
  seen: SeenRequest[];
} {
  const seen: SeenRequest[] = [];
  const client = new SecretsManagerClient({
    region: "eu-north-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const raw = request.body;
        seen.push({
          headers: request.headers,
          body: typeof raw === "string" ? raw : new TextDecoder().decode(raw as Uint8Array),
        });
        const next = responses.shift();
        if (next === undefined) throw new Error("no canned response left");
        return {
          response: {
            statusCode: next.status,
            headers: { "content-type": "application/x-amz-json-1.1", ...next.headers },
            body: Buffer.from(JSON.stringify(next.body)),
          },
        };
      },
    },
  });
  return { client, seen };
}

/** A GetSecretValue answer with the string. */
export function secretString(value: string): CannedResponse {
  return { status: 200, body: { Name: "secret", SecretString: value } };
}

/** An error answer as Secrets Manager sends it. */
export function secretsError(status: number, type: string, message = "refused"): CannedResponse {
  return { status, headers: { "x-amzn-errortype": type }, body: { __type: type, message } };
}

/**
 * A real client answering GetSecretValue by the SecretId asked for: the string, or for `null` what
 * Secrets Manager says of a secret created without a value (no AWSCURRENT version). For code that
 * reads several secrets in an order it chooses.
 */
export function secretsById(values: Record<string, string | null>): {
  client: SecretsManagerClient;
  asked: string[];
} {
  const asked: string[] = [];
  const client = new SecretsManagerClient({
    region: "eu-north-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const raw = request.body;
        const body = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw as Uint8Array));
        const id = String(body.SecretId);
        asked.push(id);
        const value = values[id];
        const answer: CannedResponse =
          value === undefined
            ? secretsError(
                400,
                "ResourceNotFoundException",
                "Secrets Manager can't find the specified secret.",
              )
            : value === null
              ? secretsError(
                  400,
                  "ResourceNotFoundException",
                  "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
                )
              : { status: 200, body: { ARN: id, Name: "secret", SecretString: value } };
        return {
          response: {
            statusCode: answer.status,
            headers: { "content-type": "application/x-amz-json-1.1", ...answer.headers },
            body: Buffer.from(JSON.stringify(answer.body)),
          },
        };
      },
    },
  });
  return { client, asked };
}
