import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../../core/platform/config.ts';
import type { RateLimitOptions } from './rate-limit.ts';

/** What the HTTP edge enforces besides authentication: rate limits and allowed browser origins. */
export interface SecurityOptions extends RateLimitOptions {
  /** Origins allowed besides the page's own (lower-case `scheme://host[:port]`). */
  allowedOrigins: readonly string[];
  /** express `trust proxy`: whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: string | boolean;
}

/** Vite's dev server (`vite` on 5173) proxies the API; its pages are allowed outside production only. */
const VITE_DEV_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

export function securityOptions(config: Config): SecurityOptions {
  return {
    loginFailuresPerUserIp: config.LOGIN_FAILURES_PER_USER_IP,
    loginFailuresPerIp: config.LOGIN_FAILURES_PER_IP,
    loginBlockSeconds: config.LOGIN_BLOCK_SECONDS,
    ingestRequestsPerMinute: config.INGEST_REQUESTS_PER_MINUTE,
    trustProxy: config.TRUST_PROXY === 'false' ? false : config.TRUST_PROXY,
    allowedOrigins: config.NODE_ENV === 'production' ? config.ALLOWED_ORIGINS : [...config.ALLOWED_ORIGINS, ...VITE_DEV_ORIGINS],
  };
}

/**
 * The Content-Security-Policy of every answer, listed whole (no helmet defaults mixed in): code,
 * styles, fonts and connections (HTTP and the socket.io websocket) from this origin only; images
 * also as data:/blob: URLs (ECharts' "save as image", Element Plus icons); no plugins, no inline
 * script, no framing by other sites, forms post only here. Inline *style attributes* stay allowed:
 * Element Plus and ECharts position popovers and tooltips with them (an injected style cannot run code).
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  manifestSrc: ["'self'"],
};

/**
 * helmet with the CSP above. HSTS and `upgrade-insecure-requests` are off: bureaus often serve the
 * intranet over plain HTTP, and HSTS belongs to the TLS-terminating proxy.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    strictTransportSecurity: false,
  });
}
