import express from 'express';

/** Size of a base64 text carrying `bytes` bytes, plus room for the other JSON attributes. */
export function base64BodyLimit(bytes: number): number {
  return Math.ceil(bytes / 3) * 4 + 1024 * 1024;
}

export function textBody(limit: number) {
  return express.text({ limit, type: 'text/plain' });
}

export function urlencodedBody(limit: number) {
  return express.urlencoded({ limit, extended: false });
}
