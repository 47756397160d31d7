/** Go's strict base64 and base32 decoders (padding required), with encoding/base64's error messages. */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Decode `s` in blocks of `block` characters from `alphabet`, with `=` padding; throws Go's
 * `illegal base64 data at input byte N` (or base32) naming the first bad offset. Go ignores CR and LF.
 */
function strictDecode(s: string, alphabet: string, bits: number, block: number, name: string): Buffer {
  const illegal = (at: number): never => {
    throw new Error(`illegal ${name} data at input byte ${at}`);
  };
  const positions: number[] = [];
  let text = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\n" || s[i] === "\r") continue;
    positions.push(i);
    text += s[i];
  }
  let value = 0n;
  let nbits = 0;
  const out: number[] = [];
  for (let i = 0; i < text.length; i += block) {
    const chunk = text.slice(i, i + block);
    const pad = chunk.indexOf("=");
    const data = pad < 0 ? chunk : chunk.slice(0, pad);
    for (let k = 0; k < data.length; k++) if (alphabet.indexOf(data[k]!) < 0) illegal(positions[i + k]!);
    // An incomplete final block is reported at its start.
    if (chunk.length < block) illegal(positions[i]!);
    if (pad >= 0) {
      for (let k = pad; k < block; k++) if (chunk[k] !== "=") illegal(positions[i + k]!);
      if (i + block < text.length) illegal(positions[i + block]!);
      if (pad < 2) illegal(positions[i + pad]!);
    }
    for (const ch of data) {
      value = (value << BigInt(bits)) | BigInt(alphabet.indexOf(ch));
      nbits += bits;
      while (nbits >= 8) {
        out.push(Number((value >> BigInt(nbits - 8)) & 255n));
        nbits -= 8;
      }
    }
    value &= (1n << BigInt(nbits)) - 1n;
  }
  return Buffer.from(out);
}

export function goBase64Decode(s: string): Buffer {
  return strictDecode(s, B64, 6, 4, "base64");
}

export function goBase32Decode(s: string): Buffer {
  return strictDecode(s, B32, 5, 8, "base32");
}
