import express from 'express';

export function urlencodedBody(limit: number) {
  return express.urlencoded({ limit, extended: false });
}
