import type { Migration } from '../../store/store.ts';

export const migrations: Migration[] = [
  {
    id: 'onlyoffice-001-crm-files',
    // Every row carries its workspace. File and event ids come from one sequence for all
    // workspaces (a workspace's first file need not be 1, as on a portal with history).
    sql: ({ autoId, bigint }) => `
      CREATE TABLE onlyoffice_entity (
        workspace TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        id ${bigint} NOT NULL,
        title TEXT NOT NULL,
        PRIMARY KEY (workspace, entity_type, id)
      );
      -- autoId: like ONLYOFFICE's identity columns, ids of deleted files are never reused.
      CREATE TABLE onlyoffice_file (
        id ${autoId},
        workspace TEXT NOT NULL,
        folder_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        content_type TEXT,
        size ${bigint} NOT NULL,
        blob_key TEXT NOT NULL REFERENCES blobs(key),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE INDEX onlyoffice_file_workspace ON onlyoffice_file (workspace, id);
      CREATE TABLE onlyoffice_event (
        id ${autoId},
        workspace TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id ${bigint} NOT NULL,
        category_id INTEGER NOT NULL,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE INDEX onlyoffice_event_entity ON onlyoffice_event (workspace, entity_type, entity_id);
      CREATE TABLE onlyoffice_event_file (
        workspace TEXT NOT NULL,
        event_id ${bigint} NOT NULL REFERENCES onlyoffice_event(id),
        file_id ${bigint} NOT NULL REFERENCES onlyoffice_file(id),
        PRIMARY KEY (event_id, file_id)
      );
      CREATE INDEX onlyoffice_event_file_file ON onlyoffice_event_file (file_id);
      CREATE TABLE onlyoffice_token (
        selector TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        verifier_sha256 TEXT NOT NULL,
        user_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX onlyoffice_token_workspace ON onlyoffice_token (workspace);
    `,
  },
];
