import { readFileSync } from 'node:fs';
import { msg, type Message } from '../../shared/messages/index.ts';

/** Shortest password accepted: for the console's users and ADMIN_PASSWORD alike. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** The most common passwords, lower case (core/platform/common-passwords.txt). */
const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

/** One character, or a unit of up to 4, repeated (`aaaaaaaaaa`, `abcabcabca`). */
function isRepeat(password: string): boolean {
  const chars = [...password];
  for (let unit = 1; unit <= 4 && unit < chars.length; unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  return false;
}

/** Each character one step up, or each one step down, from the last (`0123456789`, `abcdefghij`, `9876543210`). */
function isSequence(password: string): boolean {
  const codes = [...password.toLowerCase()].map((c) => c.codePointAt(0)!);
  return [1, -1].some((step) => codes.every((code, i) => i === 0 || code - codes[i - 1]! === step));
}

/**
 * Why `password` may not be `username`'s, or null when it may: at least 10 characters (at most 256),
 * not containing the username (of 3+ characters; a shorter one: not equal to it), not a repeat or a run, not one of the most common passwords.
 * The message names the rule (shared/messages, rendered in the reader's language).
 */
export function passwordProblem(password: string, username: string): Message | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return msg('password.too_short', { min: MIN_PASSWORD_LENGTH });
  if (length > MAX_PASSWORD_LENGTH) return msg('password.too_long', { max: MAX_PASSWORD_LENGTH });
  const name = username.toLowerCase();
  // A name of one or two characters would rule out too much; it is refused whole.
  const containsName = [...name].length >= 3 ? password.toLowerCase().includes(name) : password.toLowerCase() === name;
  if (containsName) return msg('password.contains_username');
  if (isRepeat(password) || isSequence(password)) {
    return msg('password.run');
  }
  if (COMMON.has(password.toLowerCase())) return msg('password.common');
  return null;
}
