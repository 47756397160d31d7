/**
 * Tables as Helm prints them (gosuri/uitable with tab separators): every cell padded to its
 * column's widest cell, cells joined by a tab, the last column padded too.
 */

/** Display width of a cell (code points; Helm's charts and names are ASCII in practice). */
function width(s: string): number {
  return /^[\x00-\x7f]*$/.test(s) ? s.length : [...s].length;
}

/** Format rows (the first may be a header) into lines ending in newlines. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "";
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...rows.map((r) => width(r[i] ?? ""))));
  return rows
    .map((r) => widths.map((w, i) => (r[i] ?? "") + " ".repeat(w - width(r[i] ?? ""))).join("\t"))
    .map((line) => `${line}\n`)
    .join("");
}
