import type { Migration } from '../../store/store.ts';

export const migrations: Migration[] = [
  {
    id: 'caseiq-001-records',
    // Columns the listing sorts or pages by are sortableText: bytewise order on both engines,
    // so a page and its cursors mean the same on SQLite and PostgreSQL.
    sql: ({ bigint, sortableText }) => `
      CREATE TABLE caseiq_case (
        workspace TEXT NOT NULL,
        id TEXT NOT NULL,
        created_date TEXT NOT NULL,
        PRIMARY KEY (workspace, id)
      );
      -- object_id is not a foreign key: Case IQ's objectId names any record a file hangs on.
      CREATE TABLE caseiq_attachment (
        workspace TEXT NOT NULL,
        id ${sortableText} NOT NULL,
        name ${sortableText} NOT NULL,
        name_without_extension ${sortableText} NOT NULL,
        encoding ${sortableText} NOT NULL,
        mime_type ${sortableText} NOT NULL,
        object_id ${sortableText} NOT NULL,
        size_bytes ${bigint} NOT NULL,
        description TEXT,
        tags TEXT NOT NULL,
        template_locale TEXT NOT NULL,
        kind TEXT,
        file_format TEXT,
        created_date ${sortableText} NOT NULL,
        blob_key TEXT NOT NULL REFERENCES blobs(key),
        PRIMARY KEY (workspace, id)
      );
      CREATE INDEX caseiq_attachment_created ON caseiq_attachment (workspace, created_date, id);
      CREATE INDEX caseiq_attachment_object ON caseiq_attachment (workspace, object_id, created_date, id);
      -- Only the sha256 of a token is kept: a copied database grants nothing.
      CREATE TABLE caseiq_token (
        token_hash TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        client_id TEXT NOT NULL,
        expires_at ${bigint} NOT NULL
      );
      CREATE INDEX caseiq_token_workspace ON caseiq_token (workspace);
    `,
  },
];
