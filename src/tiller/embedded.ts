/**
 * The embedded Tiller: the release service running inside the client process, talking straight
 * to the API server. The Kubernetes client, discovery and storage are created on first use, so
 * commands that fail early (bad flags, bad chart) never touch the network.
 */

import type { Chart } from "../chart/chart.ts";
import type { GoMap } from "../chart/engine/value.ts";
import { type Capabilities, capabilities, type HelmBuildInfo } from "../chart/render/builtins.ts";
import type { ValuesLog } from "../chart/values/coalesce.ts";
import { coalesceTablesInto, copyValues } from "../chart/values/coalesce.ts";
import type { DiffReport } from "../diff/changes.ts";
import type { ActionContext, RenderedRelease } from "./actions/context.ts";
import { install } from "./actions/install.ts";
import { LeaseLocks, MemoryLocks } from "./actions/lock.ts";
import { rollback, rollbackSource, rollbackTarget } from "./actions/rollback.ts";
import { runTests, type TestRequest, type TestResult } from "./actions/test.ts";
import { uninstall } from "./actions/uninstall.ts";
import { currentOf, upgrade } from "./actions/upgrade.ts";
import type { KubeClient } from "./kube/client.ts";
import type { KubeFlags } from "./kube/connection.ts";
import type { LookupFn } from "./kube/lookup.ts";
import type { WaitProgress } from "./kube/resource-client.ts";
import { chartFromStored, goToJson, jsonToGoMap, storedChart } from "./release/chart-record.ts";
import { type JsonValue, RELEASE_STATUSES, type Release, type ReleaseStatus } from "./release/release.ts";
import type {
  DeployOptions,
  DiffRevisionsOptions,
  DiffRollbackOptions,
  DiffUpgradeOptions,
  InstallOptions,
  ListOptions,
  ReleaseService,
  RollbackOptions,
  UninstallOptions,
  UpgradeOptions,
} from "./service.ts";
import { type Driver, recordLabels } from "./storage/driver.ts";
import { MemoryDriver, MemoryStore } from "./storage/memory.ts";
import { Storage } from "./storage/storage.ts";

export interface EmbeddedConfig {
  kube: KubeFlags;
  /** `secret` (default), `configmap`, `memory` or `sql` — Helm's HELM_DRIVER. */
  driver: string;
  /** The `sql` driver's database (HELM_DRIVER_SQL_CONNECTION_STRING). */
  sqlConnectionString?: string;
  maxHistory: number;
  /** Where compiled values.schema.json validators are kept between runs (none: compile each time). */
  schemaCacheDir?: string;
  helm: HelmBuildInfo;
  /** Warnings and progress for the user. */
  log: (line: string) => void;
  valuesLog?: ValuesLog;
  waitProgress?: WaitProgress;
}

type JsonObject = { [key: string]: JsonValue };

/** Helm 4's default `list` states: every state (of each release's newest revision). */
const DEFAULT_LIST_STATES: readonly ReleaseStatus[] = RELEASE_STATUSES;

export class EmbeddedReleaseService implements ReleaseService {
  private kubeClient: Promise<KubeClient> | undefined;
  private readonly memory = new MemoryStore();
  private readonly memoryLocks = new MemoryLocks();

  constructor(private readonly config: EmbeddedConfig) {}

  private kube(): Promise<KubeClient> {
    this.kubeClient ??= import("./kube/client.ts").then(({ KubeClient }) =>
      KubeClient.create(this.config.kube),
    );
    return this.kubeClient;
  }

  /** A request's namespace; "" means the kube context's (Helm's default). */
  private async ns(namespace: string): Promise<string> {
    return namespace || (await this.kube()).namespace;
  }

