import type { Migration } from '../../store/store.ts';

export const migrations: Migration[] = [
  {
    id: 'espocrm-001-records',
    // `seq` keeps insertion order explicit (SQLite's rowid order is not a column PostgreSQL has).
    sql: ({ autoId, bigint }) => `
      CREATE TABLE espocrm_attachment (
        seq ${autoId},
        workspace TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT,
        size ${bigint},
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
        created_by_name TEXT NOT NULL,
        UNIQUE (workspace, id)
      );
      CREATE INDEX espocrm_attachment_parent ON espocrm_attachment (workspace, parent_type, parent_id, field);
      CREATE TABLE espocrm_record (
        seq ${autoId},
        workspace TEXT NOT NULL,
        id TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        attributes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (workspace, id)
      );
      CREATE INDEX espocrm_record_type ON espocrm_record (workspace, entity_type);
    `,
  },
  {
    id: 'espocrm-002-chunks',
    // One row per chunk of a chunked upload: its own blob until the upload completes (then the
    // bytes live in the attachment's composed blob and blob_key is NULL); length and digest, so a
    // chunk sent twice is known (chunked-upload.ts).
    sql: ({ bigint }) => `
      CREATE TABLE espocrm_attachment_chunk (
        workspace TEXT NOT NULL,
        attachment_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        size ${bigint} NOT NULL,
        sha256 TEXT NOT NULL,
        blob_key TEXT REFERENCES blobs(key),
        PRIMARY KEY (workspace, attachment_id, seq)
      );
    `,
  },
];
