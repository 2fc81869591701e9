/**
 * The YAML layer of the loaders: the text becomes plain data, or located errors. Size is checked
 * before parsing; yaml's own errors are reworded; the tree walk (yaml-walk.ts) refuses aliases,
 * anchors and excessive depth before anything is converted, and notes CPR-looking values.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLError } from "yaml";
import { formatPath, type LocatedError, quote } from "./errors.ts";
import type { Locate } from "./validate.ts";
import { makeLocate } from "./yaml-locate.ts";
import { type KeyInfo, MAX_DEPTH, walkTree } from "./yaml-walk.ts";

/** Larger than any real definition by far; bounds parse time and memory for API uploads. */
export const MAX_SOURCE_BYTES = 512 * 1024;

/** The data of a well-formed document with a way to locate its paths, or why there is none. */
export type Source =
  | { ok: true; data: unknown; locate: Locate; contentErrors: LocatedError[] }
  | { ok: false; errors: LocatedError[] };

/**
 * Parses one YAML 1.2 document whose top level must be `expected` (`what` words it for the
 * reader). Never throws: input that cannot be trusted comes back as errors, not as data.
 */
export function parseSource(text: string, file: string, expected: "mapping" | "list", what: string): Source {
  const at = (line: number, column: number, path: string, message: string): LocatedError => ({
    file,
    line,
    column,
    path,
    message,
  });
  // The limit is on the file as stored (UTF-8), counted without copying the text.
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_SOURCE_BYTES) {
    return {
      ok: false,
      errors: [
        at(
          1,
          1,
          "",
          `the file is ${Math.ceil(bytes / 1024)} KiB; at most ${MAX_SOURCE_BYTES / 1024} KiB is allowed`,
        ),
      ],
    };
  }

  const lineCounter = new LineCounter();
  // prettyErrors off: the message stays one line and the position comes from our LineCounter.
  // uniqueKeys is yaml's default, set explicitly because duplicate keys must stay errors.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: "1.2" });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(Math.max(0, offset));
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const locate = makeLocate(doc, position);

  const walk = walkTree(doc, position, file);
  const fatal: LocatedError[] = [...walk.fatal];
  let exhausted = false;
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (e.code === "RESOURCE_EXHAUSTION") {
      // yaml reports one per level it could not descend; one message says it all.
      if (exhausted) continue;
      exhausted = true;
    }
    const { line, column } = position(e.pos[0]);
    const key = e.code === "DUPLICATE_KEY" ? walk.keysAt.get(e.pos[0]) : undefined;
    fatal.push(at(line, column, key === undefined ? "" : formatPath(key.path), yamlMessage(e, key)));
  }
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    // YAML 1.1 turns dates into timestamps and enables merge keys: a different language.
    fatal.push(
      at(
        1,
        1,
        "",
        `YAML ${doc.directives.yaml.version} is not supported; remove the %YAML line (YAML 1.2 is used)`,
      ),
    );
  }
  if (fatal.length > 0) return { ok: false, errors: [...fatal, ...walk.content] };

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { ok: false, errors: [at(1, 1, "", `the document is empty; expected ${what}`)] };
  }
  const isExpected = expected === "mapping" ? isMap(contents) : isSeq(contents);
  if (!isExpected) {
    const got = isMap(contents) ? "a mapping" : isSeq(contents) ? "a list" : "a single value";
    const { line, column } = position(contents.range?.[0] ?? 0);
    return { ok: false, errors: [at(line, column, "", `the top level must be ${what}; got ${got}`)] };
  }

  // No aliases were let through, so toJS has nothing to expand; maxAliasCount 0 makes sure.
  const data: unknown = doc.toJS({ maxAliasCount: 0 });
  return { ok: true, data, locate, contentErrors: walk.content };
}

function yamlMessage(e: YAMLError, key: KeyInfo | undefined): string {
  switch (e.code) {
    case "DUPLICATE_KEY":
      return key === undefined
        ? "duplicate key: each key may appear only once in a mapping"
        : `duplicate key ${quote(key.name)}: each key may appear only once in a mapping`;
    case "MULTIPLE_DOCS":
      return "a file holds exactly one YAML document; remove the '---' separator and what follows it";
    case "RESOURCE_EXHAUSTION":
      return `the document is nested too deeply to read; at most ${MAX_DEPTH} levels are allowed`;
    case "TAG_RESOLVE_FAILED":
    case "BAD_COLLECTION_TYPE":
      return `unsupported YAML tag (${e.message}); tags are not part of the workflow language, remove it`;
    default:
      return `YAML syntax error: ${e.message}`;
  }
}
