/** Colour decisions (`--color`, HELM_COLOR, NO_COLOR, TERM) and Helm's colour bytes; tables that line up coloured cells. */
import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatTable, truncateCell } from "../../src/chart/uitable.ts";
import {
  colorEnabled,
  colorHeader,
  colorNamespace,
  colorStatus,
  envColorMode,
  parseColorMode,
  setColorMode,
} from "../../src/cli/color.ts";
import { helmTs, runExe } from "../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;
const saved = { NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM, HELM_COLOR: process.env.HELM_COLOR };

afterEach(() => {
  setColorMode(undefined);
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("colorEnabled", () => {
  test("auto colours a terminal only, and not when TERM=dumb", () => {
    delete process.env.NO_COLOR;
    delete process.env.HELM_COLOR;
    process.env.TERM = "xterm";
    expect(colorEnabled(tty)).toBe(true);
    expect(colorEnabled(pipe)).toBe(false);
    process.env.TERM = "dumb";
    expect(colorEnabled(tty)).toBe(false);
  });

  test("--color always/never override the terminal check; NO_COLOR overrides everything", () => {
    delete process.env.NO_COLOR;
    process.env.TERM = "dumb";
    setColorMode("always");
    expect(colorEnabled(pipe)).toBe(true);
    setColorMode("never");
    expect(colorEnabled(tty)).toBe(false);
    setColorMode("always");
    process.env.NO_COLOR = "1";
    expect(colorEnabled(tty)).toBe(false);
    process.env.NO_COLOR = "";
    expect(colorEnabled(pipe)).toBe(true);
  });

  test("HELM_COLOR is the default mode; an unknown value means auto", () => {
    delete process.env.NO_COLOR;
    process.env.HELM_COLOR = "always";
    expect(colorEnabled(pipe)).toBe(true);
    expect(envColorMode({ HELM_COLOR: "bogus" })).toBe("auto");
    expect(envColorMode({})).toBe("auto");
    expect(envColorMode({ HELM_COLOR: "never" })).toBe("never");
  });

  test("a bad --color value is refused with Helm's message", () => {
    expect(() => parseColorMode("sometimes")).toThrow(
      'invalid color mode "sometimes": must be one of: never, auto, always',
    );
  });
});

describe("Helm's colours", () => {
  test("statuses, namespaces and headers use fatih/color's sequences", () => {
    expect(colorStatus("deployed", true)).toBe("\x1b[32mdeployed\x1b[0m");
    expect(colorStatus("failed", true)).toBe("\x1b[31mfailed\x1b[0m");
    expect(colorStatus("unknown", true)).toBe("\x1b[31munknown\x1b[0m");
    for (const s of ["pending-install", "pending-upgrade", "pending-rollback", "uninstalling"]) {
      expect(colorStatus(s, true)).toBe(`\x1b[33m${s}\x1b[0m`);
    }
    expect(colorStatus("superseded", true)).toBe("superseded");
    expect(colorStatus("uninstalled", true)).toBe("uninstalled");
    expect(colorStatus("deployed", false)).toBe("deployed");
    expect(colorNamespace("ns", true)).toBe("\x1b[36mns\x1b[0m");
    expect(colorHeader("NAME", true)).toBe("\x1b[1mNAME\x1b[22m");
  });
});

describe("formatTable", () => {
  test("pads by what the terminal shows, so coloured cells line up as in Helm", () => {
    const out = formatTable([
      [colorHeader("NAME", true), colorHeader("STATUS", true)],
      ["x", colorStatus("deployed", true)],
    ]);
    expect(out).toBe("\x1b[1mNAME\x1b[22m\t\x1b[1mSTATUS\x1b[22m  \nx   \t\x1b[32mdeployed\x1b[0m\n");
  });

  test("cuts cells to the maximum column width with uitable's ...", () => {
    expect(truncateCell("abcdefghij", 6)).toBe("abc...");
    expect(truncateCell("abcdefghij", 3)).toBe("a...");
    expect(truncateCell("abcdefghij", 1)).toBe("a...");
    expect(truncateCell("abcd", 4)).toBe("abcd");
    expect(truncateCell("abc", 0)).toBe("abc");
    expect(formatTable([["long description here", "b"]], 10)).toBe("long de...\tb\n");
  });
});

describe("--color on the command line, against real Helm", () => {
  let env: Record<string, string>;
  beforeAll(() => {
    env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-color-")));
  });

  test("a bad --color fails every command with Helm's 'command failed' line and exit 1", () => {
    for (const args of [
      ["version", "--color", "bogus"],
      ["env", "--colour=bogus"],
    ]) {
      const ours = helmTs(args, env);
      const theirs = runExe(oraclePaths().helm, args, env);
      expect(ours.status).toBe(1);
      expect(ours.status).toBe(theirs.status);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.stdout).toBe(theirs.stdout);
    }
  });

  test("a bad HELM_COLOR is ignored (auto), as Helm does", () => {
    const ours = helmTs(["env", "HELM_NAMESPACE"], { ...env, HELM_COLOR: "bogus" });
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe("default\n");
  });
});
