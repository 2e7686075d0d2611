import type { Migration } from '../../store/store.ts';

export const migrations: Migration[] = [
  {
    id: 'espocrm-001-records',
    sql: `
      CREATE TABLE espocrm_attachment (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT,
        size INTEGER,
        role TEXT NOT NULL,
        field TEXT,
        parent_type TEXT,
        parent_id TEXT,
        related_type TEXT,
        related_id TEXT,
        source_id TEXT,
        is_being_uploaded INTEGER NOT NULL DEFAULT 0,
        storage TEXT NOT NULL DEFAULT 'EspoUploadDir',
        blob_key TEXT NOT NULL REFERENCES blobs(key),
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        created_by_id TEXT NOT NULL,
        created_by_name TEXT NOT NULL
      );
      CREATE INDEX espocrm_attachment_parent ON espocrm_attachment (parent_type, parent_id, field);
      CREATE TABLE espocrm_record (
        id TEXT PRIMARY KEY,
        entity_type TEXT NOT NULL,
        attributes TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX espocrm_record_type ON espocrm_record (entity_type);
    `,
  },
];
