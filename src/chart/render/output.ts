/** What `helm template` prints for a rendered chart: CRDs (optional), manifests, then hooks. */
import type { Chart } from "../chart.ts";
import { type Manifest, printManifests, type SortedManifests } from "./manifests.ts";

export interface TemplateOutputOptions {
  /** `--show-only`: template paths (globs) relative to the chart, e.g. `templates/svc.yaml`. */
  showOnly?: string[];
  includeCrds?: boolean;
  skipTests?: boolean;
  noHooks?: boolean;
}

/** CRD files of a chart and its subcharts, as manifests named `chart/…/crds/x.yaml`. */
export function crdManifests(chart: Chart, prefix = chart.metadata.name): Manifest[] {
  const own = chart.files
    .filter((f) => f.name.startsWith("crds/") && /\.(ya?ml|json)$/.test(f.name))
    .map((f) => {
      const content = Buffer.from(f.data).toString("utf8").trim();
      return {
        name: `${prefix}/${f.name}`,
        content,
        apiVersion: "",
        kind: "CustomResourceDefinition",
        metadataName: "",
      };
    });
  return [
    ...own,
    ...chart.dependencies.flatMap((d) => crdManifests(d, `${prefix}/charts/${d.metadata.name}`)),
  ];
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, "[^/]")}$`,
  );
  return re.test(name);
}

/** The text `helm template` prints. */
export function templateOutput(
  { manifests, hooks }: SortedManifests,
  chart: Chart,
  opts: TemplateOutputOptions = {},
): string {
  const shownHooks = opts.noHooks ? [] : hooks.filter((h) => !(opts.skipTests && h.events.includes("test")));
  let items: Manifest[] = [...(opts.includeCrds ? crdManifests(chart) : []), ...manifests, ...shownHooks];
  if (opts.showOnly && opts.showOnly.length > 0) {
    const chartName = chart.metadata.name;
    const relative = (m: Manifest) => m.name.slice(chartName.length + 1);
    for (const pattern of opts.showOnly) {
      if (!items.some((m) => globMatch(pattern, relative(m)))) {
        throw new Error(`could not find template ${pattern} in chart`);
      }
    }
    items = items.filter((m) => opts.showOnly!.some((p) => globMatch(p, relative(m))));
  }
  return printManifests(items);
}
