import { renderMessage, type Message } from '../../shared/messages/index.ts';

/** Validation reasons as an English reader gets them (the tests of what is refused read these). */
export const english = (messages: readonly Message[]): string[] => messages.map((m) => renderMessage(m, 'en'));

/** An AppError's message as a Chinese reader gets it. */
export const chineseOf = (error: { reason: Message }): string => renderMessage(error.reason, 'zh-CN');
