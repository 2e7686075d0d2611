/** `FileType` values (ASC.Web.Core/Files/FileType.cs) and `MimeMapping` for common extensions. */
const byExtension: Record<string, [fileType: number, mime: string]> = {
  '.zip': [1, 'application/zip'],
  '.7z': [1, 'application/x-7z-compressed'],
  '.gz': [1, 'application/gzip'],
  '.mp4': [2, 'video/mp4'],
  '.webm': [2, 'video/webm'],
  '.mp3': [3, 'audio/mpeg'],
  '.wav': [3, 'audio/wav'],
  '.png': [4, 'image/png'],
  '.jpg': [4, 'image/jpeg'],
  '.jpeg': [4, 'image/jpeg'],
  '.gif': [4, 'image/gif'],
  '.svg': [4, 'image/svg+xml'],
  '.webp': [4, 'image/webp'],
  '.xlsx': [5, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  '.xls': [5, 'application/vnd.ms-excel'],
  '.ods': [5, 'application/vnd.oasis.opendocument.spreadsheet'],
  '.csv': [5, 'text/csv'],
  '.pptx': [6, 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  '.ppt': [6, 'application/vnd.ms-powerpoint'],
  '.odp': [6, 'application/vnd.oasis.opendocument.presentation'],
  '.docx': [7, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  '.doc': [7, 'application/msword'],
  '.odt': [7, 'application/vnd.oasis.opendocument.text'],
  '.rtf': [7, 'application/rtf'],
  '.txt': [7, 'text/plain'],
  '.pdf': [7, 'application/pdf'],
  '.html': [7, 'text/html'],
  '.htm': [7, 'text/html'],
};

/** Extension with the dot, lower case, or '' (`FileUtility.GetFileExtension`). */
export function extensionOf(title: string): string {
  const dot = title.lastIndexOf('.');
  return dot > 0 ? title.slice(dot).toLowerCase() : '';
}

export function fileTypeOf(title: string): number {
  return byExtension[extensionOf(title)]?.[0] ?? 0;
}

/** The download's Content-Type comes from the name, as `MimeMapping.GetMimeMapping(title)` does. */
export function mimeTypeOf(title: string): string {
  return byExtension[extensionOf(title)]?.[1] ?? 'application/octet-stream';
}

/** `FileSizeComment.FilesSizeToString`: "512 bytes", "12.5 KB", "3.07 MB". */
export function humanSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toFixed(2))} ${units[unit]}`;
}
