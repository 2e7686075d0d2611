#!/usr/bin/env node
import fs from 'node:fs';

// A reader that stops early (`attachkit serve --list-faults | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The package ships compiled JavaScript (dist/) and starts it directly. A clone has the
// TypeScript sources beside this file and runs them through tsx, so editing needs no build step;
// ATTACHKIT_COMPILED=1 makes a clone run its dist/ instead (the start-up benchmark does).
const sources = new URL('../cli/main.ts', import.meta.url);
let entry = new URL('../dist/cli/main.js', import.meta.url);
if (fs.existsSync(sources) && process.env.ATTACHKIT_COMPILED !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  entry = sources;
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
