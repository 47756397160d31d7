/**
 * Tables as Helm prints them (gosuri/uitable with tab separators), the one implementation every
 * table uses: a cell longer than the maximum column width is cut to `x...`; each column is as
 * wide as its widest cell, capped at that maximum; cells are padded to it (the last column too)
 * and joined by tabs. Widths count what the terminal shows, so coloured cells line up as in Helm.
 */

const SGR = /\x1b\[[0-9;]*m/g;

/** Display width of a cell: code points, escape sequences left out (Helm's cells are ASCII in practice). */
export function displayWidth(s: string): number {
  // Printable ASCII (nearly every cell) is one column a character: no splitting into code points.
  return /^[\x20-\x7e]*$/.test(s) ? s.length : [...s.replace(SGR, "")].length;
}

/** Cut a plain cell to `max` columns the way uitable does (`...` at the end; 0 = no limit). */
export function truncateCell(s: string, max: number): string {
  const chars = [...s];
  if (max <= 0 || chars.length <= max) return s;
  // uitable keeps at least one character before the "..." (so a cell may exceed a tiny max).
  return `${chars.slice(0, Math.max(max - 3, 1)).join("")}...`;
}

/** Format rows (the first may be a header) into lines, each ending in a newline. */
export function formatTable(rows: readonly (readonly string[])[], maxColWidth = 0): string {
  if (rows.length === 0) return "";
  const cut = rows.map((r) => r.map((c) => truncateCell(c, maxColWidth)));
  const cols = Math.max(...cut.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => {
    const widest = Math.max(...cut.map((r) => displayWidth(r[i] ?? "")));
    return maxColWidth > 0 ? Math.min(widest, maxColWidth) : widest;
  });
  return cut
    .map((r) =>
      widths.map((w, i) => (r[i] ?? "") + " ".repeat(Math.max(0, w - displayWidth(r[i] ?? "")))).join("\t"),
    )
    .map((line) => `${line}\n`)
    .join("");
}
