/** `helm tiller`: the release server half of the binary (`helm tiller serve`). */
import { readFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import { buildInfo, helmBuild } from "../cli/build-info.ts";
import { UserError } from "../cli/errors.ts";
import { logToStderr } from "../cli/log.ts";
import { defineCommand, defineGroup, intFlag, settingsOf } from "../cli/program.ts";
import { kubeFlags } from "../cli/release-service.ts";

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** Register `helm tiller` and `helm tiller serve`. */
export function registerTiller(root: Command): void {
  const group = defineGroup(root, {
    use: "tiller",
    short: "run the Tiller release server (gRPC)",
    long: `Tiller is the release server: it renders charts and manages releases on behalf of clients
that connect over gRPC (helm --host). The same binary started as 'tiller' behaves as 'helm tiller'.

Every caller must authenticate: with a Kubernetes bearer token (checked with a TokenReview; Tiller
then impersonates the caller, so RBAC decides what each user may do) or, with --tls-verify, with a
client certificate (CN = user, O = groups). --insecure serves plain text to anyone, acting with
Tiller's own rights; use it only for local experiments.`,
  });
  // Helm 2's tiller binary took its flags directly: `tiller --listen …` means `tiller serve --listen …`.
  const cmd = defineCommand(group, {
    use: "serve",
    short: "start the Tiller gRPC server",
    args: { none: true },
    isDefault: true,
  })
    .option("--listen <string>", "address:port to listen on", ":44134")
    .option("--probe-listen <string>", "address:port for health probes and /metrics", ":44135")
    .option(
      "--storage <string>",
      "storage driver: secret, configmap, memory or sql (HELM_DRIVER_SQL_CONNECTION_STRING)",
      process.env.HELM_DRIVER || "secret",
    )
    .option(
      "--history-max <int>",
      "maximum number of releases kept in release history, with 0 meaning no limit",
      intFlag("--history-max"),
      Number(process.env.TILLER_HISTORY_MAX ?? 10),
    )
    .option("--log-level <string>", "log level: debug, info, warn, error", "info")
    .option("--tls", "enable TLS")
    .option("--tls-cert <string>", "path to TLS certificate file", "tls.crt")
    .option("--tls-key <string>", "path to TLS private key file", "tls.key")
    .option("--tls-verify", "enable TLS and verify client certificates (mTLS)")
    .option("--tls-ca-cert <string>", "trust certificates signed by this CA", "ca.crt")
    .option(
      "--insecure",
      "serve plain text and accept unauthenticated callers (acting with Tiller's own rights)",
    )
    .option(
      "--max-message-size <int>",
      "largest request accepted, in bytes",
      intFlag("--max-message-size"),
      32 << 20,
    )
    .option(
      "--max-calls-per-caller <int>",
      "operations one caller may run at once",
      intFlag("--max-calls-per-caller"),
      8,
    );
  cmd.action(async (_args, opts) => {
    const settings = settingsOf(cmd);
    if (!(LOG_LEVELS as readonly string[]).includes(opts.logLevel)) {
      throw new UserError(`invalid --log-level "${opts.logLevel}": must be one of ${LOG_LEVELS.join(", ")}`);
    }
    const useTls = opts.tls === true || opts.tlsVerify === true;
    if (!useTls && !opts.insecure) {
      throw new UserError(
        "refusing to serve plain text without authentication: use --tls/--tls-verify, or --insecure for local experiments",
      );
    }
    const read = (path: string, what: string) => {
      try {
        return readFileSync(path);
      } catch (err) {
        throw new UserError(`cannot read ${what} ${path}: ${(err as Error).message}`);
      }
    };
    const quiet = opts.logLevel === "warn" || opts.logLevel === "error";
    const log = (level: "INFO" | "WARN" | "ERROR", msg: string, attrs?: [string, string][]) => {
      if (level === "INFO" && quiet) return;
      logToStderr(level, msg, attrs);
    };
    if (opts.insecure)
      log(
        "WARN",
        "serving without TLS or required authentication (--insecure): anyone who can reach the port acts with Tiller's rights",
      );
    const { startTiller } = await import("../tiller/grpc/server.ts");
    const tiller = await startTiller({
      listen: opts.listen,
      probeListen: opts.probeListen,
      insecure: opts.insecure === true,
      tls: useTls
        ? {
            cert: read(opts.tlsCert, "--tls-cert"),
            key: read(opts.tlsKey, "--tls-key"),
            ca: opts.tlsVerify ? read(opts.tlsCaCert, "--tls-ca-cert") : undefined,
            verify: opts.tlsVerify === true,
          }
        : undefined,
      kube: kubeFlags(settings),
      driver: opts.storage,
      sqlConnectionString: process.env.HELM_DRIVER_SQL_CONNECTION_STRING,
      maxHistory: opts.historyMax,
      schemaCacheDir: settings.schemaCache,
      helm: helmBuild(),
      maxMessageBytes: opts.maxMessageSize,
      perCallerConcurrency: opts.maxCallsPerCaller,
      version: `v2.17.0+helmts.${buildInfo().Version.replace(/^v/, "")}`,
      log,
    });
    log("INFO", "tiller serving", [
      ["grpc", `${opts.listen.replace(/:\d+$/, "")}:${tiller.port}`],
      ["probes", `${opts.probeListen.replace(/:\d+$/, "")}:${tiller.probePort}`],
    ]);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log("INFO", "shutting down; letting in-flight operations finish", [["signal", signal]]);
        tiller.shutdown(60_000).then(resolve);
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
  });
}
