import { describe, expect, test } from "bun:test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  defaultValueSources,
  mergeValueOptions,
  type ValueSources,
} from "../../../src/chart/values/options.ts";
import { typedDump } from "../support.ts";

function sources(files: Record<string, string>, stdin = ""): ValueSources {
  return {
    readFile(path) {
      if (!(path in files)) throw new Error(`open ${path}: no such file or directory`);
      return files[path]!;
    },
    readStdin: () => stdin,
    fetchUrl: async (url) => {
      if (url === "https://example.test/v.yaml") return "fromUrl: true\n";
      throw new Error(`Get "${url}": unreachable`);
    },
  };
}

describe("values flags", () => {
  test("files merge in order, then --set-json, --set, --set-string, --set-file, --set-literal", async () => {
    const v = await mergeValueOptions(
      {
        valueFiles: ["a.yaml", "-", "https://example.test/v.yaml", "b.yaml"],
        literalValues: ["order=literal"],
        fileValues: ["order=f.txt,file=f.txt"],
        stringValues: ["order=string,num=1"],
        values: ["order=set,int=1"],
        jsonValues: ['order="json"', '{"obj":{"x":1}}'],
      },
      sources(
        { "a.yaml": "m: {a: 1, b: 1}\nl: [1]\n", "b.yaml": "m: {b: 2}\nl: [2]\n", "f.txt": "file\n" },
        "stdin: yes\n",
      ),
    );
    expect(typedDump(v)).toBe(
      '{"file":string:"file\\n","fromUrl":bool:true,"int":int64:1,"l":[float64:2,],"m":{"a":float64:1,"b":float64:2,},"num":string:"1","obj":{"x":float64:1,},"order":string:"literal","stdin":bool:true,}',
    );
  });

  test("errors carry Helm's prefixes", async () => {
    const s = sources({ "bad.yaml": "- 1\n" });
    await expect(mergeValueOptions({ valueFiles: ["missing.yaml"] }, s)).rejects.toThrow(
      "open missing.yaml: no such file or directory",
    );
    await expect(mergeValueOptions({ valueFiles: ["bad.yaml"] }, s)).rejects.toThrow(
      "failed to parse bad.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
    );
    await expect(mergeValueOptions({ values: ["a"] }, s)).rejects.toThrow(
      'failed parsing --set data: key "a" has no value',
    );
    await expect(mergeValueOptions({ stringValues: ["a"] }, s)).rejects.toThrow(
      "failed parsing --set-string data:",
    );
    await expect(mergeValueOptions({ jsonValues: ["a=x"] }, s)).rejects.toThrow(
      "failed parsing --set-json data a=x",
    );
    await expect(mergeValueOptions({ fileValues: ["a=nope"] }, s)).rejects.toThrow(
      "failed parsing --set-file data: open nope: no such file or directory",
    );
  });

  test("--set-file reads URLs and stdin too", async () => {
    const v = await mergeValueOptions(
      { fileValues: ["u=https://example.test/v.yaml,s=-"] },
      sources({}, "in"),
    );
    expect(typedDump(v)).toBe('{"s":string:"in","u":string:"fromUrl: true\\n",}');
  });

  test("the default sources fetch -f URLs over HTTP", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/v.yaml") res.end("remote: 1\n");
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const src = await defaultValueSources();
      const v = await mergeValueOptions({ valueFiles: [`http://127.0.0.1:${port}/v.yaml`] }, src);
      expect(typedDump(v)).toBe('{"remote":float64:1,}');
      await expect(
        mergeValueOptions({ valueFiles: [`http://127.0.0.1:${port}/missing`] }, src),
      ).rejects.toThrow(`failed to fetch http://127.0.0.1:${port}/missing : 404 Not Found`);
    } finally {
      server.close();
    }
  });
});
