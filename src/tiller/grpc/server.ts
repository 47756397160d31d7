/**
 * `helm tiller serve`: the release service over gRPC. Helm 2 clients speak
 * `hapi.services.tiller.ReleaseService`; our client speaks `helmts.tiller.v1.Extensions`. Both
 * run the embedded release service, once per request, as the caller: every request is
 * authenticated (bearer token → TokenReview, or a verified client certificate) and every
 * Kubernetes call impersonates the caller, unless the server runs with `--insecure`. Requests
 * are bounded in size and in concurrency per caller; probes and Prometheus metrics are served
 * on a second port; SIGTERM lets in-flight operations finish.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import * as grpc from "@grpc/grpc-js";
import type { GoMap } from "../../chart/engine/value.ts";
import { parseValues } from "../../chart/engine/yaml.ts";
import { ReleaseBusyError } from "../actions/lock.ts";
import { type EmbeddedConfig, EmbeddedReleaseService } from "../embedded.ts";
import type { KubeClient } from "../kube/client.ts";
import { KubeApiError } from "../kube/rest.ts";
import { RELEASE_STATUSES, type Release } from "../release/release.ts";
import type { ReleaseService } from "../service.ts";
import { BadRequestError, dispatchCall } from "./calls.ts";
import { API_CLIENT_HEADER, EXTENSIONS_SERVICE, RELEASE_SERVICE } from "./definitions.ts";
import { hapi, type helmts } from "./gen/protos.js";
import { chartFromHapi, releaseToHapi, statusFromCode } from "./hapi.ts";
import { certificateIdentity, type Identity, reviewToken, UnauthenticatedError } from "./identity.ts";
import { fromWireJson, toWireJson } from "./wire-json.ts";

export interface TillerConfig extends Omit<EmbeddedConfig, "log" | "valuesLog" | "waitProgress"> {
  listen: string;
  probeListen: string;
  /** Serve plain text and accept unauthenticated callers (acting with Tiller's own rights). */
  insecure: boolean;
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer; verify: boolean };
  /** Largest request accepted (a chart archive travels in one message). */
  maxMessageBytes: number;
  /** Operations one caller may have in flight. */
  perCallerConcurrency: number;
  /** The version Tiller reports (GetVersion). */
  version: string;
  log: (level: "INFO" | "WARN" | "ERROR", msg: string, attrs?: [string, string][]) => void;
}

export interface RunningTiller {
  port: number;
  probePort: number;
  /** Stop accepting calls, let in-flight ones finish (up to `graceMs`), then close. */
  shutdown(graceMs: number): Promise<void>;
}

/** `:44134` → `0.0.0.0:44134`. */
function bindAddress(listen: string): string {
  return listen.startsWith(":") ? `0.0.0.0${listen}` : listen;
}

function grpcError(err: unknown): Partial<grpc.StatusObject> {
  const message = err instanceof Error ? err.message : String(err);
  let code = grpc.status.UNKNOWN;
  if (err instanceof UnauthenticatedError) code = grpc.status.UNAUTHENTICATED;
  else if (err instanceof BadRequestError) code = grpc.status.INVALID_ARGUMENT;
  else if (err instanceof ReleaseBusyError) code = grpc.status.ABORTED;
  else if (err instanceof IncompatibleClientError) code = grpc.status.FAILED_PRECONDITION;
  else if (err instanceof KubeApiError && err.code === 403) code = grpc.status.PERMISSION_DENIED;
  else if (message === "release: not found" || /not found/.test(message)) code = grpc.status.NOT_FOUND;
  return { code, details: message.replace(/\n/g, " ") };
}

class IncompatibleClientError extends Error {
  override name = "IncompatibleClientError";
}

/**
 * Helm 2 clients announce their version; as Tiller did, one of another minor release is refused
 * (Helm 2 changed its messages between minors). Our own client (Helm 4 numbering) is always accepted.
 */
function checkClientVersion(client: unknown, server: string): void {
  if (typeof client !== "string" || !client.startsWith("v2.")) return;
  const minor = (v: string) => v.replace(/^v/, "").split(".").slice(0, 2).join(".");
  if (minor(client) !== minor(server)) {
    throw new IncompatibleClientError(`incompatible versions client[${client}] server[${server}]`);
  }
}

/** How long a TokenReview answer is trusted. */
const TOKEN_REVIEW_TTL_MS = 10_000;

/** A map that forgets its oldest entries past `max` (insertion order = age). */
class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, v: V): V {
    this.entries.delete(key);
    this.entries.set(key, v);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return v;
  }

  get(key: string, make: () => V): V {
    return this.entries.get(key) ?? this.set(key, make());
  }
}

/** Per-method call counts and latencies, printed in Prometheus' text format. */
class Metrics {
  private readonly calls = new Map<string, { count: number; seconds: number }>();

