import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { composeNotificationEmail, type NotificationEmailInput } from "../../shared/mail/compose.ts";
import { MailSendError, sendWithRetry } from "../../shared/mail/retry.ts";
import {
  FileOutboxTransport,
  type MailTransport,
  type OutboxRecord,
  type OutgoingMail,
  SesV2Transport,
  SmtpTransport,
} from "../../shared/mail/transport.ts";
import { ManualClock } from "../../shared/time/clock.ts";

const mailInput: NotificationEmailInput = {
  language: "da",
  kind: "reminder",
  workflowTitle: "Stærke fællesskaber for alle børn og unge",
  milestoneTitle: "Lokal handleplan",
  unitName: "Vejleåskolen",
  dueAt: "2024-10-31T22:59:00Z",
  timezone: "Europe/Copenhagen",
  now: "2024-10-28T07:00:00Z",
  recipient: { name: "Mette Hansen", email: "mette.hansen@ishoj.dk" },
  contact: { name: "Lars Jensen", email: "lars.jensen@ishoj.dk" },
  confirmUrl: "https://fristflow.ishoj.dk/confirm/abc?sig=def",
  from: "fristflow@ishoj.dk",
  organisationName: "Ishøj Kommune",
  instanceId: "ishoej",
  occurrenceKey: "lokal-handleplan/vejleaa/0",
  notificationKey: "lokal-handleplan/vejleaa/0#reminder#P3D",
};

async function composedMessage(): Promise<OutgoingMail> {
  const composed = await composeNotificationEmail(mailInput);
  return {
    raw: composed.raw,
    from: "fristflow@ishoj.dk",
    to: ["mette.hansen@ishoj.dk"],
    messageId: composed.messageId,
  };
}

interface Canned {
  status: number;
  body: object;
  errorType?: string;
}

interface SeenRequest {
  method: string;
  path: string;
  body: string;
}

/** A real SESv2Client; only the HTTP exchange is canned, so the request is really serialised. */
function sesClient(responses: Canned[]) {
  const seen: SeenRequest[] = [];
  const client = new SESv2Client({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    // sendWithRetry owns retries; the SDK's own would hide the 429 from it.
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { method: string; path: string; body?: unknown }) => {
        const raw = request.body;
        seen.push({
          method: request.method,
          path: request.path,
          body: typeof raw === "string" ? raw : new TextDecoder().decode(raw as Uint8Array),
        });
        const next = responses.shift();
        if (next === undefined) throw new Error("no canned response left");
        return {
          response: {
            statusCode: next.status,
            headers: {
              "content-type": "application/json",
              "x-amzn-requestid": "req-1",
              ...(next.errorType ? { "x-amzn-errortype": next.errorType } : {}),
            },
            body: Buffer.from(JSON.stringify(next.body)),
          },
        };
      },
    },
  });
  return { client, seen };
}

function recordingSleep() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

