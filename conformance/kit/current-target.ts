// Worker side only: the CLI's process never imports this (it would load vitest's runtime).
import { inject } from 'vitest';
import type { Target } from './target.ts';

declare module 'vitest' {
  interface ProvidedContext {
    attachkitTarget: Target;
  }
}

/** The target of the run, inside a scenario file (given to the worker by `runConformance`). */
export function currentTarget(): Target {
  const target = inject('attachkitTarget');
  if (!target) throw new Error("no conformance target: scenarios run through 'attachkit conformance <api>'");
  return target;
}
