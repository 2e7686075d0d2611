import { parseArgs } from 'node:util';
import { UsageError, type OptionSpec } from '../lib/options.ts';

export { UsageError, type OptionSpec };

export function parseOptions(argv: string[], specs: OptionSpec[], positionals = 0): { values: Record<string, unknown>; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple: boolean }> = { help: { type: 'boolean', multiple: false } };
  for (const spec of specs) options[spec.name] = { type: spec.type, multiple: Boolean(spec.multiple) };
  let parsed;
  try {
    parsed = parseArgs({ args: joinValues(argv, options), allowPositionals: true, options, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument '${parsed.positionals[positionals]}'`);
  const values: Record<string, unknown> = { ...parsed.values };
  for (const spec of specs) {
    if (values[spec.name] === undefined && spec.default !== undefined) values[spec.name] = spec.default;
    if (values[spec.name] === undefined && spec.type === 'boolean') values[spec.name] = false;
  }
  return { values, positionals: parsed.positionals };
}

/**
 * A string option takes the next argument as its value even when it starts with '-': tokens,
 * API keys and secrets do (a Case IQ or ONLYOFFICE token is base64url), and parseArgs alone
 * refuses them as ambiguous. Only the name of another option is not taken as a value.
 */
function joinValues(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const isOption = (arg: string) => arg.startsWith('--') && arg.slice(2).split('=')[0] in options;
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg === '--') return [...joined, ...argv.slice(i)];
    if (arg.startsWith('--') && options[arg.slice(2)]?.type === 'string' && next?.startsWith('-') && !isOption(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

export function helpText(usage: string, summary: string, specs: OptionSpec[]): string {
  const rows = specs.map((spec) => {
    const flag = `--${spec.name}${spec.type === 'string' ? ` ${spec.valueName ?? spec.name.toUpperCase().replaceAll('-', '_')}` : ''}`;
    const fallback = spec.defaultLabel ?? (spec.default === undefined || spec.default === false ? (spec.type === 'boolean' ? 'off' : 'none') : String(spec.default));
    return [flag, `${spec.description} (default: ${fallback})${spec.multiple ? '; repeatable' : ''}`];
  });
  rows.push(['--help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return [`Usage: ${usage}`, '', summary, '', 'Options:', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`)].join('\n');
}
