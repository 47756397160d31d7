/**
 * Chart.yaml texts and what real Helm v4.1.4 makes of them in `helm template`: `.Chart` as JSON
 * (without Dependencies and IsRoot) or "ERR " and Helm's error.
 */
export const METADATA_CASES: [chartYaml: string, helm: string][] = [
  [
    "name: c2\nversion: 1.0.0",
    '{"APIVersion":"v1","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.0.0"}',
  ],
  ["apiVersion: v2\nversion: 1.0.0", "ERR validation: chart.metadata.name is required"],
  ["apiVersion: v2\nname: c2", "ERR validation: chart.metadata.version is required"],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1"}',
  ],
  ["apiVersion: v2\nname: c2\nversion: foo", 'ERR validation: chart.metadata.version "foo" is invalid'],
  ["apiVersion: v3\nname: c2\nversion: 1.0.0", "ERR invalid chart apiVersion"],
  ["apiVersion: v4\nname: c2\nversion: 1.0.0", "ERR unsupported chart version"],
  ["apiVersion: V2\nname: c2\nversion: 1.0.0", "ERR unsupported chart version"],
  ["apiVersion: 2\nname: c2\nversion: 1.2.3", "ERR unsupported chart version"],
  [
    "apiVersion: {a: 1}\nname: c2\nversion: 1.0.0",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field chartBase.apiVersion of type string",
  ],
  [
    'apiVersion: ""\nname: c2\nversion: 1.2.3',
    '{"APIVersion":"v1","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0.0\ntype: foo",
    "ERR validation: chart.metadata.type must be application or library",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0.0\ntype: application",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"application","Version":"1.0.0"}',
  ],
  ["apiVersion: v2\nname: ../c2\nversion: 1.0.0", 'ERR validation: chart.metadata.name "../c2" is invalid'],
  ['apiVersion: v2\nname: "."\nversion: 1.2.3', 'ERR validation: chart.metadata.name "." is not allowed'],
  ['apiVersion: v2\nname: ".."\nversion: 1.2.3', 'ERR validation: chart.metadata.name ".." is not allowed'],
  ['apiVersion: v2\nname: "x/"\nversion: 1.0.0', 'ERR validation: chart.metadata.name "x/" is invalid'],
  [
    'apiVersion: v2\nname: "a\\\\b"\nversion: 1.2.3',
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"a\\\\b","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    'apiVersion: v2\nname: "c\\x1b2"\nversion: 1.2.3',
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0.0\nmaintainers:\n- null",
    "ERR validation: maintainers must not contain empty or null nodes",
  ],
  [
    'apiVersion: v2\nname: c2\nversion: 1.0.0\nmaintainers:\n- name: ""',
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[{"Email":"","Name":"","URL":""}],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.0.0"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0.0\nmaintainers: [1]",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Metadata.maintainers of type v2.Maintainer",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0.0\nmaintainers: {name: 1}",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field Metadata.maintainers of type []*v2.Maintainer",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0.0\nmaintainers: [{name: 1, email: 2, url: 3, x: 4}]",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[{"Email":"2","Name":"1","URL":"3"}],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.0.0"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.0\nappVersion: 1.10\ndescription: 3.14159265\nhome: yes\nicon: 0777\nkeywords: [1e3, 1e30, null, ~, 0.1]\nannotations: {a: 1, b: true}\ncondition: 12345678901",
    '{"APIVersion":"v2","Annotations":{"a":"1","b":"true"},"AppVersion":"1.1","Condition":"12345678901","Deprecated":false,"Description":"3.1415927","Home":"true","Icon":"511","Keywords":["1000","1e+30","","","0.1"],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1"}',
  ],
  [
    'apiVersion: v2\nname: 123\nversion: 1.2.3\ndeprecated: "true"',
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\ndeprecated: yes\nsources: x",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.sources of type []string",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\ndeprecated: 1",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Metadata.deprecated of type bool",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nannotations: {a: {b: 1}}",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field Metadata.annotations of type string",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nannotations: {a: [1]}",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.annotations of type string",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nannotations: {a: null}",
    '{"APIVersion":"v2","Annotations":{"a":""},"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nkeywords: [[1]]",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.keywords of type string",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: v1.2.3-rc.1+b\nengine: gotpl\ntillerVersion: x",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"v1.2.3-rc.1+b"}',
  ],
  [
    "[1]",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type loader.chartBase",
  ],
  [
    "- 1",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type loader.chartBase",
  ],
  [
    "a b",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type loader.chartBase",
  ],
  ["", "ERR validation: chart.metadata.name is required"],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nname: c3",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c3","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    "APIVERSION: v2\nNAME: c2\nVersion: 1.2.3\nappversion: x\nkeywords: null\nmaintainers: [{Name: m, EMAIL: e}]",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"x","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[{"Email":"e","Name":"m","URL":""}],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    'apiVersion: v2\nname: c2\nversion: 1.2.3\ndescription: "a\\tb\\x1bc\\nd\\u00a0e\\u200bf"\nkeywords: ["\\x1b"]\nannotations: {"\\x1bk": "\\x1bv"}\nmaintainers: [{name: "\\x01m"}]',
    '{"APIVersion":"v2","Annotations":{"\\u001bk":"\\u001bv"},"AppVersion":"","Condition":"","Deprecated":false,"Description":"a bc d ef","Home":"","Icon":"","Keywords":[""],"KubeVersion":"","Maintainers":[{"Email":"","Name":"m","URL":""}],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\ndependencies: [null]",
    "ERR validation: dependencies must not contain empty or null nodes",
  ],
  [
    'apiVersion: v2\nname: c2\nversion: 1.2.3\ndependencies: [{name: a, alias: "b c"}]',
    'ERR validation: dependency "a" has disallowed characters in the alias',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\ndependencies: [{name: a}, {name: a}]",
    'ERR validation: more than one dependency with name or alias "a"',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\ndependencies: [{name: a, alias: b}, {name: b}]",
    'ERR validation: more than one dependency with name or alias "b"',
  ],
  [
    'apiVersion: v2\nname: c2\nversion: 1.2.3\ndependencies: [{name: x, tags: [1, yes], enabled: "x"}]',
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Dependency.dependencies.enabled of type bool",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\ndependencies: 5",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Metadata.dependencies of type []*v2.Dependency",
  ],
  [
    'apiVersion: v2\nname: c2\nversion: 1.2.3\nkubeVersion: ">= 1.20"',
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"\\u003e= 1.20","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nappVersion: .inf\nhome: !!binary aGk=",
    "ERR cannot load Chart.yaml: error converting YAML to JSON: json: unsupported value: +Inf",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\n: x",
    "ERR cannot load Chart.yaml: error converting YAML to JSON: yaml: line 3: did not find expected key",
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nversion: 2.0.0",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"2.0.0"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 01.2.3",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"","Icon":"","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"01.2.3"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3-01",
    'ERR validation: chart.metadata.version "1.2.3-01" is invalid',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 99999999999999999999.0.0",
    'ERR validation: chart.metadata.version "99999999999999999999.0.0" is invalid',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\nicon: &a x\nhome: *a",
    '{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Deprecated":false,"Description":"","Home":"x","Icon":"x","Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"c2","Sources":[],"Tags":"","Type":"","Version":"1.2.3"}',
  ],
  [
    "apiVersion: v2\nname: c2\nversion: 1.2.3\ntags: [x]",
    "ERR cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.tags of type string",
  ],
];
