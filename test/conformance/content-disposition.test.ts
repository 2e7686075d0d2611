import { expect, test } from 'vitest';
import { dispositionFileName } from '../../lib/content-disposition.ts';

test('filename* (RFC 5987) wins over filename, and is percent-decoded', () => {
  expect(dispositionFileName(`attachment; filename="r?sum?.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`)).toBe('résumé.txt');
  expect(dispositionFileName(`attachment; filename*=utf-8'en'a%20b.txt`)).toBe('a b.txt');
  expect(dispositionFileName(`attachment; filename*=UTF-8''bad%E0.txt`)).toBe('bad%E0.txt');
});

test('a quoted filename is an RFC 6266 quoted-string: \\" and \\\\ are escapes', () => {
  expect(dispositionFileName('attachment; filename="a\\"b.txt"')).toBe('a"b.txt');
  expect(dispositionFileName('attachment; filename="back\\\\slash.txt"; size=3')).toBe('back\\slash.txt');
  expect(dispositionFileName('attachment; filename="semi;colon.txt"')).toBe('semi;colon.txt');
});

test('a quoted name with unescaped quotes (as EspoCRM sends it) runs to the last quote of the value', () => {
  expect(dispositionFileName('attachment; filename="say "hi".txt"')).toBe('say "hi".txt');
  expect(dispositionFileName('attachment; filename="say "hi".txt"; size=3')).toBe('say "hi".txt');
});

test('a bare token, and headers without a name', () => {
  expect(dispositionFileName('attachment; filename=plain.txt')).toBe('plain.txt');
  expect(dispositionFileName('attachment; filename = plain.txt ; size=3')).toBe('plain.txt');
  expect(dispositionFileName('inline')).toBeUndefined();
  expect(dispositionFileName(undefined)).toBeUndefined();
});
