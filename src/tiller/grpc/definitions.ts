/**
 * gRPC service definitions (grpc-js) for Helm 2's `hapi.services.tiller.ReleaseService` and our
 * `helmts.tiller.v1.Extensions`, built from the generated message code: method paths, streaming
 * and (de)serialisation of every method.
 */
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { hapi, helmts } from "./gen/protos.js";

interface MessageType<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

function method<Req, Res>(
  path: string,
  req: MessageType<Req>,
  res: MessageType<Res>,
  responseStream = false,
): MethodDefinition<Req, Res> {
  return {
    path,
    requestStream: false,
    responseStream,
    requestSerialize: (m: Req) => Buffer.from(req.encode(m).finish()),
    requestDeserialize: (b: Buffer) => req.decode(b),
    responseSerialize: (m: Res) => Buffer.from(res.encode(m).finish()),
    responseDeserialize: (b: Buffer) => res.decode(b),
  };
}

const T = hapi.services.tiller;
const tiller = (name: string) => `/hapi.services.tiller.ReleaseService/${name}`;

/** Helm 2's Tiller service. */
export const RELEASE_SERVICE = {
  ListReleases: method(tiller("ListReleases"), T.ListReleasesRequest, T.ListReleasesResponse, true),
  GetReleaseStatus: method(tiller("GetReleaseStatus"), T.GetReleaseStatusRequest, T.GetReleaseStatusResponse),
  GetReleaseContent: method(
    tiller("GetReleaseContent"),
    T.GetReleaseContentRequest,
    T.GetReleaseContentResponse,
  ),
  UpdateRelease: method(tiller("UpdateRelease"), T.UpdateReleaseRequest, T.UpdateReleaseResponse),
  InstallRelease: method(tiller("InstallRelease"), T.InstallReleaseRequest, T.InstallReleaseResponse),
  UninstallRelease: method(tiller("UninstallRelease"), T.UninstallReleaseRequest, T.UninstallReleaseResponse),
  GetVersion: method(tiller("GetVersion"), T.GetVersionRequest, T.GetVersionResponse),
  RollbackRelease: method(tiller("RollbackRelease"), T.RollbackReleaseRequest, T.RollbackReleaseResponse),
  GetHistory: method(tiller("GetHistory"), T.GetHistoryRequest, T.GetHistoryResponse),
  RunReleaseTest: method(tiller("RunReleaseTest"), T.TestReleaseRequest, T.TestReleaseResponse, true),
} satisfies ServiceDefinition;

const X = helmts.tiller.v1;

/** helm-ts's extension service (full-fidelity calls for our own client). */
export const EXTENSIONS_SERVICE = {
  Call: method("/helmts.tiller.v1.Extensions/Call", X.CallRequest, X.CallResponse),
} satisfies ServiceDefinition;

/** The metadata key Helm 2 clients send their version in. */
export const API_CLIENT_HEADER = "x-helm-api-client";