describe("SesV2Transport through sendWithRetry", () => {
  it("retries a 429 TooManyRequestsException and sends the composed MIME unchanged", async () => {
    // Prepare
    const message = await composedMessage();
    const { client, seen } = sesClient([
      {
        status: 429,
        errorType: "TooManyRequestsException",
        body: { message: "Maximum sending rate exceeded." },
      },
      { status: 200, body: { MessageId: "0102018f-ses-id" } },
    ]);
    const transport = new SesV2Transport(client, { configurationSetName: "fristflow" });
    const { sleeps, sleep } = recordingSleep();

    // Act
    const result = await sendWithRetry(transport, message, { sleep, random: () => 0.5 });

    // Assess
    expect(result).toEqual({ providerId: "0102018f-ses-id", attempts: 2 });
    expect(sleeps).toEqual([100]);
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request.method).toBe("POST");
      expect(request.path).toBe("/v2/email/outbound-emails");
      const body = JSON.parse(request.body) as {
        FromEmailAddress: string;
        Destination: { ToAddresses: string[] };
        ConfigurationSetName: string;
        Content: { Raw: { Data: string } };
      };
      expect(body.FromEmailAddress).toBe("fristflow@ishoj.dk");
      expect(body.Destination.ToAddresses).toEqual(["mette.hansen@ishoj.dk"]);
      expect(body.ConfigurationSetName).toBe("fristflow");
      expect(Buffer.from(body.Content.Raw.Data, "base64").equals(message.raw)).toBe(true);
    }
  });

  it("does not retry a 400 MessageRejected and reports it as permanent", async () => {
    // Prepare
    const message = await composedMessage();
    const { client, seen } = sesClient([
      { status: 400, errorType: "MessageRejected", body: { message: "Email address is not verified." } },
      { status: 200, body: { MessageId: "never" } },
    ]);
    const { sleeps, sleep } = recordingSleep();

    // Act
    const error = await sendWithRetry(new SesV2Transport(client), message, {
      sleep,
      random: () => 0.5,
    }).catch((err: unknown) => err);

    // Assess
    expect(error).toBeInstanceOf(MailSendError);
    const sendError = error as MailSendError;
    expect(sendError.transient).toBe(false);
    expect(sendError.attempts).toBe(1);
    expect((sendError.cause as Error).name).toBe("MessageRejected");
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("gives up after maxAttempts of 5xx with growing, capped waits", async () => {
    // Prepare
    const message = await composedMessage();
    const unavailable: Canned = { status: 503, body: { message: "Service Unavailable" } };
    const { client, seen } = sesClient([unavailable, unavailable, unavailable, unavailable]);
    const { sleeps, sleep } = recordingSleep();

    // Act
    const error = await sendWithRetry(new SesV2Transport(client), message, {
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 500,
      sleep,
      random: () => 0.999,
    }).catch((err: unknown) => err);

    // Assess
    expect(error).toBeInstanceOf(MailSendError);
    expect((error as MailSendError).transient).toBe(true);
    expect((error as MailSendError).attempts).toBe(4);
    expect(seen).toHaveLength(4);
    expect(sleeps).toEqual([199, 399, 499]);
  });
});

describe("sendWithRetry with a plain transport", () => {
  it("retries network errors and reports the attempts", async () => {
    // Prepare
    let calls = 0;
    const flaky: MailTransport = {
      name: "flaky",
      send: async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        return { providerId: "ok" };
      },
    };
    const { sleeps, sleep } = recordingSleep();

    // Act
    const result = await sendWithRetry(flaky, await composedMessage(), { sleep, random: () => 1 });

    // Assess
    expect(result).toEqual({ providerId: "ok", attempts: 3 });
    expect(sleeps).toEqual([200, 400]);
  });
});

/** The mail in an outbox folder (its hidden index of delivered Message-IDs left out). */
async function emlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(".eml")).sort();
}

