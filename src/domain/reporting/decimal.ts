/**
 * Exact decimal arithmetic on report values. Pure: no I/O.
 *
 * Values are JS numbers, but a report means the decimal a person typed (0.1, 12.5, 1612): each
 * number is read as its shortest decimal form (`String(n)`) into a bigint mantissa and a scale,
 * so sums and percentages carry no binary artefacts (0.1 + 0.2 is 0.3, 100 × 9948 / 10000 is
 * 99.48, never 99.47999…). Results go back to the nearest number of the exact decimal.
 */

/** `m × 10^-e`, e ≥ 0. */
interface Dec {
  m: bigint;
  e: number;
}

function toDec(n: number): Dec {
  if (!Number.isFinite(n)) throw new RangeError(`Không phải một số hữu hạn: ${n}`);
  const [mantissa = "0", exponent = "0"] = String(n).split("e");
  const [int = "0", frac = ""] = mantissa.split(".");
  const e = frac.length - Number(exponent);
  const m = BigInt(int + frac);
  return e >= 0 ? { m, e } : { m: m * 10n ** BigInt(-e), e: 0 };
}

function toNumber({ m, e }: Dec): number {
  return Number(`${m}e-${e}`);
}

/** Both at the larger scale. */
function aligned(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.max(a.e, b.e);
  return [a.m * 10n ** BigInt(e - a.e), b.m * 10n ** BigInt(e - b.e), e];
}

/** The exact sum of the numbers (0 for none). */
export function exactSum(values: readonly number[]): number {
  let acc: Dec = { m: 0n, e: 0 };
  for (const v of values) {
    const [x, y, e] = aligned(acc, toDec(v));
    acc = { m: x + y, e };
  }
  return toNumber(acc);
}

/** a − b, exactly. */
export function exactDifference(a: number, b: number): number {
  const [x, y, e] = aligned(toDec(a), toDec(b));
  return toNumber({ m: x - y, e });
}

/** n / d rounded to an integer, half away from zero (d ≠ 0). */
function roundedDivision(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (2n * an + ad) / (2n * ad);
  return negative ? -q : q;
}

/**
 * 100 × numerator / denominator as a percent with two decimals, rounded half away from zero
 * (9948 of 10000 → 99.48; 1 of 3 → 33.33; 2 of 3 → 66.67); null when the denominator is 0.
 */
export function percentOf(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const a = toDec(numerator);
  const b = toDec(denominator);
  // 10000 × (a.m / 10^a.e) / (b.m / 10^b.e), in hundredths of a percent.
  const hundredths = roundedDivision(10000n * a.m * 10n ** BigInt(b.e), b.m * 10n ** BigInt(a.e));
  return toNumber({ m: hundredths, e: 2 });
}
