/**
 * Who is calling Tiller. A bearer token in the gRPC metadata is checked with a Kubernetes
 * TokenReview (Tiller's own identity needs `system:auth-delegator`); a client certificate
 * verified by mTLS names its user by CN and groups by O, as the API server does. Every
 * Kubernetes call made for the request then impersonates that identity, so RBAC decides.
 */
import type { KubeClient } from "../kube/client.ts";

export interface Identity {
  user: string;
  groups: string[];
  /** How the caller proved it: `token` or `certificate`. */
  via: "token" | "certificate";
}

export class UnauthenticatedError extends Error {
  override name = "UnauthenticatedError";
}

interface TokenReview {
  status?: { authenticated?: boolean; user?: { username?: string; groups?: string[] }; error?: string };
}

/** The user a bearer token belongs to, per the API server. */
export async function reviewToken(kube: KubeClient, token: string): Promise<Identity> {
  const review = await kube.rest.request<TokenReview>({
    method: "POST",
    path: "/apis/authentication.k8s.io/v1/tokenreviews",
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } },
  });
  const s = review?.status;
  if (!s?.authenticated || !s.user?.username) {
    throw new UnauthenticatedError(`the bearer token was rejected${s?.error ? `: ${s.error}` : ""}`);
  }
  return { user: s.user.username, groups: s.user.groups ?? [], via: "token" };
}

/** The identity in a verified client certificate's subject (CN = user, O = groups). */
export function certificateIdentity(subject: Record<string, string | string[]> | undefined): Identity {
  const cn = subject?.CN;
  const user = Array.isArray(cn) ? cn[0] : cn;
  if (!user) throw new UnauthenticatedError("the client certificate has no common name (CN) to act as");
  const o = subject?.O;
  return { user, groups: o === undefined ? [] : Array.isArray(o) ? o : [o], via: "certificate" };
}
