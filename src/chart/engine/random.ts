/**
 * Randomness for template functions: cryptographic by default (as in Helm), or a seeded
 * deterministic generator (`--random-seed`) so the same chart, values and seed render the same bytes.
 */
import { createHash, randomInt } from "node:crypto";

export interface RandomSource {
  /** A uniformly random integer in [0, n). */
  intn(n: number): number;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** A shuffled copy of `items`. */
  shuffle<T>(items: T[]): T[];
}

function shuffleWith<T>(items: T[], intn: (n: number) => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = intn(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Crypto-strength randomness (node:crypto). */
export function cryptoRandom(): RandomSource {
  const self: RandomSource = {
    intn: (n) => randomInt(n),
    bytes: (n) => new Uint8Array(Buffer.from(Array.from({ length: n }, () => randomInt(256)))),
    shuffle: (items) => shuffleWith(items, self.intn),
  };
  return self;
}

/** A deterministic stream: SHA-256 in counter mode over the seed. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  let pool = Buffer.alloc(0);
  const take = (n: number): Buffer => {
    while (pool.length < n) {
      const block = createHash("sha256").update(`${seed}\u0000${counter++}`).digest();
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return out;
  };
  const intn = (n: number): number => {
    if (n <= 0) throw new Error("invalid argument to intn");
    // Rejection sampling keeps the distribution uniform.
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const v = take(4).readUInt32BE(0);
      if (v < limit) return v % n;
    }
  };
  const self: RandomSource = {
    intn,
    bytes: (n) => new Uint8Array(take(n)),
    shuffle: (items) => shuffleWith(items, intn),
  };
  return self;
}
