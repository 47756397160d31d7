/** Helm 2 wire messages for tests, defined from the published field numbers (independently of src/). */
import protobuf from "protobufjs";

/** Helm 2's messages, written here from the published field numbers (not from our generated code). */
export const HAPI = protobuf.Root.fromJSON({
  nested: {
    Any: { fields: { type_url: { type: "string", id: 1 }, value: { type: "bytes", id: 2 } } },
    Timestamp: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
    Metadata: {
      fields: {
        name: { type: "string", id: 1 },
        version: { type: "string", id: 4 },
        apiVersion: { type: "string", id: 10 },
      },
    },
    Template: { fields: { name: { type: "string", id: 1 }, data: { type: "bytes", id: 2 } } },
    Config: { fields: { raw: { type: "string", id: 1 } } },
    Chart: {
      fields: {
        metadata: { type: "Metadata", id: 1 },
        templates: { rule: "repeated", type: "Template", id: 2 },
        values: { type: "Config", id: 4 },
        files: { rule: "repeated", type: "Any", id: 5 },
      },
    },
    Status: { fields: { code: { type: "int32", id: 1 }, notes: { type: "string", id: 4 } } },
    Info: {
      fields: {
        status: { type: "Status", id: 1 },
        last_deployed: { type: "Timestamp", id: 3 },
        Description: { type: "string", id: 5 },
      },
    },
    Release: {
      fields: {
        name: { type: "string", id: 1 },
        info: { type: "Info", id: 2 },
        chart: { type: "Chart", id: 3 },
        config: { type: "Config", id: 4 },
        manifest: { type: "string", id: 5 },
        version: { type: "int32", id: 7 },
        namespace: { type: "string", id: 8 },
      },
    },
    GetVersionRequest: { fields: {} },
    Version: { fields: { sem_ver: { type: "string", id: 1 } } },
    GetVersionResponse: { fields: { Version: { type: "Version", id: 1 } } },
    InstallReleaseRequest: {
      fields: {
        chart: { type: "Chart", id: 1 },
        values: { type: "Config", id: 2 },
        name: { type: "string", id: 4 },
        namespace: { type: "string", id: 6 },
      },
    },
    InstallReleaseResponse: { fields: { release: { type: "Release", id: 1 } } },
    ListReleasesRequest: {
      fields: {
        namespace: { type: "string", id: 7 },
        status_codes: { rule: "repeated", type: "int32", id: 6 },
      },
    },
    ListReleasesResponse: {
      fields: { count: { type: "int64", id: 1 }, releases: { rule: "repeated", type: "Release", id: 4 } },
    },
    GetHistoryRequest: { fields: { name: { type: "string", id: 1 }, max: { type: "int32", id: 2 } } },
    GetHistoryResponse: { fields: { releases: { rule: "repeated", type: "Release", id: 1 } } },
  },
});
