import type { Generated, Kysely } from 'kysely';
import type { StoredBlob } from '../../store/blob-store.ts';
import { inBatches, inTransaction, type CoreTables } from '../../store/record-store.ts';
import type { Workspace } from '../../store/workspace.ts';

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

export type OnlyofficeTables = {
  onlyoffice_entity: EntityRow & { workspace: string };
  onlyoffice_file: Omit<FileRow, 'id'> & { id: Generated<number>; workspace: string };
  onlyoffice_event: Omit<EventRow, 'id'> & { id: Generated<number>; workspace: string };
  onlyoffice_event_file: { workspace: string; event_id: number; file_id: number };
  onlyoffice_token: { workspace: string; selector: string; verifier_sha256: string; user_name: string; created_at: string; expires_at: string };
};

export type OnlyofficeDb = Kysely<CoreTables & OnlyofficeTables>;

/** Tables holding a workspace's rows, children first (see ServerApi.workspaceTables). */
export const workspaceTables = ['onlyoffice_event_file', 'onlyoffice_event', 'onlyoffice_file', 'onlyoffice_entity', 'onlyoffice_token'];

const fileColumns = ['id', 'folder_id', 'title', 'content_type', 'size', 'blob_key', 'created_at', 'created_by'] as const;

/** All SQL for ONLYOFFICE's CRM records lives here; handlers speak in rows. */
export class OnlyofficeRepository {
  private readonly db: OnlyofficeDb;

  constructor(
    private readonly ws: Workspace,
    db?: OnlyofficeDb,
  ) {
    this.db = db ?? ws.db.withTables<OnlyofficeTables>();
  }

  /** Runs `work` in one transaction with a repository bound to it (use only that one inside). */
  transaction<T>(work: (repo: OnlyofficeRepository) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (trx) => work(new OnlyofficeRepository(this.ws, trx)));
  }

  async seedEntities(): Promise<void> {
    await this.db
      .insertInto('onlyoffice_entity')
      .values(seededEntities.map((entity) => ({ ...entity, workspace: this.ws.name })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async findEntity(type: EntityType, id: number): Promise<EntityRow | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    return this.db
      .selectFrom('onlyoffice_entity')
      .select(['entity_type', 'id', 'title'])
      .where('workspace', '=', this.ws.name)
      .where('entity_type', '=', type)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Stores the record and claims its blob in one transaction; returns the new file id. */
  async insertFile(row: Omit<FileRow, 'id'>, blob: StoredBlob): Promise<FileRow> {
    return this.transaction(async (repo) => {
      await repo.ws.claimBlob(repo.db, 'onlyoffice', blob);
      const { id } = await repo.db
        .insertInto('onlyoffice_file')
        .values({ ...row, workspace: repo.ws.name })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...row, id: Number(id) };
    });
  }

  async findFile(id: number): Promise<FileRow | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    return this.db.selectFrom('onlyoffice_file').select(fileColumns).where('workspace', '=', this.ws.name).where('id', '=', id).executeTakeFirst();
  }

  /** The files among `ids` that exist, each once, in id order (`FileDao.GetFiles`). */
  async findFiles(ids: number[]): Promise<FileRow[]> {
    const unique = [...new Set(ids)].filter((id) => Number.isSafeInteger(id));
    const found: FileRow[] = [];
    for (const batch of inBatches(unique)) {
      found.push(...(await this.db.selectFrom('onlyoffice_file').select(fileColumns).where('workspace', '=', this.ws.name).where('id', 'in', batch).execute()));
    }
    return found.sort((a, b) => a.id - b.id);
  }

  /** A new history event on the entity, tagged with the given (existing) files. */
  async createEvent(event: Omit<EventRow, 'id'>, fileIds: number[]): Promise<EventRow> {
    return this.transaction(async (repo) => {
      const inserted = await repo.db
        .insertInto('onlyoffice_event')
        .values({ ...event, workspace: repo.ws.name })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(inserted.id);
      const tags = [...new Set(fileIds)].map((fileId) => ({ workspace: repo.ws.name, event_id: id, file_id: fileId }));
      if (tags.length) await repo.db.insertInto('onlyoffice_event_file').values(tags).onConflict((oc) => oc.doNothing()).execute();
      return { ...event, id };
    });
  }

  async filesOfEvent(eventId: number): Promise<FileRow[]> {
    return this.db
      .selectFrom('onlyoffice_file as f')
      .innerJoin('onlyoffice_event_file as ef', 'ef.file_id', 'f.id')
      .select(fileColumns.map((c) => `f.${c}` as const))
      .where('ef.workspace', '=', this.ws.name)
      .where('ef.event_id', '=', eventId)
      .orderBy('f.id')
      .execute();
  }

  /** Every file on every event of the entity, each once (`RelationshipEventDao.GetAllFiles`). */
  async filesOfEntity(type: EntityType, id: number): Promise<FileRow[]> {
    if (!Number.isSafeInteger(id)) return [];
    return this.db
      .selectFrom('onlyoffice_file as f')
      .innerJoin('onlyoffice_event_file as ef', 'ef.file_id', 'f.id')
      .innerJoin('onlyoffice_event as e', 'e.id', 'ef.event_id')
      .select(fileColumns.map((c) => `f.${c}` as const))
      .distinct()
      .where('e.workspace', '=', this.ws.name)
      .where('e.entity_type', '=', type)
      .where('e.entity_id', '=', id)
      .orderBy('f.id')
      .execute();
  }

  /** Untags the file from its events, deletes it and forgets its blob; returns the blob key to remove. */
  /** Start-up repair (ServerApi.dropRecordsWithoutBytes): files whose bytes are gone, untagged and deleted. */
  async dropRecordsWithoutBytes(keys: string[]): Promise<number> {
    return this.transaction(async (repo) => {
      const files = await repo.db.selectFrom('onlyoffice_file').select('id').where('workspace', '=', repo.ws.name).where('blob_key', 'in', keys).execute();
      const ids = files.map((f) => f.id);
      if (ids.length) {
        await repo.db.deleteFrom('onlyoffice_event_file').where('workspace', '=', repo.ws.name).where('file_id', 'in', ids).execute();
        await repo.db.deleteFrom('onlyoffice_file').where('workspace', '=', repo.ws.name).where('id', 'in', ids).execute();
      }
      for (const key of keys) await repo.ws.forgetBlob(repo.db, key);
      return ids.length;
    });
  }

  async deleteFile(id: number): Promise<string | undefined> {
    return this.transaction(async (repo) => {
      const row = await repo.db
        .selectFrom('onlyoffice_file')
        .select('blob_key')
        .where('workspace', '=', repo.ws.name)
        .where('id', '=', id)
        .$if(repo.ws.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!row) return undefined;
      await repo.db.deleteFrom('onlyoffice_event_file').where('workspace', '=', repo.ws.name).where('file_id', '=', id).execute();
      await repo.db.deleteFrom('onlyoffice_file').where('workspace', '=', repo.ws.name).where('id', '=', id).execute();
      await repo.ws.forgetBlob(repo.db, row.blob_key);
      return row.blob_key;
    });
  }
}
