import type { StoredBlob } from '../../store/blob-store.ts';
import type { Store } from '../../store/store.ts';

export type EntityType = 'contact' | 'opportunity' | 'case';

export interface EntityRow {
  entity_type: EntityType;
  id: number;
  title: string;
}

export interface FileRow {
  id: number;
  folder_id: number;
  title: string;
  content_type: string | null;
  size: number;
  blob_key: string;
  created_at: string;
  created_by: string;
}

export interface EventRow {
  id: number;
  entity_type: EntityType;
  entity_id: number;
  category_id: number;
  content: string;
  created_at: string;
  created_by: string;
}

/** The one folder CRM files live in (`FileDao.GetRoot()`); files outside it are not modelled. */
export const crmRootFolderId = 7;

/** HistoryCategorySystem.FilesUpload and its (English) title. */
export const filesUploadCategory = { id: -2, title: 'Files are uploaded' } as const;

/** The records `attachkit serve` starts with: one of each entity type, id 1. */
export const seededEntities: EntityRow[] = [
  { entity_type: 'contact', id: 1, title: 'Alex Johnson' },
  { entity_type: 'opportunity', id: 1, title: 'Website redesign' },
  { entity_type: 'case', id: 1, title: 'Warranty claim 2026-114' },
];

/** All SQL for ONLYOFFICE's CRM records lives here; handlers speak in rows. */
export class OnlyofficeRepository {
  constructor(private readonly store: Store) {}

  seedEntities(): void {
    const insert = this.store.db.prepare('INSERT OR IGNORE INTO onlyoffice_entity (entity_type, id, title) VALUES (@entity_type, @id, @title)');
    this.store.db.transaction(() => seededEntities.forEach((entity) => insert.run(entity)))();
  }

  findEntity(type: EntityType, id: number): EntityRow | undefined {
    return this.store.db.prepare('SELECT * FROM onlyoffice_entity WHERE entity_type = ? AND id = ?').get(type, id) as EntityRow | undefined;
  }

  /** Stores the record and claims its blob in one transaction; returns the new file id. */
  insertFile(row: Omit<FileRow, 'id'>, blob: StoredBlob): FileRow {
    return this.store.db.transaction(() => {
      this.store.registerBlob('onlyoffice', blob);
      const { lastInsertRowid } = this.store.db
        .prepare(
          `INSERT INTO onlyoffice_file (folder_id, title, content_type, size, blob_key, created_at, created_by)
           VALUES (@folder_id, @title, @content_type, @size, @blob_key, @created_at, @created_by)`,
        )
        .run(row);
      return { ...row, id: Number(lastInsertRowid) };
    })();
  }

  findFile(id: number): FileRow | undefined {
    return this.store.db.prepare('SELECT * FROM onlyoffice_file WHERE id = ?').get(id) as FileRow | undefined;
  }

  /** The files among `ids` that exist, each once, in id order (`FileDao.GetFiles`). */
  findFiles(ids: number[]): FileRow[] {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    return this.store.db
      .prepare(`SELECT * FROM onlyoffice_file WHERE id IN (${unique.map(() => '?').join(', ')}) ORDER BY id`)
      .all(...unique) as FileRow[];
  }

  /** A new history event on the entity, tagged with the given (existing) files. */
  createEvent(event: Omit<EventRow, 'id'>, fileIds: number[]): EventRow {
    return this.store.db.transaction(() => {
      const { lastInsertRowid } = this.store.db
        .prepare(
          `INSERT INTO onlyoffice_event (entity_type, entity_id, category_id, content, created_at, created_by)
           VALUES (@entity_type, @entity_id, @category_id, @content, @created_at, @created_by)`,
        )
        .run(event);
      const id = Number(lastInsertRowid);
      const tag = this.store.db.prepare('INSERT OR IGNORE INTO onlyoffice_event_file (event_id, file_id) VALUES (?, ?)');
      for (const fileId of fileIds) tag.run(id, fileId);
      return { ...event, id };
    })();
  }

  filesOfEvent(eventId: number): FileRow[] {
    return this.store.db
      .prepare('SELECT f.* FROM onlyoffice_file f JOIN onlyoffice_event_file ef ON ef.file_id = f.id WHERE ef.event_id = ? ORDER BY f.id')
      .all(eventId) as FileRow[];
  }

  /** Every file on every event of the entity, each once (`RelationshipEventDao.GetAllFiles`). */
  filesOfEntity(type: EntityType, id: number): FileRow[] {
    return this.store.db
      .prepare(
        `SELECT DISTINCT f.* FROM onlyoffice_file f
           JOIN onlyoffice_event_file ef ON ef.file_id = f.id
           JOIN onlyoffice_event e ON e.id = ef.event_id
         WHERE e.entity_type = ? AND e.entity_id = ? ORDER BY f.id`,
      )
      .all(type, id) as FileRow[];
  }

  /** Untags the file from its events, deletes it and forgets its blob; returns the blob key to unlink. */
  deleteFile(id: number): string | undefined {
    return this.store.db.transaction(() => {
      const row = this.findFile(id);
      if (!row) return undefined;
      this.store.db.prepare('DELETE FROM onlyoffice_event_file WHERE file_id = ?').run(id);
      this.store.db.prepare('DELETE FROM onlyoffice_file WHERE id = ?').run(id);
      this.store.forgetBlob(row.blob_key);
      return row.blob_key;
    })();
  }
}