  private async driver(namespace: string): Promise<Driver> {
    switch (this.config.driver) {
      case "memory":
        return new MemoryDriver(this.memory, namespace);
      case "sql": {
        // Loaded here: the PostgreSQL client is only needed by the sql driver.
        const { SqlDatabase, SqlDriver } = await import("./storage/sql.ts");
        return new SqlDriver(await SqlDatabase.shared(this.config.sqlConnectionString ?? ""), namespace);
      }
      case "configmap":
      case "configmaps": {
        const { configMapsDriver } = await import("./storage/configmaps.ts");
        return configMapsDriver(await this.kube(), namespace);
      }
      case "secret":
      case "secrets":
      case "": {
        const { secretsDriver } = await import("./storage/secrets.ts");
        return secretsDriver(await this.kube(), namespace);
      }
      default:
        throw new Error(`unknown driver "${this.config.driver}"`);
    }
  }

  private async context(namespace: string): Promise<ActionContext> {
    const storage = new Storage(await this.driver(namespace), this.config.maxHistory);
    const kube = await this.kube();
    const { KubeResourceClient } = await import("./kube/resource-client.ts");
    return {
      storage,
      kube: new KubeResourceClient(kube.inNamespace(namespace), this.config.waitProgress),
      locks: this.config.driver === "memory" ? this.memoryLocks : new LeaseLocks(kube),
      log: this.config.log,
      now: () => new Date(),
    };
  }

  /** `.Capabilities` of the cluster (or Helm's defaults for a client-side dry run). */
  private async capabilities(opts: DeployOptions): Promise<Capabilities> {
    if (opts.dryRun === "client") {
      return capabilities({
        kubeVersion: opts.kubeVersion,
        extraApiVersions: opts.apiVersions,
        helm: this.config.helm,
      });
    }
    const kube = await this.kube();
    const [version, apiVersions] = await Promise.all([kube.serverVersion(), kube.discovery.apiVersions()]);
    return capabilities({
      kubeVersion: version.gitVersion,
      apiVersions,
      extraApiVersions: opts.apiVersions,
      helm: this.config.helm,
    });
  }

  private renderer(opts: DeployOptions & { name: string }, chart: Chart, isUpgrade: boolean) {
    // Fetched now, while the operation takes its lock and reads history.
    const capsPromise = this.capabilities(opts);
    capsPromise.catch(() => {}); // reported when awaited
    return async (revision: number, values: GoMap): Promise<RenderedRelease> => {
      // Loaded here: the template engine is not needed to read or list releases.
      const { prepareRender, postRendered, renderRelease } = await import("./actions/render-release.ts");
      await prepareRender(chart, {
        schemaCacheDir: this.config.schemaCacheDir,
        skipSchemaValidation: opts.skipSchemaValidation,
      });
      const caps = await capsPromise;
      // Values warnings of the final pass only (lookups may render the chart more than once).
      let warnings: Parameters<ValuesLog>[] = [];
      const render = (lookup?: LookupFn) => {
        warnings = [];
        return renderRelease({
          chart,
          values,
          name: opts.name,
          namespace: opts.namespace,
          revision,
          isUpgrade,
          capabilities: caps,
          subchartNotes: opts.subchartNotes,
          skipSchemaValidation: opts.skipSchemaValidation,
          schemaCacheDir: this.config.schemaCacheDir,
          log: (...w) => warnings.push(w),
          lookup,
        });
      };
      let rendered: RenderedRelease;
      if (opts.dryRun === "client") rendered = render();
      else {
        const { renderWithLookups } = await import("./kube/lookup.ts");
        rendered = await renderWithLookups(await this.kube(), render, (msg, attrs) =>
          this.config.valuesLog?.("ERROR", msg, attrs),
        );
      }
      for (const w of warnings) this.config.valuesLog?.(...w);
      return opts.postRender ? postRendered(rendered, opts.postRender) : rendered;
    };
  }

  private async clientDryRunContext(namespace: string): Promise<ActionContext> {
    return {
      storage: new Storage(new MemoryDriver(new MemoryStore(), namespace)),
      kube: {
        namespace,
        apply: async () => {},
        get: async () => undefined,
        delete: async () => [],
        waitReady: async () => {},
        waitDeleted: async () => {},
        podLogs: async () => "",
      },
      locks: new MemoryLocks(),
      log: this.config.log,
      now: () => new Date(),
    };
  }

