/**
 * The slice of EspoCRM entity metadata the reference server models (entityDefs of Document and
 * Note, Modules/Crm/Resources/metadata/entityDefs/Document.json, Resources/metadata/entityDefs/Note.json).
 */
export interface FieldDef {
  type: 'varchar' | 'text' | 'enum' | 'file' | 'image' | 'attachmentMultiple' | 'link' | 'wysiwyg';
  required?: boolean;
  /** Accepted extensions (`.pdf`) or mime wildcards (`image/*`); empty means anything. */
  accept?: string[];
  /** Per-field upload limit in MB (overrides attachmentUploadMaxSize). */
  maxFileSize?: number;
}

export const entityDefs: Record<string, { fields: Record<string, FieldDef> }> = {
  Document: {
    fields: {
      name: { type: 'varchar', required: true },
      file: {
        type: 'file',
        required: true,
        accept: ['.pdf', '.odt', '.ods', '.odp', '.docx', '.xlsx', '.pptx', '.doc', '.xls', '.ppt', '.rtf', '.csv', '.md', '.txt'],
      },
      status: { type: 'enum' },
      description: { type: 'text' },
    },
  },
  Note: {
    fields: {
      post: { type: 'text' },
      type: { type: 'varchar' },
      attachments: { type: 'attachmentMultiple' },
      parent: { type: 'link' },
    },
  },
};

/** Field types an attachment of a role may target (Tools/Attachment/AccessChecker.php). */
export const allowedFieldTypes: Record<string, FieldDef['type'][]> = {
  Attachment: ['file', 'image', 'attachmentMultiple'],
  'Inline Attachment': ['wysiwyg'],
};

/** Does the file name or mime type match the field's accept list? (Tools/Attachment/Checker.php) */
export function acceptsFile(field: FieldDef, name: string, mimeType: string | null | undefined): boolean {
  const accept = field.accept ?? [];
  if (accept.length === 0) return true;
  const extension = name.includes('.') ? `.${name.split('.').pop()!.toLowerCase()}` : '';
  return accept.some((rule) => {
    const lower = rule.toLowerCase();
    if (lower.startsWith('.')) return lower === extension;
    if (lower.endsWith('/*')) return (mimeType ?? '').toLowerCase().startsWith(lower.slice(0, -1));
    return lower === (mimeType ?? '').toLowerCase();
  });
}
