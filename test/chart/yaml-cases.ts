/**
 * values.yaml texts and the values real Helm v4.1.4 reads from them (typed dump, see support.ts), or
 * "ERR " and Helm's error.
 */
export const YAML_CASES: [valuesYaml: string, helm: string][] = [
  [
    "a_yes: yes\na_on: on\na_y: y\na_no: NO\na_off: Off\na_n: n\na_true: True",
    '{"a_n":bool:false,"a_no":bool:false,"a_off":bool:false,"a_on":bool:true,"a_true":bool:true,"a_y":bool:true,"a_yes":bool:true,}',
  ],
  [
    "a_oct: 0777\na_oct2: 0o17\na_hex: 0x1F\na_hexneg: -0x10\na_bin: 0b101\na_binneg: -0b11\na_us: 1_000\na_us2: 0_7\na_08: 08\na_plus: +12\na_neg: -17",
    '{"a_08":float64:8,"a_bin":float64:5,"a_binneg":float64:-3,"a_hex":float64:31,"a_hexneg":float64:-16,"a_neg":float64:-17,"a_oct":float64:511,"a_oct2":float64:15,"a_plus":float64:12,"a_us":float64:1000,"a_us2":float64:7,}',
  ],
  [
    "a_big: 123456789012345678901234\na_i64: 9223372036854775807\na_u64: 18446744073709551615\nb: -18446744073709551615\nc: 0xFFFFFFFFFFFFFFFFFF",
    '{"a_big":float64:1.2345678901234569e+23,"a_i64":float64:9223372036854776000,"a_u64":float64:18446744073709552000,"b":float64:-18446744073709552000,"c":string:"0xFFFFFFFFFFFFFFFFFF",}',
  ],
  [
    "a_ts: 2001-12-14t21:59:43.10-05:00\na_date: 2002-12-14\na_sexa: 190:20:30\nt: !!timestamp 2001-12-14",
    '{"a_date":string:"2002-12-14","a_sexa":string:"190:20:30","a_ts":string:"2001-12-14t21:59:43.10-05:00","t":string:"2001-12-14",}',
  ],
  [
    "a: 1.5e3\nb: .5\nc: 1e6\nd: 1.\ne: 1_0.5\nf: 1e400\ng: ._5\nh: 0x\ni: 0o\nj: 1.5_0\nk: -.5e-3",
    '{"a":float64:1500,"b":float64:0.5,"c":float64:1000000,"d":float64:1,"e":float64:10.5,"f":string:"1e400","g":string:"._5","h":string:"0x","i":string:"0o","j":float64:1.5,"k":float64:-0.0005,}',
  ],
  [
    "a: .inf",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: +Inf",
  ],
  [
    "a: -.Inf",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: -Inf",
  ],
  [
    "a: .NaN",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: NaN",
  ],
  [
    "a:\nb: ~\nc: null\nd: Null\ne: \"~\"\nf: ''",
    '{"a":<nil>:null,"b":<nil>:null,"c":<nil>:null,"d":<nil>:null,"e":string:"~","f":string:"",}',
  ],
  [
    'a: !!binary aGVsbG8=\nb: !!str 123\nc: !!int "55"\nd: !!float 1\ne: !!bool "yes"\nf: !!null ""\ng: !foo 123\nh: !!str\ni: !foo yes',
    '{"a":string:"hello","b":string:"123","c":float64:55,"d":float64:1,"e":bool:true,"f":<nil>:null,"g":string:"123","h":string:"","i":string:"yes",}',
  ],
  [
    "a: !!int abc",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int",
  ],
  [
    "a: !!float abc",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!float",
  ],
  [
    "a: !!bool abc",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!bool",
  ],
  [
    'a: !!binary "!!"',
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: !!binary value contains invalid base64 data",
  ],
  ["a: 1\na: 2", '{"a":float64:2,}'],
  [
    "b: &x {p: 1, q: 2}\nc:\n  <<: *x\n  q: 3",
    '{"b":{"p":float64:1,"q":float64:2,},"c":{"p":float64:1,"q":float64:3,},}',
  ],
  [
    "x: &x {a: 2, b: 2}\nm: {a: 1, <<: *x}",
    '{"m":{"a":float64:2,"b":float64:2,},"x":{"a":float64:2,"b":float64:2,},}',
  ],
  [
    "x: &x {a: 2, k: {p: 1}}\nz: &z {a: 3, c: 3, k: {q: 1}}\nm: {<<: [*x, *z]}",
    '{"m":{"a":float64:2,"c":float64:3,"k":{"p":float64:1,},},"x":{"a":float64:2,"k":{"p":float64:1,},},"z":{"a":float64:3,"c":float64:3,"k":{"q":float64:1,},},}',
  ],
  [
    "m: {<<: 5}",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value",
  ],
  ['m: {"<<": {a: 1}}', '{"m":{"\\u003c\\u003c":{"a":float64:1,},},}'],
  ["m: {!!merge <<: {a: 1}}", '{"m":{"a":float64:1,},}'],
  ["a: &a 1\nb: &a 2\nc: *a", '{"a":float64:1,"b":float64:2,"c":float64:2,}'],
  [
    "c: *a",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: unknown anchor 'a' referenced",
  ],
  [
    "a: &a [*a]",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: anchor 'a' value contains itself",
  ],
  [
    "- 1",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
  ],
  [
    "just a string",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}",
  ],
  ["", "{}"],
  ["# only a comment", "{}"],
  ["---\na: 1\n---\nb: 2", '{"a":float64:1,"b":float64:2,}'],
  [
    "a: {x: {p: 1, q: 2}, z: 3, l: [1,2]}\nb: 1\n---\na: {x: {q: 5}, l: [3]}\nc: 2",
    '{"a":{"l":[float64:3,],"x":{"p":float64:1,"q":float64:5,},"z":float64:3,},"b":float64:1,"c":float64:2,}',
  ],
  ["a: {x: 1}\n---\na: 5", '{"a":float64:5,}'],
  [
    "a: 1\n---\n- 2",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
  ],
  ["a: 1\n---\nnull", '{"a":float64:1,}'],
  [
    "0x10: a\n1e3: b\n0.1: c\nyes: d\n1e30: e\n-0: g\n.5: h\n1.0: i\n0.000001: j\n1e21: k\n100000000000000000000: l",
    '{"0":string:"g","0.1":string:"c","0.5":string:"h","1":string:"i","1000":string:"b","16":string:"a","1e+20":string:"l","1e+21":string:"k","1e+30":string:"e","1e-06":string:"j","true":string:"d",}',
  ],
  [
    "12345678901234567890: f",
    'ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: unsupported map key of type: uint64, key: 0xab54a98ceb1f0ad2, value: "f"',
  ],
  [
    "~: nullkey",
    'ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "nullkey"',
  ],
  [
    "? [1,2]\n: x",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: invalid map key: []interface {}{1, 2}",
  ],
  [
    "a: \"\\x41\\u00e9\"\nb: 'it''s'\nc: >\n  folded\n  text\nd: |\n  lit\n  text\ne: |-\n  x",
    '{"a":string:"Aé","b":string:"it\'s","c":string:"folded text\\n","d":string:"lit\\ntext\\n","e":string:"x",}',
  ],
  [
    'a: "unterminated',
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: found unexpected end of stream",
  ],
  [
    "a: 1\n b: 2",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context",
  ],
  [
    "\ta: 1",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: found character that cannot start any token",
  ],
  [
    "{a: 1",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected ',' or '}'",
  ],
  [
    "- a\nb: 1",
    "ERR cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected '-' indicator",
  ],
  [
    "a: =\nb: <<\nc: \"yes\"\nd: 'on'",
    '{"a":string:"=","b":string:"\\u003c\\u003c","c":string:"yes","d":string:"on",}',
  ],
  ["__proto__: {x: 1}\nconstructor: 2", '{"__proto__":{"x":float64:1,},"constructor":float64:2,}'],
  ["﻿a: 1", '{"a":float64:1,}'],
];
