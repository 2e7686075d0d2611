import fs from 'node:fs';
import path from 'node:path';
import { rootDir } from '../registry.ts';
import { UsageError } from './options.ts';

const commands: Record<string, { summary: string; load: () => Promise<(argv: string[]) => Promise<number>> }> = {
  serve: { summary: 'start the reference server for every API on the embedded store', load: async () => (await import('./serve.ts')).serve },
  mock: { summary: "start Prism on one API's contract (stateless, serves the spec's examples)", load: async () => (await import('./mock.ts')).mock },
  conformance: { summary: 'check a live deployment against one API\'s contract', load: async () => (await import('./conformance.ts')).conformance },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length)) + 2;
  return [
    'Usage: attachkit <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    "Run 'attachkit <command> --help' for a command's options; 'attachkit --version' prints the version.",
  ].join('\n');
}

export function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Returns the process exit code: 0 success, 1 checks failed, 2 usage or target problem. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(version());
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`attachkit: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}.`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`attachkit ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
