import { stopSharedEngines } from './engines.ts';

/**
 * vitest globalSetup: nothing to set up (engines start on first use, see engines.ts); at the end
 * of the run, stop the engines this run started, if any. Engines given by the environment
 * (.ci/run) are left alone: their owner stops them.
 */
export default function setup(): () => Promise<void> {
  return () => stopSharedEngines();
}
