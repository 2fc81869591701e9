/**
 * One pass over a parsed YAML tree before it is converted to data: what makes a document
 * unsafe or unreadable (aliases, anchors, depth, keys that are not plain names) and values that
 * look like CPR numbers, each with its position.
 */
import { type Document, isAlias, isCollection, isPair, isScalar, isSeq, type Node } from "yaml";
import { CPR_MESSAGE, looksLikeCpr, numberLooksLikeCpr } from "./cpr.ts";
import { formatPath, type LocatedError, type PathSegment } from "./errors.ts";
import type { PositionOf } from "./yaml-locate.ts";

/** A workflow is about five levels deep; 32 leaves room while stopping pathological input. */
export const MAX_DEPTH = 32;

/** A mapping key: where it sits in the data and its name. */
export interface KeyInfo {
  path: PathSegment[];
  name: string;
}

/** What the walk found, split by whether loading can go on. */
export interface Walk {
  /** Errors that stop loading: the tree cannot be trusted or converted. */
  fatal: LocatedError[];
  /** Errors about values (CPR numbers) that are reported alongside the schema's. */
  content: LocatedError[];
  /** Map keys by source offset, to name the key in yaml's duplicate-key error. */
  keysAt: Map<number, KeyInfo>;
}

/**
 * One pass over the syntax tree, iterative so no input can exhaust the stack: depth, aliases
 * and anchors (billion laughs), keys that are not plain values, and CPR-looking text, read from
 * the source so `0102031234` is seen before YAML makes it the number 102031234.
 */
export function walkTree(doc: Document.Parsed, position: PositionOf, file: string): Walk {
  const walk: Walk = { fatal: [], content: [], keysAt: new Map() };
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
      checkScalarForCpr(node.value, node.source, (message) => add(walk.content, node, path, message), isKey);
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
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (isScalar(key)) {
        const name = String(key.value);
        const keyPath = [...path, name];
        if (key.range) walk.keysAt.set(key.range[0], { path: keyPath, name });
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
