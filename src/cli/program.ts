/**
 * The root command: Helm's global flags, cobra-style help, and Helm's wording for usage errors.
 * Command files add themselves with {@link defineCommand}; they stay thin.
 */
import { Command, type Help, Option } from "@commander-js/extra-typings";
import { setColorMode } from "./color.ts";
import { UserError } from "./errors.ts";
import { type EnvSettings, type GlobalFlags, resolveSettings } from "./settings.ts";

const ROOT_LONG = `The Kubernetes package manager

Common actions for Helm:

- helm search:    search for charts
- helm pull:      download a chart to your local directory to view
- helm install:   upload the chart to Kubernetes
- helm list:      list releases of charts

Environment variables:

| Name                               | Description                                                                                                |
|------------------------------------|------------------------------------------------------------------------------------------------------------|
| $HELM_CACHE_HOME                   | set an alternative location for storing cached files.                                                      |
| $HELM_CONFIG_HOME                  | set an alternative location for storing Helm configuration.                                                |
| $HELM_DATA_HOME                    | set an alternative location for storing Helm data.                                                         |
| $HELM_DEBUG                        | indicate whether or not Helm is running in Debug mode                                                      |
| $HELM_DRIVER                       | set the backend storage driver. Values are: configmap, secret, memory, sql.                                |
| $HELM_DRIVER_SQL_CONNECTION_STRING | set the connection string the SQL storage driver should use.                                               |
| $HELM_MAX_HISTORY                  | set the maximum number of helm release history.                                                            |
| $HELM_NAMESPACE                    | set the namespace used for the helm operations.                                                            |
| $HELM_NO_PLUGINS                   | disable plugins. Set HELM_NO_PLUGINS=1 to disable plugins.                                                 |
| $HELM_PLUGINS                      | set the path to the plugins directory                                                                      |
| $HELM_REGISTRY_CONFIG              | set the path to the registry config file.                                                                  |
| $HELM_REPOSITORY_CACHE             | set the path to the repository cache directory                                                             |
| $HELM_REPOSITORY_CONFIG            | set the path to the repositories file.                                                                     |
| $HELM_RANDOM_SEED                  | seed every random template function, for reproducible renders (helm-ts).                                   |
| $KUBECONFIG                        | set an alternative Kubernetes configuration file (default "~/.kube/config")                                |
| $HELM_KUBEAPISERVER                | set the Kubernetes API Server Endpoint for authentication                                                  |
| $HELM_KUBECAFILE                   | set the Kubernetes certificate authority file.                                                             |
| $HELM_KUBEASGROUPS                 | set the Groups to use for impersonation using a comma-separated list.                                      |
| $HELM_KUBEASUSER                   | set the Username to impersonate for the operation.                                                         |
| $HELM_KUBECONTEXT                  | set the name of the kubeconfig context.                                                                    |
| $HELM_KUBETOKEN                    | set the Bearer KubeToken used for authentication.                                                          |
| $HELM_KUBEINSECURE_SKIP_TLS_VERIFY | indicate if the Kubernetes API server's certificate validation should be skipped (insecure)                |
| $HELM_KUBETLS_SERVER_NAME          | set the server name used to validate the Kubernetes API server certificate                                 |
| $HELM_BURST_LIMIT                  | set the default burst limit in the case the server contains many CRDs (default 100, -1 to disable)         |
| $HELM_QPS                          | set the Queries Per Second in cases where a high number of calls exceed the option for higher burst values |
| $HELM_COLOR                        | set color output mode. Allowed values: never, always, auto (default: never)                                |
| $NO_COLOR                          | set to any non-empty value to disable all colored output (overrides $HELM_COLOR)                           |

Helm stores cache, configuration, and data based on the following configuration order:

- If a HELM_*_HOME environment variable is set, it will be used
- Otherwise, on systems supporting the XDG base directory specification, the XDG variables will be used
- When no other location is set a default location will be used based on the operating system

By default, the default directories depend on the Operating System. The defaults are listed below:

| Operating System | Cache Path                | Configuration Path             | Data Path               |
|------------------|---------------------------|--------------------------------|-------------------------|
| Linux            | $HOME/.cache/helm         | $HOME/.config/helm             | $HOME/.local/share/helm |
| macOS            | $HOME/Library/Caches/helm | $HOME/Library/Preferences/helm | $HOME/Library/helm      |
| Windows          | %TEMP%\\helm               | %APPDATA%\\helm                 | %APPDATA%\\helm          |`;

