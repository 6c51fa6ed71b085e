/** RFC 6238 TOTP (30 s, 6 digits, SHA-1: what every authenticator app speaks). */
import { Secret, TOTP } from 'otpauth';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label: string) {
  return new TOTP({ issuer: '乡治', label, secret: Secret.fromBase32(secret), period: 30, digits: 6, algorithm: 'SHA1' });
}

export function totpUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

export function checkTotp(secret: string, token: string, timestamp = Date.now()): boolean {
  if (!/^\d{6}$/.test(String(token ?? ''))) return false;
  return totpFor(secret, 'x').validate({ token, window: 1, timestamp }) !== null;
}

export function currentTotp(secret: string, timestamp = Date.now()): string {
  return totpFor(secret, 'x').generate({ timestamp });
}
