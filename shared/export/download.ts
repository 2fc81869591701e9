/**
 * The HTTP headers of a downloaded export: its media type, and a Content-Disposition whose
 * filename is the instance's name, once as ASCII for old clients (`filename=`, æ ø å written as
 * ae oe aa, anything else as a dash) and once whole in UTF-8 (`filename*=`, RFC 6266 and 8187),
 * which every current browser prefers. Pure.
 */

export type ExportFormat = "csv" | "xlsx";

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const DANISH: Record<string, string> = { æ: "ae", ø: "oe", å: "aa", Æ: "Ae", Ø: "Oe", Å: "Aa" };

/** `Trappelift til Karen – milepæle` as `Trappelift-til-Karen-milepaele`: letters, digits, `-`, `_`, `.`. */
export function asciiName(name: string): string {
  const ascii = name
    .replace(/[æøåÆØÅ]/g, (c) => DANISH[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 120);
  return ascii === "" ? "export" : ascii;
}

/** RFC 8187's value characters: what encodeURIComponent leaves alone, less ' ( ) * ! */
function encodeRfc8187(text: string): string {
  return encodeURIComponent(text).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment; filename="…"; filename*=UTF-8''…` for a file called `name` plus its extension. */
export function contentDisposition(name: string, format: ExportFormat): string {
  // Control characters and the path separators have no place in a file's name.
  const whole = name.replace(/[\p{Cc}/\\]+/gu, " ").trim() || "export";
  return `attachment; filename="${asciiName(whole)}.${format}"; filename*=UTF-8''${encodeRfc8187(`${whole}.${format}`)}`;
}
