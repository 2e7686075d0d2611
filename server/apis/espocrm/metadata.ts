/**
 * The slice of EspoCRM entity metadata the reference server models: the fields of Document, Note
 * and Attachment in their entityDefs order (Modules/Crm/Resources/metadata/entityDefs/Document.json,
 * Resources/metadata/entityDefs/Note.json, Attachment.json, EspoCRM 10.0). The order matters:
 * field validation reports the first failing field in it.
 */
export interface FieldDef {
  type:
    | 'varchar' | 'text' | 'enum' | 'date' | 'datetime' | 'bool' | 'int' | 'autoincrement' | 'jsonObject' | 'jsonArray' | 'foreign'
    | 'file' | 'image' | 'attachmentMultiple' | 'link' | 'linkParent' | 'linkMultiple' | 'wysiwyg';
  required?: boolean;
  readOnly?: boolean;
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
      type: { type: 'enum' },
      publishDate: { type: 'date', required: true },
      expirationDate: { type: 'date' },
      description: { type: 'text' },
      createdAt: { type: 'datetime', readOnly: true },
      modifiedAt: { type: 'datetime', readOnly: true },
      createdBy: { type: 'link', readOnly: true },
      modifiedBy: { type: 'link', readOnly: true },
      assignedUser: { type: 'link' },
      teams: { type: 'linkMultiple' },
      accounts: { type: 'linkMultiple' },
      folder: { type: 'link' },
    },
  },
  Note: {
    fields: {
      post: { type: 'text' },
      data: { type: 'jsonObject', readOnly: true },
      // Read-only in entityDefs; the reference server still reads it on create, to refuse
      // non-Post types from non-admins as RecordHooks/Note/BeforeCreate.php does.
      type: { type: 'enum' },
      targetType: { type: 'enum' },
      parent: { type: 'linkParent' },
      related: { type: 'linkParent', readOnly: true },
      attachments: { type: 'attachmentMultiple' },
      number: { type: 'autoincrement', readOnly: true },
      teams: { type: 'linkMultiple' },
      portals: { type: 'linkMultiple' },
      users: { type: 'linkMultiple' },
      isGlobal: { type: 'bool' },
      createdByGender: { type: 'foreign', readOnly: true },
      notifiedUserIdList: { type: 'jsonArray', readOnly: true },
      isInternal: { type: 'bool' },
      isPinned: { type: 'bool', readOnly: true },
      reactionCounts: { type: 'jsonObject', readOnly: true },
      myReactions: { type: 'jsonArray', readOnly: true },
      createdAt: { type: 'datetime', readOnly: true },
      modifiedAt: { type: 'datetime', readOnly: true },
      createdBy: { type: 'link', readOnly: true },
      modifiedBy: { type: 'link', readOnly: true },
    },
  },
  Attachment: {
    fields: {
      name: { type: 'varchar', required: true },
      type: { type: 'varchar' },
      size: { type: 'int' },
      parent: { type: 'linkParent' },
      related: { type: 'linkParent' },
      source: { type: 'link', readOnly: true },
      field: { type: 'varchar' },
      isBeingUploaded: { type: 'bool' },
      createdAt: { type: 'datetime', readOnly: true },
      createdBy: { type: 'link', readOnly: true },
      modifiedAt: { type: 'datetime', readOnly: true },
      contents: { type: 'text' },
      role: { type: 'enum' },
      storage: { type: 'varchar' },
      storageFilePath: { type: 'varchar' },
      global: { type: 'bool' },
    },
  },
};

/**
 * The attributes a field stores or takes as input (Core/Utils/Database/Orm/FieldConverters/*):
 * a link is `<f>Id`, a link-multiple `<f>Ids`, a parent link `<f>Id` + `<f>Type`. Their `Name`,
 * `Names` and `Types` companions are derived on read and never input.
 */
function inputAttributes(field: string, def: FieldDef): string[] {
  switch (def.type) {
    case 'file':
    case 'image':
    case 'link':
      return [`${field}Id`];
    case 'linkParent':
      return [`${field}Id`, `${field}Type`];
    case 'linkMultiple':
    case 'attachmentMultiple':
      return [`${field}Ids`];
    default:
      return [field];
  }
}

/** Every attribute a record of the type has on read: input attributes and their derived companions. */
export function knownAttributes(entityType: string): Set<string> {
  const fields = entityDefs[entityType]?.fields ?? {};
  const names = Object.entries(fields).flatMap(([field, def]) => {
    const input = inputAttributes(field, def);
    if (def.type === 'attachmentMultiple') return [...input, `${field}Names`, `${field}Types`];
    if (def.type === 'linkMultiple') return [...input, `${field}Names`];
    if (input[0] !== field) return [...input, `${field}Name`];
    return input;
  });
  return new Set(['id', 'deleted', 'versionNumber', ...names]);
}

/** The field an input attribute belongs to (`fileId` → `file`), if the entity defines one. */
export function fieldOfAttribute(entityType: string, attribute: string): string | undefined {
  const fields = entityDefs[entityType]?.fields ?? {};
  return Object.keys(fields).find((field) => inputAttributes(field, fields[field]).includes(attribute));
}

/**
 * What create and update take from a request body: the attributes of the entity's fields that
 * are not read-only. Everything else is dropped silently, as ORM/BaseEntity.php::populateFromArray
 * walks only defined attributes and the record service's input filter drops read-only ones.
 */
export function writableAttributes(entityType: string, input: Record<string, unknown>): Record<string, unknown> {
  const fields = entityDefs[entityType]?.fields ?? {};
  const allowed = new Set(Object.entries(fields).flatMap(([field, def]) => (def.readOnly ? [] : inputAttributes(field, def))));
  return Object.fromEntries(Object.entries(input).filter(([key]) => allowed.has(key)));
}

/** The entity each body-carrying operation creates or updates. */
export const entityOfOperation: Record<string, string> = {
  createAttachment: 'Attachment',
  createDocument: 'Document',
  updateDocument: 'Document',
  patchDocument: 'Document',
  createNote: 'Note',
  updateNote: 'Note',
  patchNote: 'Note',
};

/** Field types whose attributes the ORM stores as text (varchar, text, enum, date and datetime columns). */
export const textFieldTypes: ReadonlySet<FieldDef['type']> = new Set(['varchar', 'text', 'enum', 'date', 'datetime', 'wysiwyg']);

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
