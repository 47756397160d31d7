/** `helm get all|values|manifest|hooks|notes|metadata RELEASE`: what a release revision recorded. */
import type { Command } from "@commander-js/extra-typings";
import { toYaml } from "../chart/engine/funcs/serialize.ts";
import { type AnyCommand, defineCommand, defineGroup, intFlag, settingsOf } from "../cli/program.ts";
import { releaseNamespace, releaseService } from "../cli/release-service.ts";
import { jsonToGo } from "../tiller/release/chart-record.ts";
import type { JsonValue, Release } from "../tiller/release/release.ts";
import { recordLabels } from "../tiller/storage/driver.ts";
import { formatStructured, type OutputFormat, outputFormat, statusText } from "./release-output.ts";

/** Values as Helm's `get values` prints them: YAML (null as `null`) or JSON. */
function valuesText(v: JsonValue | undefined, format: OutputFormat): string {
  if (format !== "table") return formatStructured(v ?? null, format);
  return `${toYaml(jsonToGo(v ?? null))}\n`;
}

function hooksText(rls: Release): string {
  return (rls.hooks ?? []).map((h) => `---\n# Source: ${h.path}\n${h.manifest}\n`).join("");
}

export function registerGet(root: Command): void {
  const group = defineGroup(root, {
    use: "get",
    short: "download extended information of a named release",
    long: `This command consists of multiple subcommands which can be used to
get extended information about the release, including:

- The values used to generate the release
- The generated manifest file
- The notes provided by the chart of the release
- The hooks associated with the release
- The metadata of the release`,
  });
  /** A `get` subcommand taking RELEASE_NAME and --revision. */
  const sub = (use: string, short: string) =>
    defineCommand(group, { use: `${use} RELEASE_NAME`, short, args: { exactly: 1 } }).option(
      "--revision <int>",
      "get the named release with revision",
      intFlag("--revision"),
      0,
    );
  const load = async (cmd: AnyCommand, name: string, revision: number) => {
    const settings = settingsOf(cmd);
    const service = await releaseService(settings);
    return service.get(name, await releaseNamespace(settings), revision);
  };

  const values = sub("values", "download the values file for a named release")
    .option("-a, --all", "dump all (computed) values")
    .option(
      "-o, --output <format>",
      "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
      "table",
    );
  values.action(async (args, opts) => {
    const format = outputFormat(opts.output);
    const rls = await load(values, args[0]!, opts.revision);
    if (opts.all) {
      const { allValues } = await import("../tiller/embedded.ts");
      const computed = JSON.parse(
        JSON.stringify(allValues(rls), (_k, x) => (typeof x === "bigint" ? Number(x) : x)),
      );
      process.stdout.write(
        format === "table"
          ? `COMPUTED VALUES:\n${valuesText(computed, format)}`
          : valuesText(computed, format),
      );
      return;
    }
    process.stdout.write(
      format === "table"
        ? `USER-SUPPLIED VALUES:\n${valuesText(rls.config, format)}`
        : valuesText(rls.config, format),
    );
  });

  const manifest = sub("manifest", "download the manifest for a named release");
  manifest.action(async (args, opts) => {
    process.stdout.write(`${(await load(manifest, args[0]!, opts.revision)).manifest}\n`);
  });

  const hooks = sub("hooks", "download all hooks for a named release");
  hooks.action(async (args, opts) => {
    process.stdout.write(hooksText(await load(hooks, args[0]!, opts.revision)));
  });

  const notes = sub("notes", "download the notes for a named release");
  notes.action(async (args, opts) => {
    const rls = await load(notes, args[0]!, opts.revision);
    if (rls.info.notes) process.stdout.write(`NOTES:\n${rls.info.notes}\n`);
  });

  const metadata = sub("metadata", "This command fetches metadata for a given release").option(
    "-o, --output <format>",
    "prints the output in the specified format. Allowed values: table, json, yaml (default table)",
    "table",
  );
  metadata.action(async (args, opts) => {
    const format = outputFormat(opts.output);
    const rls = await load(metadata, args[0]!, opts.revision);
    const md = rls.chart.metadata ?? {};
    const labels = recordLabels(rls);
    const m = {
      name: rls.name,
      chart: String(md.name ?? ""),
      version: String(md.version ?? ""),
      appVersion: String(md.appVersion ?? ""),
      ...(md.annotations ? { annotations: md.annotations } : {}),
      labels,
      ...(md.dependencies ? { dependencies: md.dependencies } : {}),
      namespace: rls.namespace,
      revision: rls.version,
      status: rls.info.status,
      deployedAt: (rls.info.last_deployed ?? "").replace(/\.\d+Z$/, "Z"),
      applyMethod: rls.apply_method ?? "",
    };
    if (format !== "table") {
      process.stdout.write(formatStructured(m, format));
      return;
    }
    const kv = (o: unknown) =>
      Object.entries((o ?? {}) as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(",");
    const method =
      m.applyMethod === "ssa"
        ? "server-side apply"
        : m.applyMethod === "csa"
          ? "client-side apply"
          : m.applyMethod;
    process.stdout.write(
      [
        `NAME: ${m.name}`,
        `CHART: ${m.chart}`,
        `VERSION: ${m.version}`,
        `APP_VERSION: ${m.appVersion}`,
        `ANNOTATIONS: ${kv(md.annotations)}`,
        `LABELS: ${kv(labels)}`,
        `DEPENDENCIES: ${((md.dependencies ?? []) as { name?: string }[]).map((d) => d.name).join(",")}`,
        `NAMESPACE: ${m.namespace}`,
        `REVISION: ${m.revision}`,
        `STATUS: ${m.status}`,
        `DEPLOYED_AT: ${m.deployedAt}`,
        `APPLY_METHOD: ${method}`,
        "",
      ].join("\n"),
    );
  });

  const all = sub("all", "download all information for a named release").option(
    "--template <string>",
    "go template for formatting the output, eg: {{.Release.Name}}",
  );
  all.action(async (args, opts) => {
    const rls = await load(all, args[0]!, opts.revision);
    if (opts.template !== undefined) {
      process.stdout.write(await renderReleaseTemplate(opts.template, rls));
      return;
    }
    const { allValues } = await import("../tiller/embedded.ts");
    const md = rls.chart.metadata ?? {};
    const head = statusText(rls, { hideNotes: true }).replace(
      /^(REVISION: .*\n)/m,
      `$1CHART: ${String(md.name ?? "")}\nVERSION: ${String(md.version ?? "")}\nAPP_VERSION: ${String(md.appVersion ?? "")}\n`,
    );
    const notes = rls.info.notes ? `NOTES:\n${rls.info.notes}` : "";
    process.stdout.write(
      `${head}USER-SUPPLIED VALUES:\n${valuesText(rls.config, "table")}\nCOMPUTED VALUES:\n${toYaml(allValues(rls))}\n\nHOOKS:\n${hooksText(rls)}MANIFEST:\n${rls.manifest}\n${notes}`,
    );
  });
}

/** `get all --template`: the release under Go's field names (`{{.Release.Name}}`, `{{.Release.Info.Status}}`…). */
async function renderReleaseTemplate(text: string, rls: Release): Promise<string> {
  const { TemplateSet } = await import("../chart/engine/index.ts");
  const { buildFuncMap } = await import("../chart/engine/funcs/index.ts");
  const md = rls.chart.metadata ?? {};
  const data = jsonToGo({
    Release: {
      Name: rls.name,
      Namespace: rls.namespace,
      Version: rls.version,
      Manifest: rls.manifest,
      Config: rls.config ?? null,
      Info: {
        Status: rls.info.status,
        Description: rls.info.description ?? "",
        Notes: rls.info.notes ?? "",
        FirstDeployed: rls.info.first_deployed ?? "",
        LastDeployed: rls.info.last_deployed ?? "",
      },
      Chart: {
        Metadata: { Name: md.name ?? "", Version: md.version ?? "", AppVersion: md.appVersion ?? "" },
      },
    },
  });
  const set = new TemplateSet({}).addFuncs(buildFuncMap());
  set.parse("get-all", text);
  return set.execute("get-all", data);
}
