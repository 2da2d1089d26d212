import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { Request } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';

export interface Upload {
  fields: Record<string, string>;
  file: { path: string; name: string };
}

/**
 * Streams a multipart upload's one file to a temporary file (never into memory), refusing a file over
 * `maxBytes` with 413. Fields must come before the file in the form, as browsers send them.
 */
export async function receiveUpload(req: Request, maxBytes: number): Promise<Upload> {
  if (!/^multipart\/form-data/i.test(req.get('content-type') ?? '')) {
    throw new AppError('unsupported_media_type', msg('upload.not_multipart'));
  }
  const dir = join(tmpdir(), 'pulse-uploads'); // os.tmpdir(): TMPDIR, read at each upload
  await mkdir(dir, { recursive: true });
  return new Promise<Upload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: Upload['file'] | null = null;
    let fileStream: Readable | null = null;
    let writing: Promise<void> | null = null;
    let tooLarge = false;
    let discarded = false;
    /** Refuses the upload once what was written of its file is removed. */
    const discard = (err: Error) => {
      if (discarded) return;
      discarded = true;
      fileStream?.destroy(); // ends the write, so the file is not created again after it is removed
      void (async () => {
        await writing?.catch(() => undefined);
        if (file) await rm(file.path, { force: true });
        reject(err);
      })();
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: maxBytes },
        defParamCharset: 'utf8',
      });
    } catch (err) {
      // A content type busboy cannot read, e.g. multipart without a boundary.
      return reject(new AppError('bad_request', msg('upload.unreadable', { detail: (err as Error).message })));
    }
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream, info) => {
      const path = join(dir, randomUUID());
      file = { path, name: info.filename || 'upload' };
      fileStream = stream;
      stream.on('limit', () => (tooLarge = true));
      writing = pipeline(stream, createWriteStream(path));
      writing.catch(() => undefined); // awaited on close, or by discard
    });
    parser.on('error', (err: Error) => discard(new AppError('bad_request', msg('upload.unreadable', { detail: err.message }))));
    req.on('close', () => {
      if (!req.complete) discard(new AppError('bad_request', msg('upload.cut_off')));
    });
    parser.on('close', () => {
      if (discarded) return;
      void (async () => {
        try {
          await writing;
        } catch (err) {
          return discard(err as Error);
        }
        if (!file) return reject(new AppError('validation_failed', msg('upload.no_file')));
        if (tooLarge) {
          return discard(new AppError('payload_too_large', msg('file.too_large', { mb: Math.round(maxBytes / 2 ** 20) })));
        }
        resolve({ fields, file });
      })();
    });
    req.pipe(parser);
  });
}