/** Go-style integer flag parser (`strconv.ParseInt` wording on error). */
export function intFlag(flag: string): (value: string) => number {
  return (value) => {
    if (!/^[+-]?\d+$/.test(value)) {
      throw new UserError(
        `invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`,
      );
    }
    return Number.parseInt(value, 10);
  };
}

/** Go-style float flag parser. */
export function floatFlag(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) {
      throw new UserError(
        `invalid argument "${value}" for "${flag}" flag: strconv.ParseFloat: parsing "${value}": invalid syntax`,
      );
    }
    return n;
  };
}

/** A repeatable string flag (pflag's `stringArray`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A repeatable flag whose values may also be comma-separated (pflag's `stringSlice`). */
export function collectSlice(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(",")];
}

/** How many positional arguments a command takes, checked with Helm's messages. */
export type ArgRule =
  | { exactly: number }
  | { min: number; max?: number }
  | { max: number }
  | { none: true }
  | { any: true };

/** Any command, whatever its typed arguments and options. */
// biome-ignore lint/suspicious/noExplicitAny: commander's typed generics are invariant; the tree mixes them.
export type AnyCommand = Command<any, any, any>;

/** What a command declares about itself. `use` is cobra's usage line without `helm`. */
export interface CommandSpec {
  use: string;
  short: string;
  long?: string;
  aliases?: string[];
  args?: ArgRule;
  hidden?: boolean;
  /** Run this subcommand when the parent is given none (e.g. `tiller` → `tiller serve`). */
  isDefault?: boolean;
}

/** Add a subcommand with cobra-style help text and Helm's argument-count checking. */
export function defineCommand(parent: AnyCommand, spec: CommandSpec) {
  const name = spec.use.split(" ")[0]!;
  const cmd = new Command(name)
    .summary(spec.short)
    .description(spec.long ?? spec.short)
    .argument("[args...]")
    .allowExcessArguments(true);
  cmd.copyInheritedSettings(parent);
  for (const alias of spec.aliases ?? []) cmd.alias(alias);
  usageLines.set(cmd, spec.use);
  if (spec.args) argRules.set(cmd, spec.args);
  parent.addCommand(cmd, { hidden: spec.hidden ?? false, isDefault: spec.isDefault ?? false });
  return cmd;
}

/** Add a command that only groups subcommands: run alone it prints its help, as cobra does. */
export function defineGroup(parent: AnyCommand, spec: Omit<CommandSpec, "args">) {
  const group = defineCommand(parent, spec);
  usageLines.delete(group);
  group.action(() => group.outputHelp());
  return group;
}

const usageLines = new WeakMap<AnyCommand, string>();
const argRules = new WeakMap<AnyCommand, ArgRule>();

/** Full command path, e.g. `helm repo add`. */
/** A deprecated flag: using it prints cobra's deprecation line on stderr, as Helm does. */
export function warnDeprecated(cmd: AnyCommand, flag: string, advice: string): void {
  cmd.on(`option:${flag}`, () => process.stderr.write(`Flag --${flag} has been deprecated, ${advice}\n`));
}

