/** The compiled binary's foundation commands, compared with real Helm v4.1.4 where Helm has them. */
import { beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HELM_TS, helmTs, ROOT, runExe } from "../support/binary.ts";
import { isolatedHelmEnv, oraclePaths } from "../support/oracle.ts";

let env: Record<string, string>;
let realHelm: string;

beforeAll(() => {
  env = isolatedHelmEnv(mkdtempSync(join(tmpdir(), "helmts-cli-")));
  realHelm = oraclePaths().helm;
});

function both(args: string[], extraEnv: Record<string, string> = {}) {
  const e = { ...env, ...extraEnv };
  return { ours: helmTs(args, e), theirs: runExe(realHelm, args, e) };
}

describe("version", () => {
  test("prints BuildInfo with Helm's field layout and the commit we were built from", () => {
    const { stdout, status } = helmTs(["version"], env);
    expect(status).toBe(0);
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
    expect(stdout).toMatch(
      /^version\.BuildInfo\{Version:"v4\.1\.4\+helmts\.\d+\.\d+\.\d+", GitCommit:"[0-9a-f]{40}", GitTreeState:"(clean|dirty)", GoVersion:"bun[\d.]+", KubeClientVersion:"v1\.34", HelmTsVersion:"[\d.]+"\}\n$/,
    );
    expect(stdout).toContain(`GitCommit:"${head}"`);
  });

  test("--short prints the semver with the short commit", () => {
    const { stdout } = helmTs(["version", "--short"], env);
    expect(stdout).toMatch(/^v4\.1\.4\+helmts\.[\d.]+\.g[0-9a-f]{7}\n$/);
  });

  test("--template renders Go template syntax against BuildInfo", () => {
    const { stdout, status } = helmTs(
      ["version", "--template", '{{.Version}}|{{ printf "%.6s" .GitCommit }}|{{ .KubeClientVersion }}'],
      env,
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/^v4\.1\.4\+helmts\.[\d.]+\|[0-9a-f]{6}\|v1\.34$/);
  });

  test("--template errors are Helm's, word for word", () => {
    for (const t of ["{{.Foo}}", "{{.Version", "{{ nope }}"]) {
      const { ours, theirs } = both(["version", "--template", t]);
      expect(ours.status).toBe(1);
      expect(ours.stderr).toBe(theirs.stderr);
    }
  });

  test("arguments are refused as Helm refuses them", () => {
    const { ours, theirs } = both(["version", "extra"]);
    expect(ours.status).toBe(1);
    expect(ours.stderr).toBe(theirs.stderr);
  });
});

describe("env", () => {
  test("prints the same variables and values as real Helm (HELM_BIN aside)", () => {
    const { ours, theirs } = both(["env"]);
    expect(ours.status).toBe(0);
    const strip = (s: string) => s.replace(/^HELM_BIN=.*\n/m, "");
    expect(strip(ours.stdout)).toBe(strip(theirs.stdout));
    expect(ours.stdout).toContain(`HELM_BIN="${HELM_TS}"`);
  });

  test("flags and environment variables change the effective values as in Helm", () => {
    const args = ["-n", "team", "--kube-context", "ctx", "--burst-limit", "42", "--qps", "3.5", "env"];
    const extra = { HELM_CACHE_HOME: "/tmp/c", XDG_CONFIG_HOME: "/tmp/xdg", HELM_KUBEASGROUPS: "a,b" };
    const { ours, theirs } = both(args, extra);
    const strip = (s: string) => s.replace(/^HELM_BIN=.*\n/m, "");
    expect(strip(ours.stdout)).toBe(strip(theirs.stdout));
    expect(ours.stdout).toContain('HELM_NAMESPACE="team"');
  });

  test("one variable by name", () => {
    const { ours, theirs } = both(["env", "HELM_NAMESPACE"], { HELM_NAMESPACE: "ns1" });
    expect(ours.stdout).toBe("ns1\n");
    expect(ours.stdout).toBe(theirs.stdout);
  });
});

