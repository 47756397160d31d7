/** Liquid templates (beyond Helm): opt-in per chart or per file, same built-in objects, bounded. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helmTs } from "../../support/binary.ts";
import { isolatedHelmEnv } from "../../support/oracle.ts";

const root = mkdtempSync(join(tmpdir(), "helmts-liquid-"));
const env = isolatedHelmEnv(join(root, "home"));

function chart(name: string, files: Record<string, string>, annotation = false): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(
    join(dir, "Chart.yaml"),
    `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${annotation ? "annotations:\n  helm-ts/engine: liquid\n" : ""}`,
  );
  writeFileSync(join(dir, "values.yaml"), "name: world\nitems: [a, b]\n");
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

describe("Liquid templates", () => {
  test("the example chart renders", () => {
    const r = helmTs(
      ["template", "r", join(import.meta.dir, "..", "..", "..", "examples", "liquid-hello")],
      env,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('greeting: "HELLO from liquid-hello/templates/configmap.yaml"');
    expect(r.stdout).toContain('ports: "80,443"');
  });

  test("install (client dry run) and lint render Liquid too (liquidjs is loaded only for such charts)", () => {
    const example = join(import.meta.dir, "..", "..", "..", "examples", "liquid-hello");
    const install = helmTs(["install", "r", example, "--dry-run=client"], {
      ...env,
      KUBECONFIG: join(env.HOME ?? "/nonexistent", "no-kubeconfig"),
    });
    expect(install.stderr).toBe("");
    expect(install.status).toBe(0);
    expect(install.stdout).toContain('greeting: "HELLO from liquid-hello/templates/configmap.yaml"');
    const lint = helmTs(["lint", example], env);
    expect(lint.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(lint.status).toBe(0);
  });

  test("a .liquid file renders beside Go templates, under its name without the suffix", () => {
    const dir = chart("mixed", {
      "templates/a.yaml.liquid":
        "liquid: {{ Values.name }} {{ Release.Name }} {{ Values.items | join: '+' }}\n",
      "templates/b.yaml": "go: {{ .Values.name }} {{ .Release.Name }}\n",
    });
    const r = helmTs(["template", "rel", dir], env);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "---\n# Source: mixed/templates/a.yaml\nliquid: world rel a+b\n---\n# Source: mixed/templates/b.yaml\ngo: world rel\n",
    );
  });

  test("partials come from the chart's own templates", () => {
    const dir = chart(
      "partials",
      {
        "templates/_name.liquid": "n-{{ Values.name }}",
        "templates/x.yaml": "name: {% render '_name.liquid', Values: Values %}\n",
      },
      true,
    );
    const r = helmTs(["template", "r", dir], env);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("name: n-world");
  });

  test("errors name the file, line and column; nothing is printed", () => {
    const dir = chart("bad", { "templates/x.yaml": "a: 1\nb: {{ Values.name | nosuchfilter }}\n" }, true);
    const r = helmTs(["template", "r", dir], env);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("liquid error at (bad/templates/x.yaml:2:");
    expect(r.stderr).toContain("undefined filter: nosuchfilter");
  });

  test("files outside the chart cannot be included", () => {
    const dir = chart("escape", { "templates/x.yaml": "{% include '/etc/passwd' %}\n" }, true);
    const r = helmTs(["template", "r", dir], env);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain("root:");
  });

  test("huge output and runaway loops are bounded", () => {
    const dir = chart(
      "hostile",
      {
        "templates/x.yaml":
          "{% for i in (1..100000000) %}{% for j in (1..100000000) %}xxxxxxxx{% endfor %}{% endfor %}\n",
      },
      true,
    );
    const t0 = performance.now();
    const r = helmTs(["template", "r", dir], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("liquid error at (hostile/templates/x.yaml");
    expect(performance.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});
