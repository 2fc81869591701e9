import type { Language, Text } from "./schema.ts";

/** A definition's text in the wanted language: English when asked for and given, else Danish. */
export function pickText(text: Text | undefined, language: Language): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  return language === "en" && text.en ? text.en : text.da;
}
