import type { AttachmentRow } from './repository.ts';

/** Fields of an attachment record, in the order Case IQ's samples list them. */
export const recordFields = [
  'id',
  'name',
  'nameWithoutExtension',
  'encoding',
  'mimeType',
  'objectId',
  'sizeBytes',
  'description',
  'tags',
  'templateLocale',
  'kind',
  'fileFormat',
  'createdDate',
] as const;

export type AttachmentRecord = Record<(typeof recordFields)[number], unknown>;

export function toRecord(row: AttachmentRow): AttachmentRecord {
  return {
    id: row.id,
    name: row.name,
    nameWithoutExtension: row.name_without_extension,
    encoding: row.encoding,
    mimeType: row.mime_type,
    objectId: row.object_id,
    sizeBytes: row.size_bytes,
    description: row.description,
    tags: JSON.parse(row.tags) as string[],
    templateLocale: row.template_locale,
    kind: row.kind,
    fileFormat: row.file_format,
    createdDate: row.created_date,
  };
}

/** `fields` projection: the named fields plus `id`; unknown names are ignored; none means all. */
export function project(record: AttachmentRecord, fields: string[] | undefined): Partial<AttachmentRecord> {
  if (!fields || fields.length === 0) return record;
  const wanted = new Set<string>(['id', ...fields]);
  return Object.fromEntries(recordFields.filter((f) => wanted.has(f)).map((f) => [f, record[f]]));
}
