/**
 * The one place the polyfill is imported, so swapping it for the native `Temporal` global (once
 * Node ships it) is a one-line change.
 */
export { Temporal } from "temporal-polyfill";
