/**
 * One pass over a parsed YAML tree before it is converted to data: what makes a document
 * unsafe or unreadable (aliases, anchors, depth, keys that are not plain names, duplicate and
 * reserved keys) and values that look like CPR numbers, each with its position.
 */
import { type Document, isAlias, isCollection, isPair, isScalar, isSeq, type Node } from "yaml";
import { CPR_MESSAGE, looksLikeCpr, numberLooksLikeCpr } from "./cpr.ts";
import { formatPath, type LocatedError, type PathSegment, quote } from "./errors.ts";
import type { PositionOf } from "./yaml-locate.ts";

/** A workflow is about five levels deep; 32 leaves room while stopping pathological input. */
export const MAX_DEPTH = 32;

/**
 * Keys that would reach an object's prototype when the data is built (`__proto__` is silently
 * dropped, `constructor` shadows a method): refused wherever they appear.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** A scalar's place in the source and in the data, to name the value a source position is in. */
export interface ScalarSpan {
  start: number;
  end: number;
  path: PathSegment[];
  /** Whether the walk already reported this scalar as CPR-looking. */
  flagged: boolean;
}

/** What the walk found, split by whether loading can go on. */
export interface Walk {
  /** Errors that stop loading: the tree cannot be trusted or converted. */
  fatal: LocatedError[];
  /** Errors about values (CPR numbers) that are reported alongside the schema's. */
  content: LocatedError[];
  /** Every scalar with its source range, in no particular order. */
  scalars: ScalarSpan[];
}

/**
 * One pass over the syntax tree, iterative so no input can exhaust the stack: depth, aliases
 * and anchors (billion laughs), keys that are not plain values, duplicate keys (with a set per
 * mapping: yaml's own check compares every key with every other, quadratic in a mapping's size),
 * and CPR-looking text, read from the source so `0102031234` is seen before YAML makes it the
 * number 102031234.
 */
export function walkTree(doc: Document.Parsed, position: PositionOf, file: string): Walk {
  const walk: Walk = { fatal: [], content: [], scalars: [] };
  const add = (list: LocatedError[], node: Node, path: PathSegment[], message: string): void => {
    list.push({ file, ...position(node.range?.[0] ?? 0), path: formatPath(path), message });
  };
  let tooDeep = false;
  const stack: { node: unknown; path: PathSegment[]; depth: number; isKey: boolean }[] = [
    { node: doc.contents, path: [], depth: 1, isKey: false },
  ];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || item.node === null || item.node === undefined) continue;
    const { node, path, depth, isKey } = item;
    if (isAlias(node)) {
      add(
        walk.fatal,
        node,
        path,
        `YAML aliases (*${node.source}) are not allowed; write the value out in full`,
      );
      continue;
    }
    if (!isScalar(node) && !isCollection(node)) continue;
    if (node.anchor !== undefined) {
      add(
        walk.fatal,
        node,
        path,
        `YAML anchors (&${node.anchor}) are not allowed; write the value out in full`,
      );
    }
    if (isScalar(node)) {
      let flagged = false;
      checkScalarForCpr(
        node.value,
        node.source,
        (message) => {
          flagged = true;
          add(walk.content, node, path, message);
        },
        isKey,
      );
      if (node.range) walk.scalars.push({ start: node.range[0], end: node.range[1], path, flagged });
      continue;
    }
    if (depth > MAX_DEPTH) {
      if (!tooDeep) {
        add(
          walk.fatal,
          node,
          path,
          `nested more than ${MAX_DEPTH} levels deep; a definition needs far fewer`,
        );
      }
      tooDeep = true;
      continue;
    }
    if (isSeq(node)) {
      node.items.forEach((child, i) => {
        stack.push({ node: child, path: [...path, i], depth: depth + 1, isKey: false });
      });
      continue;
    }
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (isScalar(key)) {
        const name = String(key.value);
        const keyPath = [...path, name];
        if (seen.has(name)) {
          add(
            walk.fatal,
            key,
            keyPath,
            `duplicate key ${quote(name)}: each key may appear only once in a mapping`,
          );
        }
        seen.add(name);
        if (RESERVED_KEYS.has(name)) {
          add(
            walk.fatal,
            key,
            keyPath,
            `the key ${quote(name)} is reserved and cannot be used as a name; choose another name`,
          );
          continue;
        }
        stack.push({ node: key, path: keyPath, depth, isKey: true });
        stack.push({ node: pair.value, path: keyPath, depth: depth + 1, isKey: false });
      } else if (isAlias(key)) {
        stack.push({ node: key, path, depth, isKey: true });
      } else if (key !== null && isCollection(key)) {
        add(walk.fatal, key, path, "a key must be a plain name, not a list or a mapping");
      }
    }
  }
  return walk;
}

function checkScalarForCpr(
  value: unknown,
  source: unknown,
  report: (message: string) => void,
  isKey: boolean,
): void {
  const what = isKey ? "the key" : typeof value === "number" ? "the number" : "the text";
  const texts = [
    typeof source === "string" ? source : undefined,
    typeof value === "string" ? value : undefined,
  ];
  const hit =
    texts.some((t) => t !== undefined && looksLikeCpr(t)) ||
    (typeof value === "number" && numberLooksLikeCpr(value));
  if (hit) report(`${what} ${CPR_MESSAGE}`);
}
