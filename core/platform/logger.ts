import { pino, type Logger } from 'pino';

/** The process logger. Secrets and personal data are redacted by path wherever they could appear. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'req.headers.authorization',
        'callerPhone',
        '*.callerPhone',
      ],
      censor: '[redacted]',
    },
    // Human-readable lines on a terminal; JSON lines (for log shippers) everywhere else.
    ...(process.stdout.isTTY && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }),
  });
}

export type { Logger };
