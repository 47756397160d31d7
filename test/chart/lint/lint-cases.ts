/**
 * Purpose-built charts for `helm lint` differential tests, one per check. Each case writes its
 * chart directories (file path → content) under a temp root and lints them with `args`.
 */

export interface LintCase {
  name: string;
  /** Charts to write: directory → (chart-relative path → content). */
  charts: Record<string, Record<string, string>>;
  /** `helm lint` arguments (paths relative to the temp root). */
  args: string[];
}

const OK_META = "apiVersion: v2\nname: c\nversion: 1.2.3\nicon: https://example.com/icon.png\n";

/** One chart named `c` with a valid Chart.yaml plus the given files. */
function chart(files: Record<string, string>, meta = OK_META): Record<string, Record<string, string>> {
  return { c: { "Chart.yaml": meta, ...files } };
}

const CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n";

export const LINT_CASES: LintCase[] = [
  {
    name: "clean chart",
    charts: chart({ "templates/cm.yaml": CONFIGMAP, "values.yaml": "a: 1\n" }),
    args: ["c"],
  },
  {
    name: "clean chart with helpers, NOTES.txt and .Release.Name",
    charts: chart({
      "templates/_helpers.tpl": '{{ define "c.name" }}{{ .Release.Name }}-x{{ end }}',
      "templates/NOTES.txt": "Installed {{ .Release.Name }}\n",
      "templates/cm.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "c.name" . }}\n',
    }),
    args: ["c"],
  },
  {
    name: "Chart.yaml: many field problems",
    charts: chart(
      { "templates/cm.yaml": CONFIGMAP },
      'apiVersion: v2\nname: c\nversion: 1.0\nappVersion: 2\nicon: "not a url"\nmaintainers:\n  - email: x\n  - name: bob\n    email: bad\nsources: ["", "x"]\nengine: gotpl\n',
    ),
    args: ["c"],
  },
  {
    name: "Chart.yaml: apiVersion v1 with type and dependencies",
    charts: chart(
      {},
      "apiVersion: v1\nname: c\nversion: 1.0.0\ntype: application\ndependencies:\n - name: x\n   version: 1\n",
    ),
    args: ["c"],
  },
  {
    name: "Chart.yaml: name with a path",
    charts: chart({}, "apiVersion: v2\nname: ../x\nversion: v1.2\n"),
    args: ["c"],
  },
  { name: "Chart.yaml: no apiVersion", charts: chart({}, "name: Foo_Bar\nversion: 1.2.3\n"), args: ["c"] },
  {
    name: "Chart.yaml: apiVersion v3",
    charts: chart({}, "apiVersion: v3\nname: c\nversion: 1.2.3\n"),
    args: ["c"],
  },
  { name: "Chart.yaml: empty", charts: chart({}, ""), args: ["c"] },
  { name: "no Chart.yaml", charts: { c: { "values.yaml": "a: 1\n" } }, args: ["c", "missing/"] },
  {
    name: "Chart.yaml: version 0.0.0-0",
    charts: chart({}, "apiVersion: v2\nname: c\nversion: 0.0.0-0\n"),
    args: ["c"],
  },
  {
    name: "Chart.yaml: version not SemVer",
    charts: chart({}, "apiVersion: v2\nname: c\nversion: abc\n"),
    args: ["c"],
  },
  {
    name: "Chart.yaml: maintainer problems",
    charts: chart(
      {},
      "apiVersion: v2\nname: c\nversion: 1.2.3\nmaintainers:\n  - name: ann\n    email: ann@example.com\n    url: https://example.com\n  - name: bob\n    url: 'not a url'\n",
    ),
    args: ["c"],
  },
  {
    name: "Chart.yaml: null maintainer",
    charts: chart({}, "apiVersion: v2\nname: c\nversion: 1.2.3\nmaintainers:\n  - ~\n"),
    args: ["c"],
  },
  {
    name: "Chart.yaml: bad source and icon URLs",
    charts: chart(
      {},
      "apiVersion: v2\nname: c\nversion: 1.2.3\nsources: [https://ok.example.com, 'ftp//x']\nicon: icon.png\n",
    ),
    args: ["c"],
  },
  {
    name: "Chart.yaml: unknown fields, nested too",
    charts: chart({}, "apiVersion: v2\nname: c\nversion: 1.2.3\nmaintainers:\n  - name: a\n    github: a\n"),
    args: ["c"],
  },
  {
    name: "Chart.yaml: does not parse",
    charts: chart({}, "apiVersion: v2\nname: c: d\nversion: 1.2.3\n"),
    args: ["c"],
  },
  {
    name: "Chart.yaml: wrong field type",
    charts: chart({}, "apiVersion: v2\nname: c\nversion: 1.2.3\nkeywords: abc\n"),
    args: ["c"],
  },
  { name: "values.yaml: not a map", charts: chart({ "values.yaml": "- a\n- b\n" }), args: ["c"] },
  { name: "values.yaml: does not parse", charts: chart({ "values.yaml": "a: b: c\n" }), args: ["c"] },
  {
    name: "values.schema.json: violations",
    charts: chart({
      "values.yaml": "a: 1\n",
      "values.schema.json": '{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}',
      "templates/cm.yaml": CONFIGMAP,
    }),
    args: ["c"],
  },
  {
    name: "values.schema.json: skipped",
    charts: chart({
      "values.yaml": "a: 1\n",
      "values.schema.json": '{"type":"object","properties":{"a":{"type":"string"}}}',
    }),
    args: ["c", "--skip-schema-validation"],
  },
  {
    name: "values.schema.json: violated through --set",
    charts: chart({
      "values.yaml": "a: x\n",
      "values.schema.json": '{"type":"object","properties":{"a":{"type":"string"}}}',
    }),
    args: ["c", "--set", "a=1"],
  },
  { name: "template: parse error", charts: chart({ "templates/a.yaml": "{{ if }}\n" }), args: ["c"] },
  {
    name: "template: nil pointer (executed last-name-first)",
    charts: chart({
      "templates/a.yaml": "{{ .Values.a.b.c }}\n",
      "templates/b.yaml": "x: {{ .Values.q.r }}\n",
    }),
    args: ["c"],
  },
  {
    name: "template: include of an undefined template",
    charts: chart({ "templates/b.yaml": 'x: {{ include "nope" . }}\n' }),
    args: ["c"],
  },
  {
    name: "template: required and fail only log",
    charts: chart({ "templates/r.yaml": 'x: {{ required "need x" .Values.x }}{{ fail "boom" }}\n' }),
    args: ["c"],
  },
  { name: "rendered: invalid YAML", charts: chart({ "templates/a.yaml": "a: b: c\n" }), args: ["c"] },
  {
    name: "rendered: scalar document stops the template rules",
    charts: chart({ "templates/a.yaml": `${CONFIGMAP}---\nfoo\n`, "templates/b.yaml": "  indented: 1\n" }),
    args: ["c"],
  },
  {
    name: "rendered: metadata of the wrong type",
    charts: chart({ "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: foo\n" }),
    args: ["c"],
  },
  {
    name: "rendered: name of the wrong type",
    charts: chart({ "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 12\n" }),
    args: ["c"],
  },
  {
    name: "rendered: invalid object names per kind",
    charts: chart({
      "templates/a.yaml": [
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: a.b\n",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a.b\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: a/b%c\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ..\n",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: Upper\n",
        "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: Any_Thing\n",
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${"a".repeat(254)}\n`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${"b".repeat(64)}\n`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n",
      ].join("---\n"),
    }),
    args: ["c"],
  },
  {
    name: "rendered: deprecated APIs at the default Kubernetes version",
    charts: chart({
      "templates/a.yaml": [
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: a\n",
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: a\n",
        "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: a\n",
        "apiVersion: resource.k8s.io/v1beta2\nkind: DeviceClass\nmetadata:\n  name: a\n",
        "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: a\n",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n",
      ].join("---\n"),
    }),
    args: ["c"],
  },
  {
    name: "rendered: deprecated APIs for --kube-version 1.20",
    charts: chart({
      "templates/a.yaml": [
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: a\n",
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: a\n",
        "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata:\n  name: a\n",
      ].join("---\n"),
    }),
    args: ["c", "--kube-version", "1.20"],
  },
  { name: "invalid --kube-version", charts: chart({}), args: ["c", "--kube-version", "abc"] },
  {
    name: "rendered: workloads without selectors",
    charts: chart({
      "templates/a.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec: {}\n",
      "templates/b.yaml":
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  selector:\n    matchLabels: {}\n",
    }),
    args: ["c"],
  },
  {
    name: "rendered: List with resource-policy annotation",
    charts: chart({
      "templates/a.yaml":
        "apiVersion: v1\nkind: List\nmetadata:\n  name: l\nitems:\n  - metadata:\n      annotations:\n        helm.sh/resource-policy: keep\n",
    }),
    args: ["c"],
  },
  {
    name: "rendered: illegal top indent",
    charts: chart({ "templates/a.yaml": "\n  \n  a: 1\n" }),
    args: ["c"],
  },
  {
    name: "template: file extensions",
    charts: chart({ "templates/a.json": "{}", "templates/b": "x", "templates/c.YAML": CONFIGMAP }),
    args: ["c"],
  },
  { name: "templates/ missing", charts: { c: { "Chart.yaml": OK_META } }, args: ["c"] },
  { name: "templates is a file", charts: { c: { "Chart.yaml": OK_META, templates: "x" } }, args: ["c"] },
  {
    name: "templates render empty",
    charts: chart({ "templates/a.yaml": "{{- if .Values.on }}\nx: 1\n{{- end }}\n  \n" }),
    args: ["c"],
  },
  {
    name: "dependency missing from charts/",
    charts: chart(
      {},
      `${OK_META}dependencies:\n  - name: sub\n    version: 1.0.0\n    repository: https://example.com\n`,
    ),
    args: ["c"],
  },
  {
    name: "subchart in charts/ not declared",
    charts: {
      c: {
        "Chart.yaml": OK_META,
        "templates/cm.yaml": CONFIGMAP,
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        "charts/sub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Sub\n",
      },
    },
    args: ["c", "--with-subcharts"],
  },
  {
    name: "duplicate dependency names",
    charts: chart(
      {},
      `${OK_META}dependencies:\n  - name: sub\n    version: 1.0.0\n  - name: other\n    version: 1.0.0\n    alias: sub\n`,
    ),
    args: ["c"],
  },
  {
    name: "library chart",
    charts: chart(
      { "templates/_lib.tpl": '{{ define "lib.x" }}x: 1{{ end }}', "templates/cm.yaml": "  bad: [" },
      "apiVersion: v2\nname: c\nversion: 1.2.3\ntype: library\n",
    ),
    args: ["c"],
  },
  {
    name: "Chart.yaml: invalid chart type",
    charts: chart({}, "apiVersion: v2\nname: c\nversion: 1.2.3\ntype: plugin\n"),
    args: ["c"],
  },
  {
    name: "crds: wrong kind and group, template in a CRD",
    charts: chart({
      "crds/a.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: w.example.com\n",
      "crds/b.yaml": "a: {{ .Values.x }}\n",
    }),
    args: ["c"],
  },
  { name: "crds is a file", charts: chart({ crds: "x" }), args: ["c"] },
  {
    name: "kubeVersion not satisfied",
    charts: chart({ "templates/cm.yaml": CONFIGMAP }, `${OK_META}kubeVersion: "<1.20"\n`),
    args: ["c"],
  },
  {
    name: "kubeVersion satisfied by --kube-version",
    charts: chart({ "templates/cm.yaml": CONFIGMAP }, `${OK_META}kubeVersion: "<1.20"\n`),
    args: ["c", "--kube-version", "v1.19.3"],
  },
  {
    name: "--strict fails on warnings; --quiet hides INFO",
    charts: {
      c: { "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.2.3\n", "templates/a.yaml": "  a: 1\n" },
      d: { "Chart.yaml": "apiVersion: v2\nname: d\nversion: 1.2.3\n", "templates/cm.yaml": CONFIGMAP },
    },
    args: ["c", "d", "--strict", "--quiet"],
  },
  {
    name: "--quiet with clean charts prints nothing",
    charts: { c: { "Chart.yaml": OK_META, "templates/cm.yaml": CONFIGMAP, "values.yaml": "a: 1\n" } },
    args: ["c", "--quiet"],
  },
  {
    name: "--quiet with a path that is not a chart",
    charts: { c: { "Chart.yaml": OK_META } },
    args: ["c", "nochart", "--quiet"],
  },
  {
    name: "values flags reach the templates",
    charts: chart({
      "templates/a.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n  namespace: {{ .Release.Namespace }}\n",
      "values.yaml": "name: ok\n",
    }),
    args: ["c", "--set", "name=Bad_Name", "--namespace", "ns1"],
  },
  {
    name: "coalesce warning is logged",
    charts: chart({ "values.yaml": "a:\n  b: 1\n", "templates/cm.yaml": CONFIGMAP }),
    args: ["c", "--set", "a=1"],
  },
];