export function commandPath(cmd: AnyCommand): string {
  const names: string[] = [];
  for (let c: AnyCommand | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function usageLine(cmd: AnyCommand): string {
  const use = usageLines.get(cmd);
  const parentPath = cmd.parent ? commandPath(cmd.parent) : "";
  if (!use) return `${commandPath(cmd)} [command]`;
  return `${parentPath} ${use}`.trim();
}

/** Check positional arguments against the command's rule (run before every action). */
function checkArgs(cmd: AnyCommand, args: string[]): void {
  const rule = argRules.get(cmd);
  if (!rule || "any" in rule) return;
  const path = commandPath(cmd);
  const usage = `\nUsage:  ${usageLine(cmd)} [flags]`;
  const plural = (n: number) => (n === 1 ? "argument" : "arguments");
  if ("none" in rule) {
    if (args.length > 0) throw new UserError(`"${path}" accepts no arguments`, 1, usage);
    return;
  }
  if ("exactly" in rule && args.length !== rule.exactly) {
    throw new UserError(`"${path}" requires ${rule.exactly} ${plural(rule.exactly)}`, 1, usage);
  }
  if ("min" in rule && args.length < rule.min) {
    throw new UserError(`"${path}" requires at least ${rule.min} ${plural(rule.min)}`, 1, usage);
  }
  const max = "max" in rule ? rule.max : undefined;
  if (max !== undefined && args.length > max) {
    throw new UserError(`"${path}" accepts at most ${max} ${plural(max)}; received ${args.length}`, 1, usage);
  }
}

/** The effective settings for a running command (global flags + environment). */
export function settingsOf(cmd: AnyCommand): EnvSettings {
  let root: AnyCommand = cmd;
  while (root.parent) root = root.parent;
  return resolveSettings(root.opts() as GlobalFlags);
}

/** Build the root `helm` command with Helm's global flags. */
export function createRootCommand(): Command {
  const root = new Command("helm")
    .summary("The Helm package manager for Kubernetes.")
    .description(ROOT_LONG)
    .option(
      "--burst-limit <int>",
      "client-side default throttling limit (default 100)",
      intFlag("--burst-limit"),
    )
    .option("--color <string>", 'use colored output (never, auto, always) (default "auto")')
    .addOption(new Option("--colour <string>", 'use colored output (never, auto, always) (default "auto")'))
    .option("--content-cache <string>", "path to the directory containing cached content (e.g. charts)")
    .option("--debug", "enable verbose output")
    .option("--kube-apiserver <string>", "the address and the port for the Kubernetes API server")
    .option(
      "--kube-as-group <stringArray>",
      "group to impersonate for the operation, this flag can be repeated to specify multiple groups.",
      collect,
    )
    .option("--kube-as-user <string>", "username to impersonate for the operation")
    .option(
      "--kube-ca-file <string>",
      "the certificate authority file for the Kubernetes API server connection",
    )
    .option("--kube-context <string>", "name of the kubeconfig context to use")
    .option(
      "--kube-insecure-skip-tls-verify",
      "if true, the Kubernetes API server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
    )
    .option(
      "--kube-tls-server-name <string>",
      "server name to use for Kubernetes API server certificate validation. If it is not provided, the hostname used to contact the server is used",
    )
    .option("--kube-token <string>", "bearer token used for authentication")
    .option("--kubeconfig <string>", "path to the kubeconfig file")
    .option("-n, --namespace <string>", "namespace scope for this request")
    .addOption(
      new Option(
        "--host <string>",
        "address of a remote Tiller (helm tiller serve); overrides $TILLER_HOST",
      ).hideHelp(),
    )
    .addOption(
      new Option(
        "--tiller-namespace <string>",
        'namespace of Tiller; without --host, reach it by a port-forward to its pod (default "kube-system")',
      ).hideHelp(),
    )
    .addOption(
      new Option(
        "--tiller-connection-timeout <int>",
        "the duration (in seconds) Helm will wait to establish a connection to Tiller (default 300)",
      )
        .argParser(intFlag("--tiller-connection-timeout"))
        .hideHelp(),
    )
    .option(
      "--qps <float32>",
      "queries per second used when communicating with the Kubernetes API, not including bursting",
      floatFlag("--qps"),
    )
    .option("--registry-config <string>", "path to the registry config file")
    .option("--repository-cache <string>", "path to the directory containing cached repository indexes")
    .option("--repository-config <string>", "path to the file containing repository names and URLs")
    .helpOption("-h, --help", "help for helm")
    .helpCommand("help [command]", "Help about any command")
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .configureHelp({
      showGlobalOptions: true,
      formatHelp: (cmd, helper) => cobraHelp(cmd as unknown as Command, helper),
    });
  root.hook("preAction", (_root, actionCmd) => {
    setColorMode(settingsOf(root).color);
    checkArgs(actionCmd, (actionCmd.processedArgs[0] as string[] | undefined) ?? []);
  });
  root.argument("[command]").action((name) => {
    if (name !== undefined) {
      throw new UserError(`unknown command "${name}" for "helm"`, 1, "Run 'helm --help' for usage.");
    }
    root.outputHelp();
  });
  return root;
}

function flagLine(flags: string): string {
  // commander writes `--namespace <string>`; pflag shows `--namespace string`.
  const shown = flags.replace(/[<[]([^>\]]+)[>\]]/g, "$1");
  return shown.startsWith("--") ? `    ${shown}` : shown;
}

function formatOptions(options: readonly { flags: string; description: string; long?: string }[]): string {
  // pflag lists flags sorted by their long name.
  const sorted = [...options].sort((a, b) => (a.long ?? "").localeCompare(b.long ?? ""));
  const lines = sorted.map((o) => [flagLine(o.flags), o.description] as const);
  const width = Math.max(...lines.map(([f]) => f.length));
  return lines.map(([f, d]) => `  ${f.padEnd(width)}   ${d}`.trimEnd()).join("\n");
}

/** Help in cobra's layout, so `helm X --help` reads like Helm's. */
function cobraHelp(cmd: Command, helper: Help): string {
  const parts: string[] = [];
  parts.push(`${cmd.description()}\n`);
  const subcommands = helper.visibleCommands(cmd as never).filter((c) => c.name() !== "help" || !cmd.parent);
  parts.push("Usage:");
  if (usageLines.has(cmd) || !cmd.parent) {
    if (usageLines.has(cmd)) parts.push(`  ${usageLine(cmd)} [flags]`);
  }
  if (subcommands.length > 0) parts.push(`  ${commandPath(cmd)} [command]`);
  parts.push("");
  if (cmd.aliases().length > 0) parts.push(`Aliases:\n  ${[cmd.name(), ...cmd.aliases()].join(", ")}\n`);
  if (subcommands.length > 0) {
    const sorted = [...subcommands].sort((a, b) => a.name().localeCompare(b.name()));
    // cobra pads names to the longest one, but to at least 11 columns, then adds one space.
    const width = Math.max(11, ...sorted.map((c) => c.name().length));
    parts.push("Available Commands:");
    for (const c of sorted) parts.push(`  ${c.name().padEnd(width)} ${c.summary() || c.description()}`);
    parts.push("");
  }
  const own = helper.visibleOptions(cmd as never).filter((o) => !o.hidden);
  const help = own.find((o) => o.long === "--help");
  if (help) help.description = `help for ${cmd.name()}`;
  if (own.length > 0) parts.push(`Flags:\n${formatOptions(own)}\n`);
  if (cmd.parent) {
    const globals = helper.visibleGlobalOptions(cmd as never).filter((o) => o.long !== "--help" && !o.hidden);
    if (globals.length > 0) parts.push(`Global Flags:\n${formatOptions(globals)}\n`);
  }
  if (subcommands.length > 0) {
    parts.push(`Use "${commandPath(cmd)} [command] --help" for more information about a command.`);
  }
  return `${parts.join("\n").trimEnd()}\n`;
}

/** Translate commander's usage errors into Helm's (cobra/pflag) wording. */
export function helmUsageError(code: string, message: string, cmdPath: string, argv: string[]): UserError {
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
  switch (code) {
    case "commander.unknownOption": {
      if (quoted.startsWith("--")) return new UserError(`unknown flag: ${quoted.split("=")[0]}`);
      return new UserError(`unknown shorthand flag: '${quoted.slice(1, 2)}' in ${quoted}`);
    }
    case "commander.optionMissingArgument": {
      const long = /--[\w-]+/.exec(quoted)?.[0];
      const short = /^-(\w),/.exec(quoted)?.[1];
      const typedShort = short !== undefined && !argv.includes(long ?? "");
      return new UserError(
        typedShort
          ? `flag needs an argument: '${short}' in -${short}`
          : `flag needs an argument: ${long ?? quoted}`,
      );
    }
    case "commander.unknownCommand":
      return new UserError(
        `unknown command "${quoted}" for "${cmdPath}"`,
        1,
        `Run '${cmdPath} --help' for usage.`,
      );
    default:
      return new UserError(message.replace(/^error: /, ""));
  }
}
