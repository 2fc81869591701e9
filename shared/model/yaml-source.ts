/**
 * The YAML layer of the loaders: the text becomes plain data, or located errors. Size and shape
 * are checked before parsing; yaml's own errors are reworded; the tree walk (yaml-walk.ts)
 * refuses aliases, anchors, excessive depth, duplicate and reserved keys before anything is
 * converted, and notes CPR-looking values; the source itself, comments included, is read for
 * CPR numbers too (yaml-cpr.ts).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLError } from "yaml";
import type { LocatedError } from "./errors.ts";
import type { Locate } from "./validate.ts";
import { countEntries } from "./yaml-budget.ts";
import { sourceCprErrors } from "./yaml-cpr.ts";
import { makeLocate } from "./yaml-locate.ts";
import { MAX_DEPTH, walkTree } from "./yaml-walk.ts";

/** Larger than any real definition by far; bounds parse time and memory for API uploads. */
export const MAX_SOURCE_BYTES = 512 * 1024;

export interface SourceOptions {
  /**
   * At most this many entries (keys, list items, commas): the YAML parser spends its time per
   * node, so this bounds the time a document can take whatever its shape. Default: no bound.
   */
  maxEntries?: number;
}

/** The data of a well-formed document with a way to locate its paths, or why there is none. */
export type Source =
  | { ok: true; data: unknown; locate: Locate; contentErrors: LocatedError[] }
  | { ok: false; errors: LocatedError[] };

/**
 * Parses one YAML 1.2 document whose top level must be `expected` (`what` words it for the
 * reader). Never throws: input that cannot be trusted comes back as errors, not as data.
 */
export function parseSource(
  text: string,
  file: string,
  expected: "mapping" | "list",
  what: string,
  options: SourceOptions = {},
): Source {
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

  if (options.maxEntries !== undefined) {
    const budget = countEntries(text, options.maxEntries);
    if (budget.over) {
      const { line, column } = lineAndColumn(text, budget.offset);
      return {
        ok: false,
        errors: [
          at(
            line,
            column,
            "",
            `the document has more than ${options.maxEntries} entries (keys, list items, commas and brackets) from here on; ` +
              "a definition needs far fewer: split it into several workflows",
          ),
        ],
      };
    }
  }

  const lineCounter = new LineCounter();
  // prettyErrors off: the message stays one line and the position comes from our LineCounter.
  // uniqueKeys off: yaml compares every key with every other (quadratic); the walk checks
  // duplicates with a set per mapping instead, so they stay errors.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: "1.2" });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(Math.max(0, offset));
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const locate = makeLocate(doc, position);

  const walk = walkTree(doc, position, file);
  const content = [...walk.content, ...sourceCprErrors(text, walk.scalars, position, file)];
  const fatal: LocatedError[] = [...walk.fatal];
  let exhausted = false;
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (e.code === "RESOURCE_EXHAUSTION") {
      // yaml reports one per level it could not descend; one message says it all.
      if (exhausted) continue;
      exhausted = true;
    }
    const { line, column } = position(e.pos[0]);
    fatal.push(at(line, column, "", yamlMessage(e)));
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
  if (fatal.length > 0) return { ok: false, errors: [...fatal, ...content] };

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
  return { ok: true, data, locate, contentErrors: content };
}

/** 1-based line and column of an offset, counted on the text (before there is a parse). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function yamlMessage(e: YAMLError): string {
  switch (e.code) {
    case "DUPLICATE_KEY":
      return "duplicate key: each key may appear only once in a mapping";
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
