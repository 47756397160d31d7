import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "./support.ts";

/**
 * .helmignore patterns and the files real Helm v4.1.4 keeps in `helm package` (sorted, space-separated),
 * or "ERR " and Helm's error, for the tree in {@link HELMIGNORE_TREE} (plus Chart.yaml and .helmignore).
 */
export const HELMIGNORE_TREE: string[] = [
  "a.txt",
  "b.log",
  "templates/x.yaml",
  "templates/.hidden",
  "templates/sub/.h2",
  "templates/_helpers.tpl",
  "sub/a.txt",
  "sub/deep/a.txt",
  "sub/deep/b.log",
  ".git/config",
  "docs/a.md",
  "docs/[x].md",
  "x y/z.txt",
  "values.yaml",
  "README.md",
  "charts/c/Chart.yaml",
];

export const HELMIGNORE_CASES: [patterns: string, kept: string][] = [
  [
    "",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "*.txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml",
  ],
  [
    "/a.txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "sub/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md templates/_helpers.tpl templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "sub",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md templates/_helpers.tpl templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "deep/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "sub/*",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "sub/*/a.txt",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  ["*.txt\n!sub/a.txt", "ERR Chart.yaml file is missing"],
  ["!a.txt", "ERR Chart.yaml file is missing"],
  ["**/a.txt", "ERR double-star (**) syntax is not supported"],
  ["[", "ERR syntax error in pattern"],
  [
    "  *.log  ",
    ".git/config .helmignore Chart.yaml README.md a.txt charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "# *.log",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    ".*",
    "Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/x.yaml values.yaml x y/z.txt",
  ],
  ["!*.txt\n*.txt", "ERR Chart.yaml file is missing"],
  [
    "*.txt\n/sub/a.txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml",
  ],
  [
    "a.???",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "[ab].txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "[!a].txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "[^a].txt",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml",
  ],
  [
    "docs/\\[x\\].md",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "x y/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml",
  ],
  ["*", "ERR Chart.yaml file is missing"],
  [
    "templates/*",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log values.yaml x y/z.txt",
  ],
  [
    "templates/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log values.yaml x y/z.txt",
  ],
  [
    "*.md\nREADME.md",
    ".git/config .helmignore Chart.yaml a.txt b.log charts/c/Chart.yaml sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "/*.txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "deep",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "sub/deep/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "/sub/deep/b.log",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "values.yaml",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml x y/z.txt",
  ],
  [
    "charts/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "c",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  ["*/", ".helmignore Chart.yaml README.md a.txt b.log values.yaml"],
  [
    "a.txt/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "\\a.txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "[a-c].txt",
    ".git/config .helmignore Chart.yaml README.md b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "[z-a].txt",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  ["a\\", "ERR syntax error in pattern"],
  ["sub/**", "ERR double-star (**) syntax is not supported"],
  [
    "???.log",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "#x\n\n  \n*.log",
    ".git/config .helmignore Chart.yaml README.md a.txt charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  ["!", "ERR Chart.yaml file is missing"],
  [
    "/",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "./a.txt",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "sub/./a.txt",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    ".git",
    ".helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "templates/.?*",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
  [
    "*.TXT",
    ".git/config .helmignore Chart.yaml README.md a.txt b.log charts/c/Chart.yaml docs/[x].md docs/a.md sub/a.txt sub/deep/a.txt sub/deep/b.log templates/_helpers.tpl templates/sub/.h2 templates/x.yaml values.yaml x y/z.txt",
  ],
];

/** Write the table's tree with a .helmignore; returns the chart directory. */
export function writeIgnoreTree(patterns: string): string {
  const c = join(tempDir(), "ch");
  mkdirSync(c, { recursive: true });
  writeFileSync(join(c, "Chart.yaml"), "apiVersion: v2\nname: ch\nversion: 0.1.0\n");
  writeFileSync(join(c, ".helmignore"), `${patterns}\n`);
  for (const f of HELMIGNORE_TREE) {
    mkdirSync(dirname(join(c, f)), { recursive: true });
    const text = f.endsWith("Chart.yaml")
      ? "apiVersion: v2\nname: c\nversion: 0.1.0\n"
      : f.endsWith(".yaml")
        ? "a: 1\n"
        : "x\n";
    writeFileSync(join(c, f), text);
  }
  return c;
}
