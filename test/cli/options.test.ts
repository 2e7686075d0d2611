import { expect, test } from 'vitest';
import { parseOptions, UsageError, type OptionSpec } from '../../cli/options.ts';

const specs: OptionSpec[] = [
  { name: 'token', type: 'string', description: 'a token' },
  { name: 'base-url', type: 'string', description: 'a URL' },
  { name: 'strict', type: 'boolean', description: 'strict' },
];

test('a string option takes a value that starts with a dash (base64url tokens and keys do)', () => {
  expect(parseOptions(['--token', '-Ab_9', '--strict'], specs).values).toMatchObject({ token: '-Ab_9', strict: true });
  expect(parseOptions(['--token', '--x-y'], specs).values.token).toBe('--x-y');
  expect(parseOptions(['--token=-Ab'], specs).values.token).toBe('-Ab');
});

test('another option is not taken as a value, and a missing value is a usage error', () => {
  expect(() => parseOptions(['--token', '--strict'], specs)).toThrow(UsageError);
  expect(() => parseOptions(['--base-url', '--token', 't'], specs)).toThrow(UsageError);
  expect(() => parseOptions(['--token'], specs)).toThrow(/argument missing/);
  expect(() => parseOptions(['--nope', 'x'], specs)).toThrow(/Unknown option '--nope'/);
});
