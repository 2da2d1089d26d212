/** Tail probabilities for the hotspot detector, in natural logarithms so that p-values of 1e-30 stay exact enough. */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7): about 15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(X = j) for X negative binomial with shape r > 0 and success probability p (mean r(1−p)/p). */
export function logNegBinomialPmf(j: number, r: number, p: number): number {
  return logGamma(j + r) - logGamma(r) - logGamma(j + 1) + r * Math.log(p) + j * Math.log1p(-p);
}

/**
 * ln P(X ≥ k), X negative binomial(r, p). Below the mean it is 1 − the lower sum (not small); above it the
 * terms from k on are summed relative to the first, so a tail of 1e-40 keeps its digits.
 */
export function logNegBinomialUpperTail(k: number, r: number, p: number): number {
  if (k <= 0) return 0;
  const mean = (r * (1 - p)) / p;
  if (k <= mean + 1) {
    let lower = 0;
    for (let j = 0; j < k; j++) lower += Math.exp(logNegBinomialPmf(j, r, p));
    return Math.log(Math.max(1e-300, 1 - lower));
  }
  const first = logNegBinomialPmf(k, r, p);
  let sum = 1;
  let term = 1;
  for (let j = k; j < k + 100_000; j++) {
    term *= ((j + r) / (j + 1)) * (1 - p);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return first + Math.log(sum);
}

/** ln P(X ≥ k), X Poisson(λ): the negative binomial's limit, for tests and comparisons. */
export function logPoissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (k <= lambda + 1) {
    let lower = 0;
    for (let j = 0; j < k; j++) lower += Math.exp(j * Math.log(lambda) - lambda - logGamma(j + 1));
    return Math.log(Math.max(1e-300, 1 - lower));
  }
  const first = k * Math.log(lambda) - lambda - logGamma(k + 1);
  let sum = 1;
  let term = 1;
  for (let j = k; j < k + 100_000; j++) {
    term *= lambda / (j + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return first + Math.log(sum);
}
