import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
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

/** Who sends an ingest request, as far as its headers tell: the ingest token, or a signature still to be checked against the body. */
export type IngestSender = { kind: 'token' } | { kind: 'signed'; signature: string; timestamp: string };

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/i;

/**
 * Checks what the headers alone can, before a byte of the body is read: the ingest token, or a signature
 * of the right form with a timestamp within the window (the signature itself needs the body: verifySignature).
 */
export function ingestSenderOf(req: Request, options: { token: string; hmacSecrets: readonly string[]; nowSeconds: number }): IngestSender {
  const token = bearerToken(req);
  if (token) {
    if (secretsEqual(token, options.token)) return { kind: 'token' };
    throw new AppError('unauthorized', msg('ingest.token_wrong'));
  }
  const signature = req.get(SIGNATURE_HEADER);
  const timestamp = req.get(TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    throw new AppError(
      'unauthorized',
      msg('ingest.credentials_missing', { signatureHeader: SIGNATURE_HEADER, timestampHeader: TIMESTAMP_HEADER }),
    );
  }
  if (options.hmacSecrets.length === 0) throw new AppError('unauthorized', msg('ingest.signing_disabled'));
  if (!SIGNATURE_FORMAT.test(signature)) throw new AppError('unauthorized', msg('ingest.signature_format', { header: SIGNATURE_HEADER }));
  if (!/^\d{9,11}$/.test(timestamp) || Math.abs(options.nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new AppError('unauthorized', msg('ingest.timestamp_skew', { header: TIMESTAMP_HEADER, seconds: SIGNATURE_TOLERANCE_SECONDS }));
  }
  return { kind: 'signed', signature, timestamp };
}

/** Refuses a signed request whose signature no configured secret (several at once, for rotation) gives for this body. */
export function verifySignature(sender: Extract<IngestSender, { kind: 'signed' }>, rawBody: Buffer, hmacSecrets: readonly string[]): void {
  const valid = hmacSecrets.some((secret) => secretsEqual(sender.signature.toLowerCase(), signIngest(secret, sender.timestamp, rawBody)));
  if (!valid) throw new AppError('unauthorized', msg('ingest.signature_mismatch'));
}
