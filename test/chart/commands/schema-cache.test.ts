/**
 * Every command that validates values against values.schema.json keeps the compiled validator
 * under $HELM_CACHE_HOME/helm-ts/schemas, and a cached validator still refuses bad values.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { helmTs } from "../../support/binary.ts";
import { isolatedHelmEnv } from "../../support/oracle.ts";
import { temp } from "./support.ts";

function chartWithSchema(): string {
  const dir = join(temp(), "schemed");
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: schemed\nversion: 1.0.0\n");
  writeFileSync(join(dir, "values.yaml"), "port: 80\n");
  writeFileSync(
    join(dir, "values.schema.json"),
    JSON.stringify({ type: "object", properties: { port: { type: "integer", minimum: 1 } } }),
  );
  writeFileSync(
    join(dir, "templates", "cm.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: {{ .Values.port | quote }}\n",
  );
  return dir;
}

const commands: Record<string, (chart: string) => string[]> = {
  template: (chart) => ["template", "r", chart],
  lint: (chart) => ["lint", chart],
  "install --dry-run=client": (chart) => ["install", "r", chart, "--dry-run=client"],
};

describe("compiled values schemas are cached between runs", () => {
  for (const [name, args] of Object.entries(commands)) {
    test(name, () => {
      const home = temp("helmts-schemacache-");
      const env = { ...isolatedHelmEnv(home), KUBECONFIG: join(home, "absent") };
      const chart = chartWithSchema();
      const schemas = join(home, "cache", "helm-ts", "schemas"); // isolatedHelmEnv's HELM_CACHE_HOME

      const first = helmTs(args(chart), env);
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(readdirSync(schemas).filter((f) => f.endsWith(".js"))).toHaveLength(1);

      const again = helmTs(args(chart), env);
      expect(again.status).toBe(0);
      expect(again.stdout.replace(/LAST DEPLOYED: .*/, "")).toBe(
        first.stdout.replace(/LAST DEPLOYED: .*/, ""),
      );

      const bad = helmTs([...args(chart), "--set", "port=0"], env);
      expect(bad.status).toBe(1);
      expect(bad.stdout + bad.stderr).toContain("port");
      expect(bad.stdout + bad.stderr).toContain("minimum");
    });
  }

  test("a damaged cached validator is compiled again, not trusted", () => {
    const home = temp("helmts-schemacache-");
    const env = { ...isolatedHelmEnv(home), KUBECONFIG: join(home, "absent") };
    const chart = chartWithSchema();
    const schemas = join(home, "cache", "helm-ts", "schemas");
    expect(helmTs(["template", "r", chart], env).status).toBe(0);
    const [file] = readdirSync(schemas).filter((f) => f.endsWith(".js"));
    writeFileSync(join(schemas, file!), "module.exports = (");
    const again = helmTs(["template", "r", chart, "--set", "port=0"], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("minimum");
    expect(readFileSync(join(schemas, file!), "utf8")).not.toBe("module.exports = (");
  });
});
