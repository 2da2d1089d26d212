import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../../shared/errors.ts';
import { bearerToken, secretsEqual } from './auth.ts';

/** Signed webhooks: `X-Pulse-Timestamp` (Unix seconds) and `X-Pulse-Signature: sha256=<hex>`. */
export const TIMESTAMP_HEADER = 'x-pulse-timestamp';
export const SIGNATURE_HEADER = 'x-pulse-signature';
/** A signed request older or newer than this is refused (clock skew and replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The signature a sender computes: HMAC-SHA256 over `<timestamp>.<raw body>`, hex. */
export function signIngest(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/**
 * Lets an ingest request through with the ingest token, or with a valid signature by any of the
 * configured secrets (several at once, for rotation) within the tolerance window. Returns the
 * signature when one was used, so the caller can refuse its replay.
 */
export function authenticateIngest(
  req: Request,
  rawBody: Buffer,
  options: { token: string; hmacSecrets: readonly string[]; nowSeconds: number },
): { signature: string | null } {
  const token = bearerToken(req);
  if (token) {
    if (secretsEqual(token, options.token)) return { signature: null };
    throw new AppError('unauthorized', 'the ingest token is wrong');
  }
  const signature = req.get(SIGNATURE_HEADER);
  const timestamp = req.get(TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    throw new AppError('unauthorized', `send the ingest token as a bearer token, or sign the request (${SIGNATURE_HEADER}, ${TIMESTAMP_HEADER})`);
  }
  if (options.hmacSecrets.length === 0) throw new AppError('unauthorized', 'signed requests are not enabled (INGEST_HMAC_SECRET)');
  if (!/^\d{9,11}$/.test(timestamp) || Math.abs(options.nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new AppError('unauthorized', `${TIMESTAMP_HEADER} must be Unix seconds within ${SIGNATURE_TOLERANCE_SECONDS} s of the server's clock`);
  }
  const valid = options.hmacSecrets.some((secret) => secretsEqual(signature, signIngest(secret, timestamp, rawBody)));
  if (!valid) throw new AppError('unauthorized', 'the signature does not match the body');
  return { signature };
}
