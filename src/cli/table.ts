/**
 * Tables as Helm prints them (gosuri/uitable with tab separators): every cell padded to its
 * column's widest cell, cells joined by a tab, the last column padded too. Widths count what the
 * terminal shows, so coloured cells (escape sequences) line up like plain ones, as in Helm.
 */
import { stripColor } from "./color.ts";

/** Display width of a cell (code points; Helm's charts and names are ASCII in practice). */
function width(s: string): number {
  return [...stripColor(s)].length;
}

/** Cut a plain cell to `max` columns the way uitable does (`...` at the end; 0 = no limit). */
export function truncateCell(s: string, max: number): string {
  const chars = [...s];
  if (max <= 0 || chars.length <= max) return s;
  if (max <= 3) return chars.slice(0, max).join("");
  return `${chars.slice(0, max - 3).join("")}...`;
}

/** Format rows (the first may be a header) into lines ending in newlines; cells cut to `maxColWidth`. */
export function formatTable(rows: readonly (readonly string[])[], maxColWidth = 0): string {
  if (rows.length === 0) return "";
  const cut = rows.map((r) => r.map((c) => truncateCell(c, maxColWidth)));
  const cols = Math.max(...cut.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...cut.map((r) => width(r[i] ?? ""))));
  return cut
    .map((r) => widths.map((w, i) => (r[i] ?? "") + " ".repeat(w - width(r[i] ?? ""))).join("\t"))
    .map((line) => `${line}\n`)
    .join("");
}
