/** Positions in the YAML source: from a path in the data back to a line and column. */
import { type Document, isAlias, isCollection, isMap, isScalar, isSeq, type Node } from "yaml";
import type { Locate } from "./validate.ts";

/** A source offset as a 1-based line and column. */
export type PositionOf = (offset: number) => { line: number; column: number };

/**
 * Position of a path in the tree. A missing key falls back to the nearest node that exists
 * (a missing required key points at the mapping that should hold it); an empty value (`due:`)
 * points at its key, since there is nothing else on that line to point at.
 */
export function makeLocate(doc: Document.Parsed, position: PositionOf): Locate {
  return (path, at = "value") => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    let resolved = true;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair === undefined) {
          resolved = false;
          break;
        }
        keyNode = pair.key as Node;
        node = pair.value ?? keyNode;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        resolved = false;
        break;
      }
    }
    const isEmptyValue = isScalar(node) && node.value === null && node.source === "";
    const target = resolved && keyNode !== undefined && (at === "key" || isEmptyValue) ? keyNode : node;
    const offset = isScalar(target) || isCollection(target) || isAlias(target) ? (target.range?.[0] ?? 0) : 0;
    return position(offset);
  };
}