  record(method: string, code: string, seconds: number): void {
    const key = `method="${method}",code="${code}"`;
    const m = this.calls.get(key) ?? { count: 0, seconds: 0 };
    m.count++;
    m.seconds += seconds;
    this.calls.set(key, m);
  }

  text(): string {
    const lines = [
      "# HELP helmts_tiller_requests_total gRPC requests handled, by method and status code.",
      "# TYPE helmts_tiller_requests_total counter",
    ];
    for (const [k, v] of this.calls) lines.push(`helmts_tiller_requests_total{${k}} ${v.count}`);
    lines.push(
      "# HELP helmts_tiller_request_duration_seconds Time spent handling requests.",
      "# TYPE helmts_tiller_request_duration_seconds summary",
    );
    for (const [k, v] of this.calls) {
      lines.push(`helmts_tiller_request_duration_seconds_sum{${k}} ${v.seconds.toFixed(6)}`);
      lines.push(`helmts_tiller_request_duration_seconds_count{${k}} ${v.count}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

export async function startTiller(config: TillerConfig): Promise<RunningTiller> {
  const { KubeClient } = await import("../kube/client.ts");
  const own: KubeClient = await KubeClient.create(config.kube);
  const metrics = new Metrics();
  const inFlight = new Map<string, number>();
  let active = 0;

  // One service per caller identity, reused: its API connections and discovery cache stay warm.
  const services = new BoundedCache<ReleaseService>(256);
  const serviceFor = (who: Identity | null): ReleaseService =>
    services.get(
      who ? `${who.via}:${who.user}:${who.groups.join(",")}` : "",
      () =>
        new EmbeddedReleaseService({
          ...config,
          kube: who ? { ...config.kube, asUser: who.user, asGroups: who.groups } : config.kube,
          log: (line) => config.log("INFO", line),
          valuesLog: config.log,
        }),
    );

  // TokenReview answers, by token hash, trusted for a short while (a failed review is not kept).
  const reviews = new BoundedCache<{ at: number; identity: Promise<Identity> }>(1024);
  const reviewed = (token: string): Promise<Identity> => {
    const key = createHash("sha256").update(token).digest("hex");
    const hit = reviews.peek(key);
    if (hit && performance.now() - hit.at < TOKEN_REVIEW_TTL_MS) return hit.identity;
    const identity = reviewToken(own, token);
    identity.catch(() => reviews.set(key, { at: -Infinity, identity }));
    return reviews.set(key, { at: performance.now(), identity }).identity;
  };

  const identify = async (
    call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>,
  ): Promise<Identity | null> => {
    const auth = call.metadata.get("authorization")[0];
    if (typeof auth === "string" && /^bearer /i.test(auth)) return reviewed(auth.slice(7).trim());
    const cert = call.getAuthContext?.()?.sslPeerCertificate;
    if (config.tls?.verify && cert?.subject) return certificateIdentity(cert.subject as never);
    if (config.insecure) return null;
    throw new UnauthenticatedError(
      "no credentials: send a bearer token (authorization metadata) or a client certificate",
    );
  };

  /** Authenticate, bound concurrency, run, record metrics. */
  const handle = async <T>(
    name: string,
    call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>,
    run: (service: ReleaseService) => Promise<T>,
  ): Promise<T> => {
    const started = performance.now();
    let key = "";
    try {
      checkClientVersion(call.metadata.get(API_CLIENT_HEADER)[0], config.version);
      const who = await identify(call);
      key = who ? `${who.via}:${who.user}` : "anonymous";
      const n = inFlight.get(key) ?? 0;
      if (n >= config.perCallerConcurrency) {
        throw Object.assign(
          new Error(`too many operations in flight for ${key} (limit ${config.perCallerConcurrency})`),
          {
            grpcCode: grpc.status.RESOURCE_EXHAUSTED,
          },
        );
      }
      inFlight.set(key, n + 1);
      active++;
      try {
        const result = await run(serviceFor(who));
        metrics.record(name, "OK", (performance.now() - started) / 1000);
        return result;
      } finally {
        active--;
        inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      }
    } catch (err) {
      const status = grpcError(err);
      const code = (err as { grpcCode?: number }).grpcCode ?? status.code!;
      metrics.record(name, grpc.status[code] ?? String(code), (performance.now() - started) / 1000);
      config.log("INFO", "request failed", [
        ["method", name],
        ["caller", key || "unknown"],
        ["error", status.details ?? ""],
      ]);
      throw Object.assign(new Error(status.details), { code, details: status.details });
    }
  };

  const unary =
    <Req, Res>(name: string, run: (req: Req, service: ReleaseService) => Promise<Res>) =>
    (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
      handle(name, call as never, (service) => run(call.request, service)).then(
        (res) => callback(null, res),
        (err: grpc.ServiceError) => callback(err),
      );
    };

  /** The namespace a Helm 2 client's release lives in (Helm 2 names are cluster-unique). */
  const namespaceOf = async (service: ReleaseService, name: string): Promise<string> => {
    const all = await service.list({ namespace: "", allNamespaces: true, statuses: [...RELEASE_STATUSES] });
    const hit = all.find((r) => r.name === name);
    if (!hit) throw new Error(`release: "${name}" not found`);
    return hit.namespace;
  };
  const seconds = (v: number | null | undefined) => (v && v > 0 ? v * 1000 : 300_000);
  const values = (c: hapi.chart.IConfig | null | undefined): GoMap => parseValues(c?.raw ?? "");

  const releaseImpl: grpc.UntypedServiceImplementation = {
    GetVersion: unary("GetVersion", async () => ({
      Version: {
        sem_ver: config.version,
        git_commit: config.helm.gitCommit,
        git_tree_state: config.helm.gitTreeState,
      },
    })),
    ListReleases: (call: grpc.ServerWritableStream<hapi.services.tiller.IListReleasesRequest, unknown>) => {
      handle("ListReleases", call as never, async (service) => {
        const req = call.request;
        const statuses = (req.status_codes ?? []).map(statusFromCode);
        let rels: Release[] = await service.list({
          namespace: req.namespace ?? "",
          allNamespaces: !req.namespace,
          statuses: statuses.length > 0 ? statuses : ["deployed"],
        });
        if (req.filter) {
          const re = new RegExp(req.filter);
          rels = rels.filter((r) => re.test(r.name));
        }
        rels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        if (req.sort_order === hapi.services.tiller.ListSort.SortOrder.DESC) rels.reverse();
        const start = req.offset
          ? Math.max(
              0,
              rels.findIndex((r) => r.name === req.offset),
            )
          : 0;
        const limit = req.limit && req.limit > 0 ? Number(req.limit) : rels.length;
        const page = rels.slice(start, start + limit);
        const next = rels[start + limit]?.name ?? "";
        call.write({ count: page.length, next, total: rels.length, releases: page.map(releaseToHapi) });
      }).then(
        () => call.end(),
        (err) => call.destroy(err),
      );
    },
    GetHistory: unary("GetHistory", async (req: hapi.services.tiller.IGetHistoryRequest, service) => {
      const name = req.name ?? "";
      const h = await service.history(name, await namespaceOf(service, name));
      const newestFirst = [...h].reverse();
      return {
        releases: newestFirst.slice(0, req.max && req.max > 0 ? req.max : undefined).map(releaseToHapi),
      };
    }),
    GetReleaseStatus: unary(
      "GetReleaseStatus",
      async (req: hapi.services.tiller.IGetReleaseStatusRequest, service) => {
        const name = req.name ?? "";
        const namespace = await namespaceOf(service, name);
        const rls = releaseToHapi(await service.get(name, namespace, req.version ?? 0));
        return { name, info: rls.info, namespace };
      },
    ),
    GetReleaseContent: unary(
      "GetReleaseContent",
      async (req: hapi.services.tiller.IGetReleaseContentRequest, service) => {
        const name = req.name ?? "";
        return {
          release: releaseToHapi(await service.get(name, await namespaceOf(service, name), req.version ?? 0)),
        };
      },
    ),
    InstallRelease: unary(
      "InstallRelease",
      async (req: hapi.services.tiller.IInstallReleaseRequest, service) => {
        const rls = await service.install({
          name: req.name ?? "",
          namespace: req.namespace || "default",
          chart: chartFromHapi(req.chart),
          values: values(req.values),
          dryRun: req.dry_run ? "server" : undefined,
          disableHooks: req.disable_hooks ?? false,
          replace: req.reuse_name ?? false,
          timeoutMs: seconds(req.timeout),
          wait: req.wait ?? false,
          description: req.description || undefined,
          subchartNotes: req.subNotes ?? false,
        });
        return { release: releaseToHapi(rls) };
      },
    ),
    UpdateRelease: unary(
      "UpdateRelease",
      async (req: hapi.services.tiller.IUpdateReleaseRequest, service) => {
        const name = req.name ?? "";
        const rls = await service.upgrade({
          name,
          namespace: await namespaceOf(service, name),
          chart: chartFromHapi(req.chart),
          values: values(req.values),
          dryRun: req.dry_run ? "server" : undefined,
          disableHooks: req.disable_hooks ?? false,
          timeoutMs: seconds(req.timeout),
          resetValues: req.reset_values ?? false,
          reuseValues: req.reuse_values ?? false,
          wait: req.wait ?? false,
          forceReplace: req.force ?? false,
          description: req.description || undefined,
          subchartNotes: req.subNotes ?? false,
          cleanupOnFail: req.cleanup_on_fail ?? false,
        });
        return { release: releaseToHapi(rls) };
      },
    ),
    RollbackRelease: unary(
      "RollbackRelease",
      async (req: hapi.services.tiller.IRollbackReleaseRequest, service) => {
        const name = req.name ?? "";
        const rls = await service.rollback({
          name,
          namespace: await namespaceOf(service, name),
          revision: req.version ?? 0,
          dryRun: req.dry_run ?? false,
          disableHooks: req.disable_hooks ?? false,
          timeoutMs: seconds(req.timeout),
          wait: req.wait ?? false,
          forceReplace: req.force ?? false,
          cleanupOnFail: req.cleanup_on_fail ?? false,
        });
        return { release: releaseToHapi(rls) };
      },
    ),
    UninstallRelease: unary(
      "UninstallRelease",
      async (req: hapi.services.tiller.IUninstallReleaseRequest, service) => {
        const name = req.name ?? "";
        const result = await service.uninstall({
          name,
          namespace: await namespaceOf(service, name),
          keepHistory: !req.purge,
          disableHooks: req.disable_hooks ?? false,
          timeoutMs: seconds(req.timeout),
          description: req.description || undefined,
        });
        const kept = result.kept.map((r) => `[${r.object.kind}] ${r.object.metadata.name}`).join("\n");
        return { release: releaseToHapi(result.release), info: kept };
      },
    ),
    RunReleaseTest: (call: grpc.ServerWritableStream<hapi.services.tiller.ITestReleaseRequest, unknown>) => {
      handle("RunReleaseTest", call as never, async (service) => {
        const name = call.request.name ?? "";
        const result = await service.test({
          name,
          namespace: await namespaceOf(service, name),
          timeoutMs: seconds(call.request.timeout),
          logs: call.request.logs ?? false,
        });
        const S = hapi.release.TestRun.Status;
        for (const h of result.release.hooks ?? []) {
          if (!h.events.includes("test") || !h.last_run.started_at) continue;
          const ok = h.last_run.phase === "Succeeded";
          call.write({ msg: `${ok ? "PASSED" : "FAILED"}: ${h.name}`, status: ok ? S.SUCCESS : S.FAILURE });
        }
        for (const l of result.logs) call.write({ msg: `POD LOGS: ${l.pod}\n${l.text}`, status: S.UNKNOWN });
        if (result.error) throw result.error;
      }).then(
        () => call.end(),
        (err) => call.destroy(err),
      );
    },
  };

  const extensionsImpl: grpc.UntypedServiceImplementation = {
    Call: unary("Call", async (req: helmts.tiller.v1.ICallRequest, service) => {
      const opts = fromWireJson(req.options_json ?? "", "options_json");
      let result: unknown;
      try {
        result = await dispatchCall(service, req.method ?? "", opts, req.chart);
      } catch (err) {
        if (err instanceof SyntaxError) throw new BadRequestError(err.message);
        throw err;
      }
      return { result_json: toWireJson(result ?? null) };
    }),
  };

  const server = new grpc.Server({
    "grpc.max_receive_message_length": config.maxMessageBytes,
    "grpc.max_send_message_length": 256 * 1024 * 1024,
  });
  server.addService(RELEASE_SERVICE, releaseImpl);
  server.addService(EXTENSIONS_SERVICE, extensionsImpl);
  const creds = config.tls
    ? grpc.ServerCredentials.createSsl(
        config.tls.ca ?? null,
        [{ cert_chain: config.tls.cert, private_key: config.tls.key }],
        config.tls.verify,
      )
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(bindAddress(config.listen), creds, (err, p) => (err ? reject(err) : resolve(p))),
  );

  const probes = http.createServer((req, res) => {
    if (req.url === "/liveness" || req.url === "/readiness") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok\n");
    } else if (req.url === "/metrics") {
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(metrics.text());
    } else {
      res.writeHead(404).end();
    }
  });
  const probeAddr = bindAddress(config.probeListen);
  const colon = probeAddr.lastIndexOf(":");
  const probePort = await new Promise<number>((resolve, reject) => {
    probes.once("error", reject);
    probes.listen(Number(probeAddr.slice(colon + 1)), probeAddr.slice(0, colon), () => {
      const a = probes.address();
      resolve(typeof a === "object" && a ? a.port : 0);
    });
  });

  return {
    port,
    probePort,
    async shutdown(graceMs: number) {
      probes.close();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          config.log("WARN", "shutdown grace period over; stopping in-flight calls", [
            ["active", String(active)],
          ]);
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      own.rest.close();
    },
  };
}
