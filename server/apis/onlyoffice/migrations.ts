import type { Migration } from '../../store/store.ts';

export const migrations: Migration[] = [
  {
    id: 'onlyoffice-001-crm-files',
    sql: `
      CREATE TABLE onlyoffice_entity (
        entity_type TEXT NOT NULL,
        id INTEGER NOT NULL,
        title TEXT NOT NULL,
        PRIMARY KEY (entity_type, id)
      );
      -- AUTOINCREMENT: like ONLYOFFICE's identity columns, ids of deleted files are never reused.
      CREATE TABLE onlyoffice_file (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        folder_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        content_type TEXT,
        size INTEGER NOT NULL,
        blob_key TEXT NOT NULL REFERENCES blobs(key),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE TABLE onlyoffice_event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        entity_type TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        category_id INTEGER NOT NULL,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE INDEX onlyoffice_event_entity ON onlyoffice_event (entity_type, entity_id);
      CREATE TABLE onlyoffice_event_file (
        event_id INTEGER NOT NULL REFERENCES onlyoffice_event(id),
        file_id INTEGER NOT NULL REFERENCES onlyoffice_file(id),
        PRIMARY KEY (event_id, file_id)
      );
      CREATE INDEX onlyoffice_event_file_file ON onlyoffice_event_file (file_id);
      CREATE TABLE onlyoffice_token (
        selector TEXT PRIMARY KEY,
        verifier_sha256 TEXT NOT NULL,
        user_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
];
