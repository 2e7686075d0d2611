/**
 * The name-derived fields of an attachment record. The extension is what follows the last dot,
 * unless that dot starts the name (`.env` has none), as Node's path.extname reads it.
 */
export function splitFileName(name: string): { nameWithoutExtension: string; extension: string | null } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { nameWithoutExtension: name, extension: null };
  return { nameWithoutExtension: name.slice(0, dot), extension: name.slice(dot + 1) };
}

const formatsByMimeType: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/json': 'json',
  'application/zip': 'zip',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/html': 'html',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'message/rfc822': 'eml',
};

/** `fileFormat`: the lower-cased extension, else a format named by the media type, else null. */
export function fileFormatOf(name: string, mimeType: string): string | null {
  const { extension } = splitFileName(name);
  if (extension) return extension.toLowerCase();
  return formatsByMimeType[mimeType.split(';')[0].trim().toLowerCase()] ?? null;
}