describe("usage errors read like Helm's", () => {
  const cases: [string, string[]][] = [
    ["unknown command", ["frobnicate"]],
    ["unknown long flag", ["version", "--bogus"]],
    ["unknown shorthand flag", ["-x", "version"]],
    ["missing flag value (long)", ["version", "--namespace"]],
    ["missing flag value (short)", ["version", "-n"]],
    ["bad integer flag", ["--burst-limit", "lots", "version"]],
    ["completion takes no arguments", ["completion", "bash", "extra"]],
  ];
  for (const [name, args] of cases) {
    test(name, () => {
      const { ours, theirs } = both(args);
      expect(theirs.status).toBe(1);
      expect(ours.status).toBe(1);
      expect(ours.stderr.split("\n")[0]).toBe(theirs.stderr.split("\n")[0]);
    });
  }
});

describe("help", () => {
  test("no command prints the root help, exit 0", () => {
    const r = helmTs([], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toStartWith("The Kubernetes package manager\n");
    expect(r.stdout).toContain("Available Commands:");
    expect(r.stdout).toContain("  version     print the helm version information");
  });

  test("`help CMD` and `CMD --help` show the command's usage and flags", () => {
    const a = helmTs(["help", "version"], env);
    const b = helmTs(["version", "--help"], env);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("Usage:\n  helm version [flags]\n");
    expect(a.stdout).toContain("      --short             print the version number");
    expect(a.stdout).toContain("  -n, --namespace string");
  });
});

describe("completion", () => {
  function bashComplete(line: string): string[] {
    const script = helmTs(["completion", "bash"], env).stdout;
    const words = line.split(" ");
    const program = [
      script.replaceAll("complete -o nosort", "#"),
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})`,
      `COMP_CWORD=${words.length - 1}`,
      "__helm_complete",
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join("\n");
    const dir = mkdtempSync(join(tmpdir(), "helmts-bin-"));
    symlinkSync(HELM_TS, join(dir, "helm"));
    const r = runExe("bash", ["-c", program], { ...env, PATH: `${dir}:${env.PATH}` });
    expect(r.stderr).toBe("");
    return r.stdout.split("\n").filter(Boolean);
  }

  test("bash completes commands, subcommands and flags through __complete", () => {
    expect(bashComplete("helm ver")).toEqual(["verify", "version"]);
    expect(bashComplete("helm completion ")).toEqual(["bash", "fish", "powershell", "zsh"]);
    expect(bashComplete("helm version --s")).toEqual(["--short"]);
    expect(bashComplete("helm -n foo ver")).toEqual(["verify", "version"]);
    expect(bashComplete("helm --kube-c")).toEqual(["--kube-ca-file", "--kube-context"]);
  });

  test("__complete speaks cobra's protocol like real Helm", () => {
    const { ours, theirs } = both(["__complete", "version", "--sh"]);
    expect(ours.stdout).toBe(theirs.stdout);
  });

  test("every shell gets a script that calls __complete", () => {
    for (const shell of ["bash", "zsh", "fish", "powershell"]) {
      const r = helmTs(["completion", shell], env);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("__complete");
    }
    expect(helmTs(["completion", "tcsh"], env).stdout).toContain("Generate autocompletion scripts");
  });
});

describe("tiller", () => {
  test("the binary started as `tiller` behaves as `helm tiller`", () => {
    const dir = mkdtempSync(join(tmpdir(), "helmts-tiller-"));
    const link = join(dir, "tiller");
    symlinkSync(HELM_TS, link);
    const viaLink = runExe(link, ["--help"], env);
    const viaHelm = helmTs(["tiller", "--help"], env);
    expect(viaLink.status).toBe(0);
    expect(viaLink.stdout).toBe(viaHelm.stdout);
    expect(viaLink.stdout).toContain("serve");
  });
});

describe("deno", () => {
  test("`deno run -A src/main.ts` runs version and env from source", () => {
    const deno = join(ROOT, "node_modules", ".bin", "deno");
    const v = runExe(deno, ["run", "-A", join(ROOT, "src", "main.ts"), "version"], {
      ...env,
      DENO_NO_UPDATE_CHECK: "1",
    });
    expect(v.stderr).toBe("");
    expect(v.stdout).toMatch(/GoVersion:"deno[\d.]+"/);
    const e = runExe(
      deno,
      ["run", "-A", join(ROOT, "src", "main.ts"), "-n", "dn", "env", "HELM_NAMESPACE"],
      env,
    );
    expect(e.stdout).toBe("dn\n");
  });
});