describe("FileOutboxTransport", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "fristflow-outbox-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a parseable .eml named by time and Message-ID and reports it", async () => {
    // Prepare
    const message = await composedMessage();
    const stored: OutboxRecord[] = [];
    const outbox = join(dir, "outbox");
    const transport = new FileOutboxTransport(
      outbox,
      async (record) => void stored.push(record),
      new ManualClock("2024-10-28T07:00:01.250Z"),
    );

    // Act
    const { providerId } = await transport.send(message);

    // Assess
    const id = message.messageId.slice(1, -1);
    expect(providerId).toBe(`20241028T070001250Z-${id}.eml`);
    expect(await emlFiles(outbox)).toEqual([providerId]);
    const path = join(outbox, providerId);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const parsed = await simpleParser(await readFile(path));
    expect(parsed.subject).toBe("Påmindelse: Lokal handleplan – frist 31.10.2024");
    expect(parsed.messageId).toBe(message.messageId);
    expect(stored).toEqual([
      {
        messageId: message.messageId,
        from: "fristflow@ishoj.dk",
        to: ["mette.hansen@ishoj.dk"],
        fileName: providerId,
        path,
        storedAt: "2024-10-28T07:00:01.25Z",
        bytes: message.raw.length,
        repeated: false,
      },
    ]);
  });

  it("delivers a Message-ID once: a repeat (a send retried after a crash) reports the first file and writes none", async () => {
    // Prepare
    const message = await composedMessage();
    const clock = new ManualClock("2024-10-28T07:00:00Z");
    const stored: OutboxRecord[] = [];
    const transport = new FileOutboxTransport(dir, async (record) => void stored.push(record), clock);
    const first = await transport.send(message);
    const firstBytes = await readFile(join(dir, first.providerId));
    // Act: minutes later, a re-composed mail (other Date, other link) under the same Message-ID
    clock.advance("PT3M");
    const again = await new FileOutboxTransport(dir, async (record) => void stored.push(record), clock).send({
      ...message,
      raw: Buffer.concat([message.raw, Buffer.from("\r\n")]),
    });
    // Assess
    expect(again.providerId).toBe(first.providerId);
    expect(await emlFiles(dir)).toEqual([first.providerId]);
    expect(await readFile(join(dir, first.providerId))).toEqual(firstBytes);
    expect(stored.map((r) => [r.fileName, r.storedAt, r.repeated, r.bytes])).toEqual([
      [first.providerId, "2024-10-28T07:00:00Z", false, message.raw.length],
      [first.providerId, "2024-10-28T07:00:00Z", true, message.raw.length],
    ]);
  });

  it("a crash between remembering the Message-ID and writing the file: the repeat writes the file", async () => {
    // Prepare: the first send is cut off at the file write (a folder squats on the file's path)
    const message = await composedMessage();
    const clock = new ManualClock("2024-10-28T07:00:00Z");
    const fileName = `20241028T070000000Z-${message.messageId.slice(1, -1)}.eml`;
    await mkdir(join(dir, `${fileName}.partial`));
    const transport = new FileOutboxTransport(dir, undefined, clock);
    await expect(transport.send(message)).rejects.toThrow();
    await rm(join(dir, `${fileName}.partial`), { recursive: true });
    // Act
    clock.advance("PT2M");
    const again = await transport.send(message);
    // Assess
    expect(again.providerId).toBe(fileName);
    expect(await emlFiles(dir)).toEqual([fileName]);
    expect((await simpleParser(await readFile(join(dir, fileName)))).messageId).toBe(message.messageId);
  });

  it("different Message-IDs sent at the same instant get a file each", async () => {
    // Prepare
    const message = await composedMessage();
    const transport = new FileOutboxTransport(dir, undefined, new ManualClock("2024-10-28T07:00:00Z"));
    // Act
    const results = await Promise.all(
      ["<a@fristflow>", "<b@fristflow>", "<c@fristflow>"].map((messageId) =>
        transport.send({ ...message, messageId }),
      ),
    );
    // Assess
    expect(new Set(results.map((r) => r.providerId)).size).toBe(3);
    expect(await emlFiles(dir)).toHaveLength(3);
  });

  it("keeps Message-IDs with odd characters inside the folder", async () => {
    // Prepare
    const message = { ...(await composedMessage()), messageId: "<../../etc/passwd:x@host>" };
    const transport = new FileOutboxTransport(dir, undefined, new ManualClock("2024-10-28T07:00:00Z"));

    // Act
    const { providerId } = await transport.send(message);

    // Assess
    expect(providerId).toBe("20241028T070000000Z-.._.._etc_passwd_x@host.eml");
    expect(await emlFiles(dir)).toEqual([providerId]);
    expect(await readdir(dir)).toEqual([".delivered", providerId]);
  });
});

/** Just enough of an SMTP server to receive one message (RFC 5321 happy path). */
function startSmtpServer(): Promise<{
  server: Server;
  port: number;
  received: { envelope: string[]; data: string }[];
}> {
  const received: { envelope: string[]; data: string }[] = [];
  const server = createServer((socket: Socket) => {
    let buffer = "";
    let inData = false;
    let envelope: string[] = [];
    socket.write("220 test ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      while (true) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          received.push({ envelope, data: buffer.slice(0, end) });
          buffer = buffer.slice(end + 5);
          inData = false;
          envelope = [];
          socket.write("250 2.0.0 queued\r\n");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 test\r\n");
        else if (verb === "MAIL" || verb === "RCPT") {
          envelope.push(line);
          socket.write("250 OK\r\n");
        } else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") {
          socket.end("221 bye\r\n");
        } else socket.write("250 OK\r\n");
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0, received });
    });
  });
}

describe("SmtpTransport", () => {
  it("delivers the composed MIME with an explicit envelope", async () => {
    // Prepare
    const { server, port, received } = await startSmtpServer();
    const message = await composedMessage();
    const transport = new SmtpTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });

    try {
      // Act
      const { providerId } = await transport.send(message);

      // Assess
      expect(providerId).toBe(message.messageId);
      expect(received).toHaveLength(1);
      expect(received[0]?.envelope).toEqual([
        "MAIL FROM:<fristflow@ishoj.dk>",
        "RCPT TO:<mette.hansen@ishoj.dk>",
      ]);
      const parsed = await simpleParser(Buffer.from(received[0]?.data ?? "", "utf8"));
      expect(parsed.subject).toBe("Påmindelse: Lokal handleplan – frist 31.10.2024");
      expect(parsed.messageId).toBe(message.messageId);
    } finally {
      transport.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
