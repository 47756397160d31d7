/**
 * The release service of a remote Tiller: every method is one call of our extension service,
 * so Helm 3/4 options travel intact and results come back in our own release format. Commands
 * hold it exactly as they hold the embedded service. Errors come back as the server's message,
 * so output and exit codes match embedded mode.
 */
import * as grpc from "@grpc/grpc-js";
import type { Chart } from "../../chart/chart.ts";
import type { DiffReport } from "../../diff/changes.ts";
import type { TestRequest, TestResult } from "../actions/test.ts";
import type { UninstallResult } from "../actions/uninstall.ts";
import type { Release } from "../release/release.ts";
import type {
  DiffRevisionsOptions,
  DiffRollbackOptions,
  DiffUpgradeOptions,
  InstallOptions,
  ListOptions,
  ReleaseService,
  RollbackOptions,
  UninstallOptions,
  UpgradeOptions,
} from "../service.ts";
import type { ResourceGroup } from "../status/resources.ts";
import type { CallMethod } from "./calls.ts";
import { API_CLIENT_HEADER, EXTENSIONS_SERVICE, RELEASE_SERVICE } from "./definitions.ts";
import type { helmts } from "./gen/protos.js";
import { chartToHapi } from "./hapi.ts";
import { toWireJson } from "./wire-json.ts";

export interface RemoteConfig {
  /** `host:port` of the Tiller server. */
  host: string;
  /** The caller's Kubernetes bearer token, sent for the server's TokenReview. */
  token?: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; serverName?: string };
  /** Client version, sent as Helm 2 clients send theirs. */
  version: string;
  /** How long to wait for the connection. */
  connectTimeoutMs: number;
  /** Also run by close(): releases what carries the connection (a port-forward). */
  onClose?: () => void;
  /** What carries the connection, when `host` is only a local end of it (a port-forward). */
  via?: { name: string; lastError: () => string | undefined };
}

type Unary = (
  req: helmts.tiller.v1.ICallRequest,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res?: helmts.tiller.v1.ICallResponse) => void,
) => void;

export class RemoteReleaseService implements ReleaseService {
  private readonly client: grpc.Client & { Call: Unary };

  private readonly credentials: grpc.ChannelCredentials;
  private readonly options: grpc.ClientOptions;

  constructor(private readonly config: RemoteConfig) {
    const Client = grpc.makeGenericClientConstructor(EXTENSIONS_SERVICE, "Extensions");
    this.credentials = config.tls
      ? grpc.credentials.createSsl(config.tls.ca ?? null, config.tls.key ?? null, config.tls.cert ?? null)
      : grpc.credentials.createInsecure();
    this.options = {
      "grpc.max_send_message_length": 256 * 1024 * 1024,
      "grpc.max_receive_message_length": 256 * 1024 * 1024,
      ...(config.tls?.serverName ? { "grpc.ssl_target_name_override": config.tls.serverName } : {}),
    };
    this.client = new Client(config.host, this.credentials, this.options) as unknown as grpc.Client & {
      Call: Unary;
    };
  }

  close(): void {
    this.client.close();
    this.config.onClose?.();
  }

  /** Tiller's version (Helm 2's GetVersion). */
  serverVersion(): Promise<{ sem_ver: string; git_commit: string; git_tree_state: string }> {
    const Client = grpc.makeGenericClientConstructor(RELEASE_SERVICE, "ReleaseService");
    const tiller = new Client(this.config.host, this.credentials, this.options) as unknown as {
      GetVersion: (
        req: object,
        md: grpc.Metadata,
        cb: (
          err: grpc.ServiceError | null,
          res?: { Version?: { sem_ver?: string; git_commit?: string; git_tree_state?: string } | null },
        ) => void,
      ) => void;
      close(): void;
    };
    return new Promise((resolve, reject) => {
      tiller.GetVersion({}, this.metadata(), (err, res) => {
        tiller.close();
        if (err) reject(new Error(this.errorMessage(err)));
        else
          resolve({
            sem_ver: res?.Version?.sem_ver ?? "",
            git_commit: res?.Version?.git_commit ?? "",
            git_tree_state: res?.Version?.git_tree_state ?? "",
          });
      });
    });
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set(API_CLIENT_HEADER, this.config.version);
    if (this.config.token) md.set("authorization", `Bearer ${this.config.token}`);
    return md;
  }

  private errorMessage(err: grpc.ServiceError): string {
    if (err.code !== grpc.status.UNAVAILABLE) return err.details || err.message;
    const via = this.config.via;
    return `cannot reach Tiller at ${via?.name ?? this.config.host}: ${via?.lastError() ?? err.details}`;
  }

  private call<T>(method: CallMethod, options: unknown, chart?: Chart): Promise<T> {
    const md = this.metadata();
    const request = {
      method,
      options_json: toWireJson(options),
      ...(chart ? { chart: chartToHapi(chart) } : {}),
    };
    return new Promise<T>((resolve, reject) => {
      this.client.Call(request, md, { deadline: Date.now() + 24 * 3600_000 }, (err, res) => {
        if (err) {
          reject(new Error(this.errorMessage(err)));
          return;
        }
        try {
          resolve(JSON.parse(res?.result_json || "null") as T);
        } catch (e) {
          reject(
            new Error(
              `Tiller at ${this.config.host} sent a result that is not JSON: ${(e as Error).message}`,
            ),
          );
        }
      });
    });
  }

  install({ chart, ...opts }: InstallOptions): Promise<Release> {
    return this.call("install", localOnly(opts), chart);
  }

  upgrade({ chart, ...opts }: UpgradeOptions): Promise<Release> {
    return this.call("upgrade", localOnly(opts), chart);
  }

  rollback(opts: RollbackOptions): Promise<Release> {
    return this.call("rollback", opts);
  }

  uninstall(opts: UninstallOptions): Promise<UninstallResult> {
    return this.call("uninstall", opts);
  }

  async test(opts: TestRequest): Promise<TestResult> {
    const r = await this.call<Omit<TestResult, "error"> & { error?: string }>("test", opts);
    return { ...r, error: r.error ? new Error(r.error) : undefined };
  }

  history(name: string, namespace: string): Promise<Release[]> {
    return this.call("history", { name, namespace });
  }

  get(name: string, namespace: string, revision: number): Promise<Release> {
    return this.call("get", { name, namespace, revision });
  }

  status(
    name: string,
    namespace: string,
    revision: number,
  ): Promise<{ release: Release; resources: ResourceGroup[] }> {
    return this.call("status", { name, namespace, revision });
  }

  list(opts: ListOptions): Promise<Release[]> {
    return this.call("list", opts);
  }

  diffUpgrade({ chart, ...opts }: DiffUpgradeOptions): Promise<DiffReport> {
    return this.call("diffUpgrade", localOnly(opts), chart);
  }

  diffRollback(opts: DiffRollbackOptions): Promise<DiffReport> {
    return this.call("diffRollback", opts);
  }

  diffRevisions(opts: DiffRevisionsOptions): Promise<DiffReport> {
    return this.call("diffRevisions", opts);
  }
}

/** Options that only make sense on this machine are refused rather than silently dropped. */
function localOnly<T extends { postRender?: unknown }>({ postRender, ...rest }: T): Omit<T, "postRender"> {
  if (postRender) {
    throw new Error(
      "--post-renderer runs a plugin on this machine; it cannot be used with a remote Tiller (--host)",
    );
  }
  return rest;
}
