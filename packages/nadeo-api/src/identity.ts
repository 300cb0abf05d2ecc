import { NadeoInputError } from './errors';
import { accountId, shown } from './validate';

// A login is the account id's 16 bytes in base64url without padding: 22 characters, the last of which carries only
// 2 of its 6 bits (so it is one of A, Q, g, w).
const LOGIN = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/**
 * The login of an account (the base64url form that dedicated servers and ManiaScript use) from its account id:
 * `5b4d42f4-c2de-407d-b367-cbff3fe817bc` → `W01C9MLeQH2zZ8v_P-gXvA`.
 */
export function accountIdToLogin(id: string): string {
  const hex = accountId(id).replace(/-/g, '');
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** The account id of a login: the inverse of `accountIdToLogin`. A login that is not 16 bytes of base64url is refused. */
export function loginToAccountId(login: string): string {
  if (typeof login !== 'string' || !LOGIN.test(login)) {
    throw new NadeoInputError('login', `must be an account login (22 characters of base64url, such as W01C9MLeQH2zZ8v_P-gXvA), not ${shown(login)}`);
  }
  const hex = Buffer.from(login, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
