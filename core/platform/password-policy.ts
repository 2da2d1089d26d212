import { readFileSync } from 'node:fs';

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
 * Messages are Chinese first and name the rule.
 */
export function passwordProblem(password: string, username: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 个字符 / password: at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `密码至多 ${MAX_PASSWORD_LENGTH} 个字符 / password: at most ${MAX_PASSWORD_LENGTH} characters`;
  const name = username.toLowerCase();
  // A name of one or two characters would rule out too much; it is refused whole.
  const containsName = [...name].length >= 3 ? password.toLowerCase().includes(name) : password.toLowerCase() === name;
  if (containsName) return '密码不能包含用户名 / password: must not contain the username';
  if (isRepeat(password) || isSequence(password)) {
    return '密码过于简单（重复或连续的字符）/ password: a repeated or consecutive run of characters';
  }
  if (COMMON.has(password.toLowerCase())) return '密码是常见密码之一，请换一个 / password: one of the most common passwords';
  return null;
}
