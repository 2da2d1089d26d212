import type { Request } from 'express';
import { negotiateLanguage, type MessageLanguage } from '../../shared/messages/index.ts';

/** The language of the request's `Accept-Language` among the catalogue's (Chinese by default). */
export function requestLanguage(req: Request): MessageLanguage {
  return negotiateLanguage(req.get('accept-language'));
}
