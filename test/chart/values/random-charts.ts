/**
 * Random three-level charts (p → s → ss) for differential tests of dependency processing and
 * coalescing: random default values, random Chart.yaml dependency entries (versions, aliases,
 * conditions, tags, import-values) and random user values.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

type Rand = () => number;

const KEYS = ["a", "b", "c", "x", "global", "tags", "s", "ss", "al", "exports", "enabled"];

function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function scalar(rand: Rand): unknown {
  return pick(rand, [null, 1, 2.5, 0, true, false, "str", "", 1e6, "yes"]);
}

/** A random YAML-able value tree. */
export function randomTree(rand: Rand, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const key = pick(rand, KEYS);
    const r = rand();
    if (depth > 0 && r < 0.45) out[key] = randomTree(rand, depth - 1);
    else if (r < 0.55) out[key] = [scalar(rand), scalar(rand)];
    else out[key] = scalar(rand);
  }
  return out;
}

function randomDependency(rand: Rand, name: string): Record<string, unknown> {
  const d: Record<string, unknown> = { name };
  const v = pick(rand, ["*", "0.1.0", ">2", "", "0.x", undefined, undefined]);
  if (v !== undefined) d.version = v;
  if (rand() < 0.3) d.alias = pick(rand, ["al", "al2"]);
  if (rand() < 0.5) {
    d.condition = pick(rand, [
      `${name}.enabled`,
      "a",
      "a.b",
      "x,a",
      "enabled",
      `a,${name}.enabled`,
      "global.c",
    ]);
  }
  if (rand() < 0.3) d.tags = pick(rand, [["t1"], ["t1", "t2"], ["a"]]);
  if (rand() < 0.4) {
    d["import-values"] = pick(rand, [
      ["a"],
      ["x", "b"],
      [{ child: "a", parent: "imp" }],
      [{ child: "a.b", parent: "." }],
      [{ child: "exports", parent: "x.y" }],
      [{ child: "c", parent: "a" }],
    ]);
  }
  return d;
}

/** A variation of `tree`: some entries nulled, changed or kept, some new ones. */
function variation(rand: Rand, tree: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) {
    const r = rand();
    if (r < 0.3) out[k] = null;
    else if (r < 0.5 && v !== null && typeof v === "object" && !Array.isArray(v)) {
      out[k] = variation(rand, v as Record<string, unknown>);
    } else if (r < 0.6) out[k] = scalar(rand);
  }
  if (rand() < 0.3) Object.assign(out, randomTree(rand, 1));
  return out;
}

/** Write a random chart tree under `dir`; returns the user values file's path. */
export function writeRandomChart(rand: Rand, dir: string): string {
  const charts: [string, string, string | null][] = [
    ["", "p", "s"],
    ["charts/s", "s", "ss"],
    ["charts/s/charts/ss", "ss", null],
  ];
  const defaults: Record<string, unknown>[] = [];
  for (const [path, name, child] of charts) {
    const d = join(dir, path);
    mkdirSync(join(d, "templates"), { recursive: true });
    const meta: Record<string, unknown> = { apiVersion: "v2", name, version: "0.1.0" };
    if (child && rand() < 0.75) {
      const deps = [randomDependency(rand, child)];
      if (rand() < 0.2) deps.push({ ...randomDependency(rand, child), alias: "al3" });
      meta.dependencies = deps;
    }
    writeFileSync(join(d, "Chart.yaml"), stringify(meta));
    const values = randomTree(rand, 3);
    defaults.push(values);
    writeFileSync(join(d, "values.yaml"), stringify(values));
  }
  // User values aimed at the charts' own keys, through every name a section may have.
  const user: Record<string, unknown> = rand() < 0.5 ? randomTree(rand, 3) : variation(rand, defaults[0]!);
  for (const name of ["s", "al", "al2", "al3"]) {
    if (rand() < 0.4) {
      const section = variation(rand, defaults[1]!);
      if (rand() < 0.6) section.ss = variation(rand, defaults[2]!);
      user[name] = section;
    }
  }
  const userFile = join(dir, "..", "user.yaml");
  writeFileSync(userFile, stringify(user));
  return userFile;
}
