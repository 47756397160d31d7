/**
 * Sprig's `semver` result: Masterminds' `*semver.Version` as templates see it — printed, serialised
 * and typed as a pointer to a struct with unexported fields, read through its methods
 * (`.Major`, `.Prerelease`, `.Compare`, `.IncMinor`…).
 */
import { GoStruct, type GoValue, type MethodSignature } from "../value.ts";
import { compareSemver, type Version } from "./semver.ts";

const OTHER: MethodSignature = { params: ["*semver.Version"] };
const COMPARISONS = new Set([
  "Compare",
  "Equal",
  "LessThan",
  "LessThanEqual",
  "GreaterThan",
  "GreaterThanEqual",
]);

/** Methods with a value receiver; the rest (Original, comparisons) need a pointer. */
const VALUE_METHODS = [
  "String",
  "Major",
  "Minor",
  "Patch",
  "Prerelease",
  "Metadata",
  "IncPatch",
  "IncMinor",
  "IncMajor",
];
const POINTER_METHODS = new Set([...VALUE_METHODS, "Original", ...COMPARISONS]);

/**
 * A `*semver.Version`, or a `semver.Version` value (what the `Inc…` methods return: Go cannot call
 * pointer-receiver methods on it). Go's unexported fields are own properties so templates that
 * reach for them get Go's error.
 */
export class SemverVersion extends GoStruct {
  override readonly goMethods: ReadonlySet<string>;
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly metadata: string;
  readonly original: string;

  constructor(
    v: Version,
    readonly goType: "*semver.Version" | "semver.Version" = "*semver.Version",
  ) {
    super();
    this.goMethods = goType === "semver.Version" ? new Set(VALUE_METHODS) : POINTER_METHODS;
    this.major = v.major;
    this.minor = v.minor;
    this.patch = v.patch;
    this.pre = v.prerelease;
    this.metadata = v.metadata;
    this.original = v.original;
  }

  private get v(): Version {
    const { major, minor, patch, pre, metadata, original } = this;
    return { major, minor, patch, prerelease: pre, metadata, original };
  }

  override goMethodSignature(name: string): MethodSignature | undefined {
    return COMPARISONS.has(name) ? OTHER : undefined;
  }

  /** Version's String has a value receiver. */
  override get valueStringer(): boolean {
    return true;
  }

  /** MarshalJSON: the version string. */
  override goJSON(): GoValue {
    return this.String();
  }

  String(): string {
    const v = this.v;
    return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ""}${v.metadata ? `+${v.metadata}` : ""}`;
  }
  Original(): string {
    return this.v.original;
  }
  Major(): bigint {
    return this.v.major;
  }
  Minor(): bigint {
    return this.v.minor;
  }
  Patch(): bigint {
    return this.v.patch;
  }
  Prerelease(): string {
    return this.v.prerelease;
  }
  Metadata(): string {
    return this.v.metadata;
  }

  /** The next version: a pre-release only loses its suffix; build metadata always goes. */
  private next(part: "major" | "minor" | "patch"): SemverVersion {
    const v = this.v;
    const bumped: Version =
      part === "patch" && v.prerelease !== ""
        ? { ...v, prerelease: "", metadata: "" }
        : {
            major: part === "major" ? v.major + 1n : v.major,
            minor: part === "minor" ? v.minor + 1n : part === "major" ? 0n : v.minor,
            patch: part === "patch" ? v.patch + 1n : 0n,
            prerelease: "",
            metadata: "",
            original: "",
          };
    const out = new SemverVersion({ ...bumped, original: "" }, "semver.Version");
    const prefix = v.original.startsWith("v") ? "v" : "";
    return new SemverVersion({ ...bumped, original: prefix + out.String() }, "semver.Version");
  }
  IncPatch(): SemverVersion {
    return this.next("patch");
  }
  IncMinor(): SemverVersion {
    return this.next("minor");
  }
  IncMajor(): SemverVersion {
    return this.next("major");
  }

  private cmp(o: GoValue): number {
    if (!(o instanceof SemverVersion))
      throw new Error("runtime error: invalid memory address or nil pointer dereference");
    return compareSemver(this.v, o.v);
  }
  Compare(o: GoValue): bigint {
    return BigInt(this.cmp(o));
  }
  Equal(o: GoValue): boolean {
    return this.cmp(o) === 0;
  }
  LessThan(o: GoValue): boolean {
    return this.cmp(o) < 0;
  }
  LessThanEqual(o: GoValue): boolean {
    return this.cmp(o) <= 0;
  }
  GreaterThan(o: GoValue): boolean {
    return this.cmp(o) > 0;
  }
  GreaterThanEqual(o: GoValue): boolean {
    return this.cmp(o) >= 0;
  }
}
