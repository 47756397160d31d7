/** The download spinner: drawn on a terminal only, erased before other output and at the end. */
import { describe, expect, test } from "bun:test";
import { spinnerAllowed, withSpinner } from "../../src/cli/spinner.ts";

function fakeTerminal(isTTY = true) {
  const writes: string[] = [];
  const stream = {
    isTTY,
    write: (chunk: string) => {
      writes.push(String(chunk));
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("spinner", () => {
  test("spins on a terminal while the work runs, then erases its line and returns the result", async () => {
    const { stream, writes } = fakeTerminal();
    const result = await withSpinner(
      "Pulling nginx",
      async () => {
        await sleep(250);
        return 42;
      },
      { stream, env: {} },
    );
    expect(result).toBe(42);
    const frames = writes.filter((w) => w.includes("Pulling nginx"));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames[0]).toMatch(/^\r. Pulling nginx\x1b\[K$/);
    expect(writes.at(-1)).toBe("\r\x1b[K");
  });

  test("erases its line before anything else is written, and restores the streams", async () => {
    const { stream, writes } = fakeTerminal();
    const original = process.stdout.write;
    await withSpinner(
      "Updating",
      async () => {
        await sleep(120);
        process.stdout.write("");
        expect(writes.at(-1)).toBe("\r\x1b[K");
      },
      { stream, env: {} },
    );
    expect(process.stdout.write).toBe(original);
  });

  test("an error in the work still erases the line and is passed on", async () => {
    const { stream, writes } = fakeTerminal();
    const failing = withSpinner(
      "x",
      async () => {
        await sleep(100);
        throw new Error("boom");
      },
      { stream, env: {} },
    );
    await expect(failing).rejects.toThrow("boom");
    expect(writes.at(-1)).toBe("\r\x1b[K");
  });

  test("nothing is drawn when stderr is not a terminal, with --debug, in CI or on a dumb terminal", async () => {
    for (const [opts, isTTY] of [
      [{ env: {} }, false],
      [{ env: {}, debug: true }, true],
      [{ env: { CI: "true" } }, true],
      [{ env: { TERM: "dumb" } }, true],
    ] as const) {
      const { stream, writes } = fakeTerminal(isTTY);
      expect(spinnerAllowed({ ...opts, stream })).toBe(false);
      await withSpinner("quiet", () => sleep(100), { ...opts, stream });
      expect(writes).toEqual([]);
    }
  });
});

describe("repo update on a pseudo-terminal", () => {
  test("shows the spinner on the terminal only; piped output has none of it", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { spawn } = await import("node:child_process");
    const { HELM_TS } = await import("../support/binary.ts");
    const { isolatedHelmEnv } = await import("../support/oracle.ts");
    const index = 'apiVersion: v1\nentries: {}\ngenerated: "2026-01-01T00:00:00Z"\n';
    // A slow repository, so the spinner has time to turn.
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: async () => {
        await sleep(400);
        return new Response(index);
      },
    });
    try {
      const env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-spin-")), { TERM: "xterm" });
      mkdirSync(env.HELM_CONFIG_HOME!, { recursive: true });
      writeFileSync(
        join(env.HELM_CONFIG_HOME!, "repositories.yaml"),
        `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- name: slow\n  url: http://127.0.0.1:${server.port}\n`,
      );
      const run = (cmd: string, args: string[]) =>
        new Promise<string>((resolve) => {
          const child = spawn(cmd, args, { env });
          let out = "";
          child.stdout.on("data", (d) => {
            out += String(d);
          });
          child.on("close", () => resolve(out));
        });
      const onTerminal = await run("script", ["-qc", `${HELM_TS} repo update`, "/dev/null"]);
      expect(onTerminal).toContain("Updating repositories");
      expect(onTerminal).toContain("\r\x1b[K");
      expect(onTerminal).toContain('Successfully got an update from the "slow" chart repository');
      const piped = await run(HELM_TS, ["repo", "update"]);
      expect(piped).not.toContain("\x1b");
      expect(piped).toContain("Update Complete. ⎈Happy Helming!⎈");
    } finally {
      server.stop(true);
    }
  }, 30_000);
});
