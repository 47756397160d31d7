/**
 * `repositories.yaml`: the list of chart repositories, in Helm's format and location, so real
 * Helm reads what we write and the reverse. Writes are atomic (temp + rename, mode 0600 as Helm
 * writes it); changes that read-modify-write take Helm's lock file (`repositories.lock`).
 */
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { toYaml } from "../chart/engine/funcs/serialize.ts";
import { type GoMap, newGoMap } from "../chart/engine/value.ts";
import { parseYamlNodes, type YNode } from "../chart/engine/yaml.ts";
import { atomicWriteFile } from "./fs.ts";
import { withFileLock } from "./lock.ts";

/** One configured repository (Helm's `repo.Entry`). */
export interface RepoEntry {
  name: string;
  url: string;
  username: string;
  password: string;
  certFile: string;
  keyFile: string;
  caFile: string;
  insecureSkipTlsVerify: boolean;
  passCredentialsAll: boolean;
}

/** The whole file (Helm's `repo.File`). */
export interface RepoFile {
  apiVersion: string;
  generated: string;
  repositories: RepoEntry[];
}

/** The repositories file could not be read. */
export class RepoFileError extends Error {
  override name = "RepoFileError";
}

/** Go's zero time, as Helm writes `generated` for a file it created empty. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

/** An entry with Helm's zero values for everything but name and URL. */
export function newRepoEntry(name: string, url: string): RepoEntry {
  return {
    name,
    url,
    username: "",
    password: "",
    certFile: "",
    keyFile: "",
    caFile: "",
    insecureSkipTlsVerify: false,
    passCredentialsAll: false,
  };
}

/** An empty repositories file. */
export function emptyRepoFile(): RepoFile {
  return { apiVersion: "", generated: ZERO_TIME, repositories: [] };
}

function str(n: YNode | undefined): string {
  if (n === undefined || n.kind === "null") return "";
  switch (n.kind) {
    case "str":
      return n.value;
    case "bool":
      return String(n.value);
    case "int":
      return n.value.toString();
    case "float":
      return String(n.value);
    default:
      throw new RepoFileError("expected a string");
  }
}

function bool(n: YNode | undefined): boolean {
  if (n === undefined || n.kind === "null") return false;
  if (n.kind === "bool") return n.value;
  throw new RepoFileError("expected a boolean");
}

/** Parse repositories.yaml text. Unknown keys (Helm 2's `cache`) are ignored, as Helm does. */
export function parseRepoFile(text: string): RepoFile {
  const doc = parseYamlNodes(text)[0];
  const file = emptyRepoFile();
  if (doc === undefined || doc.kind === "null") return file;
  if (doc.kind !== "map") throw new RepoFileError("repositories file is not a mapping");
  file.apiVersion = str(doc.entries.get("apiVersion"));
  file.generated = str(doc.entries.get("generated")) || ZERO_TIME;
  const repos = doc.entries.get("repositories");
  if (repos !== undefined && repos.kind !== "null") {
    if (repos.kind !== "seq") throw new RepoFileError("repositories is not a list");
    for (const item of repos.items) {
      if (item.kind === "null") continue;
      if (item.kind !== "map") throw new RepoFileError("a repository entry is not a mapping");
      const e = item.entries;
      file.repositories.push({
        name: str(e.get("name")),
        url: str(e.get("url")),
        username: str(e.get("username")),
        password: str(e.get("password")),
        certFile: str(e.get("certFile")),
        keyFile: str(e.get("keyFile")),
        caFile: str(e.get("caFile")),
        insecureSkipTlsVerify: bool(e.get("insecure_skip_tls_verify")),
        passCredentialsAll: bool(e.get("pass_credentials_all")),
      });
    }
  }
  return file;
}

/** Read the repositories file; `null` when it does not exist. Errors name the file. */
export function readRepoFile(path: string): RepoFile | null {
  if (!existsSync(path)) return null;
  try {
    return parseRepoFile(readFileSync(path, "utf8"));
  } catch (err) {
    throw new RepoFileError(`failed to load ${path}: ${(err as Error).message}`);
  }
}

/** The file as Helm marshals it (keys sorted, every field present). */
export function formatRepoFile(file: RepoFile): string {
  const doc: GoMap = newGoMap();
  doc.apiVersion = file.apiVersion;
  doc.generated = file.generated;
  doc.repositories = file.repositories.map((r) => {
    const m = newGoMap();
    m.name = r.name;
    m.url = r.url;
    m.username = r.username;
    m.password = r.password;
    m.certFile = r.certFile;
    m.keyFile = r.keyFile;
    m.caFile = r.caFile;
    m.insecure_skip_tls_verify = r.insecureSkipTlsVerify;
    m.pass_credentials_all = r.passCredentialsAll;
    return m;
  });
  return `${toYaml(doc)}\n`;
}

/** Write the file atomically, mode 0600 (it may hold passwords). */
export function writeRepoFile(path: string, file: RepoFile): void {
  atomicWriteFile(path, formatRepoFile(file), 0o600);
}

/** Helm's lock file for a repositories file: same path with the extension replaced by `.lock`. */
export function repoLockPath(repoFilePath: string): string {
  const ext = extname(repoFilePath);
  return `${ext ? repoFilePath.slice(0, -ext.length) : repoFilePath}.lock`;
}

/** Read, change and write the repositories file under Helm's lock. */
export async function updateRepoFile<T>(
  path: string,
  change: (file: RepoFile, existed: boolean) => Promise<{ file: RepoFile | null; result: T }>,
): Promise<T> {
  return withFileLock(repoLockPath(path), async () => {
    const current = readRepoFile(path);
    const { file, result } = await change(current ?? emptyRepoFile(), current !== null);
    if (file !== null) writeRepoFile(path, file);
    return result;
  });
}

/** The entry named `name`, if any. */
export function findRepo(file: RepoFile, name: string): RepoEntry | undefined {
  return file.repositories.find((r) => r.name === name);
}
