import type { Migration } from '../../store/store.ts';

export const migrations: Migration[] = [
  {
    id: 'caseiq-001-records',
    sql: `
      CREATE TABLE caseiq_case (
        id TEXT PRIMARY KEY,
        created_date TEXT NOT NULL
      );
      -- object_id is not a foreign key: Case IQ's objectId names any record a file hangs on.
      CREATE TABLE caseiq_attachment (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_without_extension TEXT NOT NULL,
        encoding TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        object_id TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        description TEXT,
        tags TEXT NOT NULL,
        template_locale TEXT NOT NULL,
        kind TEXT,
        file_format TEXT,
        created_date TEXT NOT NULL,
        blob_key TEXT NOT NULL REFERENCES blobs(key)
      );
      CREATE INDEX caseiq_attachment_created ON caseiq_attachment (created_date, id);
      CREATE INDEX caseiq_attachment_object ON caseiq_attachment (object_id, created_date, id);
      -- Only the sha256 of a token is kept: a copied database grants nothing.
      CREATE TABLE caseiq_token (
        token_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
];