  async install(input: InstallOptions): Promise<Release> {
    const opts = {
      ...input,
      namespace: input.dryRun === "client" ? input.namespace || "default" : await this.ns(input.namespace),
    };
    const ctx =
      opts.dryRun === "client"
        ? await this.clientDryRunContext(opts.namespace)
        : await this.context(opts.namespace);
    const render = this.renderer(opts, opts.chart, false);
    return install(ctx, {
      ...opts,
      chart: storedChart(opts.chart),
      config: goToJson(opts.values) as JsonObject,
      render: (revision) => render(revision, opts.values),
    });
  }

  async upgrade(input: UpgradeOptions): Promise<Release> {
    const opts = { ...input, namespace: await this.ns(input.namespace) };
    const ctx = await this.context(opts.namespace);
    // With --reuse-values the old release's coalesced values become the chart's defaults.
    let chart = opts.chart;
    const render = (revision: number, config: JsonObject) =>
      this.renderer(opts, chart, true)(revision, jsonToGoMap(config));
    return upgrade(ctx, {
      ...opts,
      dryRun: opts.dryRun !== undefined,
      chart: storedChart(opts.chart),
      config: (previous) => {
        const { config, chartValues } = upgradeValues(opts, previous, this.config.log);
        if (chartValues) chart = { ...opts.chart, values: chartValues };
        return config;
      },
      render,
    });
  }

  async rollback(input: RollbackOptions): Promise<Release> {
    const opts = { ...input, namespace: await this.ns(input.namespace) };
    return rollback(await this.context(opts.namespace), opts);
  }

  async uninstall(input: UninstallOptions) {
    const opts = { ...input, namespace: await this.ns(input.namespace) };
    return uninstall(await this.context(opts.namespace), opts);
  }

  async test(input: TestRequest): Promise<TestResult> {
    const opts = { ...input, namespace: await this.ns(input.namespace) };
    return runTests(await this.context(opts.namespace), opts);
  }

  async history(name: string, namespace: string): Promise<Release[]> {
    const storage = new Storage(await this.driver(await this.ns(namespace)));
    const h = await storage.history(name);
    if (h.length === 0) throw new Error("release: not found");
    return h;
  }

  async status(name: string, namespace: string, revision: number) {
    const ns = await this.ns(namespace);
    const release = await this.get(name, ns, revision);
    const { releaseResources } = await import("./status/resources.ts");
    return {
      release,
      resources: await releaseResources((await this.kube()).inNamespace(ns), release.manifest),
    };
  }

  async get(name: string, namespace: string, revision: number): Promise<Release> {
    const storage = new Storage(await this.driver(await this.ns(namespace)));
    if (revision > 0) return storage.get(name, revision);
    return storage.last(name);
  }

  async list(opts: ListOptions): Promise<Release[]> {
    const driver = await this.driver(opts.allNamespaces ? "" : await this.ns(opts.namespace));
    const states = opts.statuses?.length ? opts.statuses : DEFAULT_LIST_STATES;
    // Superseded revisions are never the newest; asking only for them lists every one (as Helm).
    const onlySuperseded = states.length === 1 && states[0] === "superseded";
    const shown = onlySuperseded ? await driver.list(() => true) : await driver.latest();
    const matches = selectorMatcher(opts.selector ?? "");
    return shown.filter((r) => states.includes(r.info.status) && matches(recordLabels(r))).map(summary);
  }

  async diffUpgrade(input: DiffUpgradeOptions): Promise<DiffReport> {
    const namespace = await this.ns(input.namespace);
    const history = await new Storage(await this.driver(namespace)).history(input.name);
    const newest = history[history.length - 1];
    const installs = !newest || newest.info.status === "uninstalled";
    if (installs && !input.install) throw new Error(`"${input.name}" has no deployed releases`);
    // Rendered as the upgrade (or install) would render it, storing nothing.
    const dryRun = input.dryRun === "client" ? "client" : "server";
    const opts = { ...input, namespace, dryRun } as const;
    const next = installs ? await this.install({ ...opts, replace: true }) : await this.upgrade(opts);
    const current = installs ? undefined : currentOf(input.name, history);
    const { diffLive, diffReleases } = await import("./actions/diff.ts");
    if (dryRun === "client") return diffReleases(current, next, namespace, input);
    const { KubeResourceClient } = await import("./kube/resource-client.ts");
    const cluster = new KubeResourceClient((await this.kube()).inNamespace(namespace));
    return diffLive(cluster, { ...input, current, next });
  }

