import { hash, verify } from '@node-rs/argon2';
import { AppError, defineErrors } from '../errors.js';

defineErrors({
  WEAK_PASSWORD: { status: 400, message: '密码至少8位，且须包含大写字母、小写字母、数字、符号中的至少三类' },
});

// argon2id with the library defaults (m=19456 KiB, t=2): ~18 ms a hash on this class of machine.
export function hashPassword(plain: string): Promise<string> {
  return hash(plain);
}

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

export function passwordProblems(p: string): string | null {
  if (typeof p !== 'string' || p.length < 8 || p.length > 128) return 'length';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  return classes >= 3 ? null : 'classes';
}

export function requireStrongPassword(p: string): void {
  const why = passwordProblems(p);
  if (why) throw new AppError('WEAK_PASSWORD', { reason: why });
}
