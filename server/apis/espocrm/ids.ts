import { randomBytes } from 'node:crypto';

/** EspoCRM record ids are 17 lowercase hex characters (Core/Utils/Util::generateId). */
export function newEspoId(): string {
  return randomBytes(9).toString('hex').slice(0, 17);
}

/** EspoCRM's datetime attribute format, UTC: `2026-11-23 10:15:30`. */
export function espoNow(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

/** The id pattern link validation enforces (app/regExpPatterns.json `id`). */
export const idPattern = /^[A-Za-z0-9_=\-.]+$/;
