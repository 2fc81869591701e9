/**
 * Issue 15, finding 8: a full outbox disk must not lose a mail. The outbox lives on a real 256 KiB
 * tmpfs (this machine's tests run as root, as CI does); the disk is filled with a real file, the
 * send fails as transient and leaves no half-written mail, and once space is back the same send
 * (as the retried step makes it) delivers exactly one file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRetryable } from "../../shared/errors/index.ts";
import { sendWithRetry } from "../../shared/mail/retry.ts";
import { FileOutboxTransport } from "../../shared/mail/transport.ts";

let mountPoint = "";

beforeAll(() => {
  mountPoint = mkdtempSync(join(tmpdir(), "fristflow-outbox-disk-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mountPoint]);
});
afterAll(() => {
  if (mountPoint === "") return;
  execFileSync("umount", [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

function fillDisk(path: string): void {
  // Write 4 KiB blocks until the disk refuses: what is left is less than a mail.
  const block = Buffer.alloc(4096, 1);
  const chunks: Buffer[] = [];
  for (;;) {
    chunks.push(block);
    try {
      writeFileSync(path, Buffer.concat(chunks));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOSPC") return;
      throw err;
    }
  }
}

const mail = (n: number) => ({
  raw: Buffer.from(`Subject: Rykker ${n}\r\nMessage-ID: <m-${n}@fristflow>\r\n\r\n${"x".repeat(20_000)}\r\n`),
  from: "fristflow@ishoj.dk",
  to: ["leder@ishoj.dk"],
  messageId: `<m-${n}@fristflow>`,
});

describe("the file outbox on a full disk", () => {
  it("fails the send as transient, leaves no half-written mail, and delivers once when space is back", async () => {
    // Prepare
    const outbox = join(mountPoint, "outbox");
    const transport = new FileOutboxTransport(outbox);
    await transport.send(mail(1));
    const filler = join(mountPoint, "filler");
    fillDisk(filler);
    const sleeps: number[] = [];

    // Act: the step's own retries run out while the disk is full.
    const failure = await sendWithRetry(transport, mail(2), {
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 10,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }).catch((err: unknown) => err);
    const whileFull = readdirSync(outbox).filter((f) => !f.startsWith("."));
    rmSync(filler);
    const retried = await transport.send(mail(2));
    const again = await transport.send(mail(2));

    // Assess
    expect(isRetryable(failure)).toBe(true);
    expect((failure as { transient?: boolean }).transient).toBe(true);
    expect(sleeps).toHaveLength(2);
    expect(whileFull.filter((f) => f.endsWith(".eml"))).toHaveLength(1);
    expect(whileFull.filter((f) => f.endsWith(".partial"))).toEqual([]);
    const files = readdirSync(outbox).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(2);
    expect(again.providerId).toBe(retried.providerId);
    expect(files).toContain(retried.providerId);
  });
});
