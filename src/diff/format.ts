/**
 * Printing per-resource changes as helm-diff does: `diff` (a header per object, then its lines
 * prefixed `+ `, `- ` or two spaces, optionally cut to N lines of context around changes with `...`),
 * `simple` (one line per object and a plan summary), `json` (a machine-readable list) or `dyff`
 * (a change per path, see dyff.ts).
 */
import { createColors } from "picocolors";
import type { ChangeType, DiffLine, ResourceChange } from "./changes.ts";
import { formatPathChange, pathChanges, sidesOf } from "./dyff.ts";

export const DIFF_OUTPUT_FORMATS = ["diff", "simple", "json", "dyff"] as const;
export type DiffOutputFormat = (typeof DIFF_OUTPUT_FORMATS)[number];

export interface FormatOptions {
  output: DiffOutputFormat;
  /** Lines of context around changes; negative prints every line (helm-diff's default, -1). */
  context: number;
  /** Kinds whose changes are listed but not shown. */
  suppress: readonly string[];
  color: boolean;
}

/** The `-o` value as a format, or a one-line error naming the allowed ones. */
export function diffOutputFormat(value: string): DiffOutputFormat {
  if ((DIFF_OUTPUT_FORMATS as readonly string[]).includes(value)) return value as DiffOutputFormat;
  throw new Error(`invalid output format "${value}": must be one of ${DIFF_OUTPUT_FORMATS.join(", ")}`);
}

const HEADERS: Record<ChangeType, { diff: string; simple: string; color: "green" | "red" | "yellow" }> = {
  ADD: { diff: "has been added:", simple: "to be added.", color: "green" },
  REMOVE: { diff: "has been removed:", simple: "to be removed.", color: "red" },
  MODIFY: { diff: "has changed:", simple: "to be changed.", color: "yellow" },
};

/** For each line, how far it is from the nearest changed line. */
function distancesToChange(lines: readonly DiffLine[]): number[] {
  const far = Number.MAX_SAFE_INTEGER;
  const d = lines.map(() => far);
  let last = -1;
  lines.forEach((l, i) => {
    if (l.op !== " ") last = i;
    if (last >= 0) d[i] = i - last;
  });
  last = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.op !== " ") last = i;
    if (last >= 0) d[i] = Math.min(d[i]!, last - i);
  }
  return d;
}

/** The printed lines of one change: every line, or those near a change with `...` for each gap. */
export function diffBody(lines: readonly DiffLine[], context: number): string[] {
  const show = (l: DiffLine) => (l.op === " " ? (l.text === "" ? "" : `  ${l.text}`) : `${l.op} ${l.text}`);
  if (context < 0) return lines.map(show);
  const distance = distancesToChange(lines);
  const out: string[] = [];
  let gap = false;
  lines.forEach((l, i) => {
    if (distance[i]! > context) {
      if (!gap) out.push("...");
      gap = true;
    } else {
      gap = false;
      out.push(show(l));
    }
  });
  return out;
}

/** The report for a list of changes (empty when there are none, except `json`'s `[]`). */
export function formatChanges(changes: readonly ResourceChange[], opts: FormatOptions): string {
  const c = createColors(opts.color);
  const suppressed = (ch: ResourceChange) => opts.suppress.includes(ch.kind);
  switch (opts.output) {
    case "json":
      return `${JSON.stringify(
        changes.map((ch) => ({
          api: ch.api,
          kind: ch.kind,
          namespace: ch.namespace,
          name: ch.name,
          change: ch.change,
          ...(suppressed(ch) ? { suppressed: true } : { diff: diffBody(ch.lines, opts.context).join("\n") }),
        })),
        null,
        2,
      )}\n`;
    case "simple": {
      const count = { ADD: 0, REMOVE: 0, MODIFY: 0 };
      let out = "";
      for (const ch of changes) {
        count[ch.change]++;
        out += `${c[HEADERS[ch.change].color](`${ch.key} ${HEADERS[ch.change].simple}`)}\n`;
      }
      return `${out}Plan: ${count.ADD} to add, ${count.MODIFY} to change, ${count.REMOVE} to destroy, 0 to change ownership.\n`;
    }
    case "dyff": {
      const paint = { removed: c.red, added: c.green, changed: c.yellow };
      let out = "";
      for (const ch of changes) {
        out += `${c[HEADERS[ch.change].color](`${ch.key} ${HEADERS[ch.change].diff}`)}\n`;
        if (suppressed(ch)) {
          out += c.yellow(`+ Changes suppressed on sensitive content of type ${ch.kind}\n`);
        } else if (ch.change === "MODIFY") {
          const { before, after } = sidesOf(ch.lines);
          for (const pc of pathChanges(before, after)) out += `\n${formatPathChange(pc, paint).join("\n")}\n`;
        } else {
          out +=
            ch.change === "ADD"
              ? paint.added("  + one document added\n")
              : paint.removed("  - one document removed\n");
        }
        out += "\n";
      }
      return out;
    }
    case "diff": {
      let out = "";
      for (const ch of changes) {
        out += `${c[HEADERS[ch.change].color](`${ch.key} ${HEADERS[ch.change].diff}`)}\n`;
        if (suppressed(ch)) {
          out += c.yellow(`+ Changes suppressed on sensitive content of type ${ch.kind}\n`);
          continue;
        }
        for (const line of diffBody(ch.lines, opts.context)) {
          const colored = line.startsWith("+ ") ? c.green(line) : line.startsWith("- ") ? c.red(line) : line;
          out += `${colored}\n`;
        }
      }
      return out;
    }
  }
}