  async diffRollback(input: DiffRollbackOptions): Promise<DiffReport> {
    const history = await this.history(input.name, input.namespace);
    const target = rollbackTarget(history, input.revision);
    const { diffReleases } = await import("./actions/diff.ts");
    return diffReleases(rollbackSource(history), target, await this.ns(input.namespace), input);
  }

  async diffRevisions(input: DiffRevisionsOptions): Promise<DiffReport> {
    const history = await this.history(input.name, input.namespace);
    const revision = (n: number) => {
      const rls = history.find((r) => r.version === n);
      if (!rls) throw new Error(`release ${input.name} has no revision ${n}`);
      return rls;
    };
    const from = revision(input.from);
    const to = input.to === undefined ? history[history.length - 1]! : revision(input.to);
    const { diffReleases } = await import("./actions/diff.ts");
    return diffReleases(from, to, await this.ns(input.namespace), input);
  }
}

/**
 * A label selector (`-l`): comma-separated `k=v`, `k==v`, `k!=v`, as Helm accepts on list.
 * Errors read as Kubernetes' selector parser's.
 */
export function selectorMatcher(selector: string): (labels: Record<string, string>) => boolean {
  const terms = selector
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(t);
      if (!m)
        throw new Error(`unable to parse requirement: found '${t}', expected: '=', '!=', '==', 'in', notin'`);
      return { key: m[1]!, negate: m[2] === "!=", value: m[3]! };
    });
  return (labels) => terms.every((t) => (labels[t.key] === t.value) !== t.negate);
}

/** A release without its bulk (chart files, values, manifest, hooks): what listings need. */
function summary(r: Release): Release {
  return {
    name: r.name,
    namespace: r.namespace,
    version: r.version,
    info: r.info,
    chart: {
      metadata: r.chart.metadata,
      lock: null,
      templates: null,
      values: null,
      schema: null,
      files: null,
    },
    manifest: "",
    ...(r.labels ? { labels: r.labels } : {}),
  };
}

/**
 * The values of an upgrade's new revision, by Helm's rules: --reset-values takes only what was
 * given now; --reuse-values merges the given values over the previous revision's and renders
 * with the previous chart defaults; --reset-then-reuse-values merges over the previous values
 * with the new chart's defaults; with none of these and no values given, the previous are kept.
 */
export function upgradeValues(
  opts: Pick<UpgradeOptions, "values" | "reuseValues" | "resetValues" | "resetThenReuseValues" | "name">,
  previous: Release,
  log: (line: string) => void,
): { config: JsonObject; chartValues?: GoMap } {
  const given = goToJson(opts.values) as JsonObject;
  const old = jsonToGoMap(previous.config ?? {});
  if (opts.resetValues) return { config: given };
  if (opts.reuseValues) {
    const oldChartValues = coalesceTablesInto(copyValues(old), jsonToGoMap(previous.chart.values ?? {}));
    return {
      config: goToJson(coalesceTablesInto(copyValues(opts.values), old)) as JsonObject,
      chartValues: oldChartValues,
    };
  }
  if (opts.resetThenReuseValues) {
    return { config: goToJson(coalesceTablesInto(copyValues(opts.values), old)) as JsonObject };
  }
  if (Object.keys(given).length === 0 && Object.keys(previous.config ?? {}).length > 0) {
    log(`copying values from ${previous.name} (v${previous.version}) to new release.`);
    return { config: previous.config as JsonObject };
  }
  return { config: given };
}

/** The coalesced values of a stored revision (`helm get values --all`). */
export function allValues(rls: Release): GoMap {
  const chart = chartFromStored(rls.chart);
  return coalesceTablesInto(jsonToGoMap(rls.config ?? {}), chart.values);
}
