/**
 * The objects that run Tiller in a cluster (`helm init`): a ServiceAccount; a ClusterRole with
 * only what Tiller itself needs — review tokens and impersonate callers, since every release
 * operation runs with the caller's own rights; its binding; a Deployment with probes and resource
 * limits; a Service; and, with TLS, a Secret holding the server certificate.
 */

export interface TillerInstallOptions {
  namespace: string;
  serviceAccount: string;
  replicas: number;
  image: string;
  historyMax: number;
  /** Server certificate and key (and a CA to verify clients with, for mTLS). */
  tls?: { cert: string; key: string; ca?: string };
  /** Plain text without required authentication (mirrors `tiller serve --insecure`). */
  insecure: boolean;
}

export type KubeManifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
};

export const TILLER_NAME = "tiller-deploy";
const LABELS = { app: "helm", name: "tiller" };

/** The manifests in the order they are applied (and reverse order for `helm reset`). */
export function tillerManifests(o: TillerInstallOptions): KubeManifest[] {
  const meta = (name: string, namespaced = true) => ({
    name,
    ...(namespaced ? { namespace: o.namespace } : {}),
    labels: { ...LABELS },
  });
  const role = `helm-ts:tiller:${o.namespace}:${o.serviceAccount}`;
  const args = [
    "tiller",
    "serve",
    "--listen=:44134",
    "--probe-listen=:44135",
    `--history-max=${o.historyMax}`,
    ...(o.tls ? ["--tls", "--tls-cert=/etc/certs/tls.crt", "--tls-key=/etc/certs/tls.key"] : []),
    ...(o.tls?.ca ? ["--tls-verify", "--tls-ca-cert=/etc/certs/ca.crt"] : []),
    ...(o.insecure ? ["--insecure"] : []),
  ];
  const probe = (path: string) => ({
    httpGet: { path, port: 44135 },
    initialDelaySeconds: 1,
    periodSeconds: 10,
    timeoutSeconds: 1,
  });
  const manifests: KubeManifest[] = [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(o.serviceAccount) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: meta(role, false),
      rules: [
        { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
        { apiGroups: [""], resources: ["users", "groups", "serviceaccounts"], verbs: ["impersonate"] },
        {
          apiGroups: ["authentication.k8s.io"],
          resources: ["userextras/scopes", "uids"],
          verbs: ["impersonate"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(role, false),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      subjects: [{ kind: "ServiceAccount", name: o.serviceAccount, namespace: o.namespace }],
    },
  ];
  if (o.tls) {
    manifests.push({
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("tiller-secret"),
      type: "Opaque",
      data: {
        "tls.crt": Buffer.from(o.tls.cert).toString("base64"),
        "tls.key": Buffer.from(o.tls.key).toString("base64"),
        ...(o.tls.ca ? { "ca.crt": Buffer.from(o.tls.ca).toString("base64") } : {}),
      },
    });
  }
  manifests.push(
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(TILLER_NAME),
      spec: {
        replicas: o.replicas,
        selector: { matchLabels: { ...LABELS } },
        template: {
          metadata: { labels: { ...LABELS } },
          spec: {
            serviceAccountName: o.serviceAccount,
            automountServiceAccountToken: true,
            securityContext: { runAsNonRoot: true, runAsUser: 65534 },
            containers: [
              {
                name: "tiller",
                image: o.image,
                imagePullPolicy: "IfNotPresent",
                args,
                env: [{ name: "TILLER_NAMESPACE", value: o.namespace }],
                ports: [
                  { name: "tiller", containerPort: 44134 },
                  { name: "http", containerPort: 44135 },
                ],
                livenessProbe: probe("/liveness"),
                readinessProbe: probe("/readiness"),
                resources: {
                  requests: { cpu: "100m", memory: "128Mi" },
                  limits: { cpu: "1", memory: "512Mi" },
                },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
                ...(o.tls
                  ? { volumeMounts: [{ name: "tiller-certs", mountPath: "/etc/certs", readOnly: true }] }
                  : {}),
              },
            ],
            ...(o.tls
              ? { volumes: [{ name: "tiller-certs", secret: { secretName: "tiller-secret" } }] }
              : {}),
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(TILLER_NAME),
      spec: {
        type: "ClusterIP",
        selector: { ...LABELS },
        ports: [{ name: "tiller", port: 44134, targetPort: "tiller" }],
      },
    },
  );
  return manifests;
}
