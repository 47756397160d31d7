/**
 * Comparing our output with real Helm's when Helm's output is random (generated passwords and
 * certificates): render with Helm twice; lines equal in both runs must equal ours exactly, lines that
 * differ are random slots where only the indentation and key must match. When the two Helm runs
 * differ in line count, the lines common to both must appear in ours, in order.
 */

/** The part of a line that is not random: indentation and the key (`  password: `), or the list dash. */
function slotShape(line: string): string {
  const m = /^(\s*(?:- )?(?:[^\s:]+:\s?)?)/.exec(line);
  return m ? m[1]! : "";
}

/** Mismatches between ours and Helm's two runs (empty when they agree). */
export function compareWithRandomSlots(ours: string, runA: string, runB: string, maxReports = 5): string[] {
  if (runA === runB) {
    if (ours === runA) return [];
    return [firstDifference(ours, runA)];
  }
  const a = runA.split("\n");
  const b = runB.split("\n");
  const o = ours.split("\n");
  const problems: string[] = [];
  if (a.length === b.length) {
    if (o.length !== a.length) problems.push(`line count ${o.length}, Helm's ${a.length}`);
    for (let i = 0; i < a.length && problems.length < maxReports; i++) {
      const line = o[i] ?? "";
      if (a[i] === b[i]) {
        if (line !== a[i])
          problems.push(`line ${i + 1}: ours ${JSON.stringify(line)}, Helm's ${JSON.stringify(a[i])}`);
      } else if (slotShape(line) !== slotShape(a[i]!)) {
        problems.push(
          `line ${i + 1} (random slot): ours ${JSON.stringify(line)}, Helm's ${JSON.stringify(a[i])}`,
        );
      }
    }
    return problems;
  }
  // Line counts vary between Helm's runs: the lines common to both must appear in ours in order.
  const common = a.filter((line) => b.includes(line));
  let j = 0;
  for (const line of common) {
    while (j < o.length && o[j] !== line) j++;
    if (j >= o.length) {
      problems.push(`stable line missing from ours: ${JSON.stringify(line)}`);
      break;
    }
    j++;
  }
  return problems;
}

function firstDifference(ours: string, theirs: string): string {
  const o = ours.split("\n");
  const t = theirs.split("\n");
  for (let i = 0; i < Math.max(o.length, t.length); i++) {
    if (o[i] !== t[i]) return `line ${i + 1}: ours ${JSON.stringify(o[i])}, Helm's ${JSON.stringify(t[i])}`;
  }
  return "outputs differ";
}
