import type { EntityManager } from '@mikro-orm/postgresql';
import type { DocumentStatus } from '../generated/graphql';
import { hasDocumentIds, lockDocumentIds, savedByDocumentIds } from './document-id.repository';
import { nextDocumentNumbers, type DocumentPrefix } from './document-number.repository';
import type { RequestContext } from './request-context';
import { RowValidator } from './row-validator';
import { inTransaction } from './transaction';
import { MAX_UPSERT_ITEMS } from './upsert-by-code';
import { userError, type UserError } from './user-error';
import type { WriteJournal } from './write-journal';

export interface DocumentResult {
  index: number;
  ref: string | null;
  number: string | null;
  version: number | null;
  status: DocumentStatus;
}

export interface SaveDocumentsResult<D> {
  documents: D[];
  results: DocumentResult[];
  errors: UserError[];
  replayed: boolean;
}

interface StoredResponse {
  ids: number[];
  results: DocumentResult[];
  errors: UserError[];
}

export interface DocumentInput {
  ref?: string | null;
  number?: string | null;
  version?: number | null;
  /** A client's id of a new document (a sheet row's hidden Document Id): sent again, it names the document it saved. */
  documentId?: string | null;
  lines: unknown[];
}

/** The longest client document id kept. */
const MAX_DOCUMENT_ID = 64;
/** The version a new document is saved with: a document found by its client id is updated from it. */
const CREATED_VERSION = 1;

export interface SavedDocument {
  id: number;
  number: string;
  version: number;
}

/** What one kind of document (prebook, purchase order) adds to the shared push flow. */
/** D: a stored document (existing ones, and new ones made by create); N: what insertNew returns for a new one. */
export interface DocumentSpec<I extends DocumentInput, D extends SavedDocument, V, P, N extends SavedDocument = D> {
  operation: string;
  prefix: DocumentPrefix;
  auditEntity: string;
  label: string;
  /** Loads references and locks the existing documents named in the push, in a few queries for the whole push. */
  prepare(em: EntityManager, input: I[], numbers: string[]): Promise<{ prepared: P; existing: Map<string, D> }>;
  /** Validates one document (the version check is done); returns its values when valid. */
  validate(v: RowValidator, input: I, existing: D | undefined, prepared: P): V | undefined;
  /** Creates one new document in the unit of work (flushed with the others); specs with insertNew use that instead. */
  create?(em: EntityManager, number: string, values: V, documentId: string | null): D;
  /**
   * Inserts the new documents set-based, outside the unit of work (a few statements for any number of
   * documents); returns them in the order given, as what the response shows of them (not entities of
   * `em`, so the transaction's later flushes do not compare thousands of fresh lines again).
   */
  insertNew?(em: EntityManager, documents: Array<{ number: string; values: V; documentId: string | null }>): Promise<N[]>;
  /** Applies values to an existing document; returns whether anything changed. */
  update(em: EntityManager, document: D, values: V): boolean;
  /** Loads documents by id, ready to return (replays). */
  reload(em: EntityManager, ids: number[]): Promise<D[]>;
  /** The audit trail and idempotency store the push writes to (modules/idempotency's writeJournal). */
  journal: WriteJournal;
  /** Lines are updated by id (prebooks), not replaced whole (purchase orders). */
  lineIds?: boolean;
  /** One document per call (saveStandingOrder): errors carry no row. */
  single?: boolean;
}

/**
 * A sheet push: every document is validated on its own and saved whole or not
 * at all, the others being independent; numbers are given to new documents,
 * versions guard updates, and an idempotency key makes a retry return the
 * first result without writing anything again. One transaction for the push.
 * A dry run validates exactly as a save would (references, versions, locks by
 * purchase orders) and stops there: nothing is written or numbered, valid
 * documents come back VALID, and the idempotency key is ignored. A sheet uses
 * it to report, in the same push, the server's errors of a document that
 * already failed its local checks.
 */
export async function saveDocuments<I extends DocumentInput, D extends SavedDocument, V, P, N extends SavedDocument = D>(
  ctx: RequestContext,
  spec: DocumentSpec<I, D, V, P, N>,
  input: I[],
  idempotencyKey?: string | null,
  options: { dryRun?: boolean } = {},
): Promise<SaveDocumentsResult<D | N>> {
  const dryRun = options.dryRun ?? false;
  const lineCount = input.reduce((sum, doc) => sum + doc.lines.length, 0);
  if (input.length > MAX_UPSERT_ITEMS || lineCount > MAX_UPSERT_ITEMS) {
    const message = `A call takes at most ${MAX_UPSERT_ITEMS} lines; this one has ${lineCount} in ${input.length} documents. Split it.`;
    return { documents: [], results: [], errors: [userError('TOO_MANY_ITEMS', message)], replayed: false };
  }

  return inTransaction(ctx, async (em) => {
    const claim = await spec.journal.claimIdempotencyKey<StoredResponse>(ctx, em, spec.operation, dryRun ? null : idempotencyKey, input);
    if ('conflict' in claim) return { documents: [], results: [], errors: [claim.conflict], replayed: false };
    if (claim.replayed) {
      const { ids, results, errors } = claim.response;
      const byId = new Map((await spec.reload(em, ids)).map((d) => [d.id, d]));
      return { documents: ids.flatMap((id) => byId.get(id) ?? []), results, errors, replayed: true };
    }

    const known = await resolveDocumentIds(em, spec, input);
    input = known.input;
    const numbers = [...new Set(input.map((doc) => doc.number?.trim().toUpperCase()).filter((n): n is string => !!n))];
    const { prepared, existing } = await spec.prepare(em, input, numbers);

    const errors: UserError[] = [];
    const results: DocumentResult[] = [];
    const valid: Array<{ index: number; document?: D; values: V }> = [];
    const seenNumbers = new Map<string, number>();
    const seenDocumentIds = new Map<string, number>();
    input.forEach((doc, i) => {
      const index = i + 1;
      const v = new RowValidator(spec.single ? null : index);
      const number = doc.number?.trim().toUpperCase() || null;
      const document = number ? existing.get(number) : undefined;
      const result: DocumentResult = { index, ref: doc.ref ?? null, number, version: document?.version ?? null, status: 'ERROR' };
      results.push(result);
      const documentId = doc.documentId?.trim();
      if (documentId) {
        const first = seenDocumentIds.get(documentId);
        if (documentId.length > MAX_DOCUMENT_ID) v.fail('INVALID_VALUE', 'documentId', `documentId is longer than ${MAX_DOCUMENT_ID} characters`);
        else if (first !== undefined) v.fail('DUPLICATE_DOCUMENT', 'documentId', `the same document as row ${first} of this push (same document id)`);
        seenDocumentIds.set(documentId, index);
      }
      if (number) {
        const first = seenNumbers.get(number);
        if (first !== undefined) v.fail('DUPLICATE_DOCUMENT', 'number', `${number} is also in row ${first} of this push`);
        seenNumbers.set(number, index);
        if (!document) v.fail('NOT_FOUND', 'number', `no ${spec.label} ${number}`);
        else if (doc.version == null) v.fail('REQUIRED', 'version', `version is required to update ${number}`);
        else if (doc.version !== document.version) {
          v.fail(
            'STALE_VERSION',
            'version',
            known.found.has(index)
              ? `already saved as ${number} by an earlier push, and changed since (version ${document.version}): pull ${number} and make your edits there`
              : `${number} was changed by someone else (version ${document.version}, yours ${doc.version}); pull it again`,
          );
          result.status = 'STALE';
        }
      }
      const values = result.status === 'STALE' ? undefined : spec.validate(v, doc, document, prepared);
      errors.push(...v.errors);
      if (values !== undefined && v.ok) valid.push({ index, document, values });
    });
    if (dryRun) {
      for (const { index } of valid) results[index - 1].status = 'VALID';
      return { documents: [], results, errors, replayed: false };
    }

    const newNumbers = await nextDocumentNumbers(em, spec.prefix, valid.filter((d) => !d.document).length);
    // A new document keeps the client's id it came with: sent again, the push finds it (resolveDocumentIds).
    const documentIds = new Map(
      valid.flatMap(({ index, document }) => {
        const documentId = document ? undefined : input[index - 1].documentId?.trim();
        return documentId ? [[index, documentId] as const] : [];
      }),
    );
    const saved = spec.insertNew
      ? await insertNewDocuments(em, spec, spec.insertNew, valid, newNumbers, documentIds)
      : createInUnitOfWork(em, spec, valid, newNumbers, documentIds);
    // insertNewDocuments has flushed the updates already: another flush would only compare every loaded entity again.
    if (!spec.insertNew) await em.flush();
    for (const { index, document, changed } of saved) {
      Object.assign(results[index - 1], { number: document.number, version: document.version, status: changed ? 'SAVED' : 'UNCHANGED' });
    }
    await spec.journal.recordAudits(
      em,
      ctx.actor,
      saved
        .filter((s) => s.changed)
        .map(({ index, document, created }) => ({
          action: created ? 'create' : 'update',
          entity: spec.auditEntity,
          entityId: document.id,
          payload: input[index - 1],
        })),
    );

    const documents = saved.map((s) => s.document);
    if (claim.claimed)
      await spec.journal.storeIdempotentResponse(em, ctx, idempotencyKey!, { ids: documents.map((d) => d.id), results, errors } satisfies StoredResponse);
    return { documents, results, errors, replayed: false };
  });
}

/**
 * New documents whose client document id is already saved (a push retried after its answer was
 * lost, or after the sheet could not be written, possibly edited since) become updates of the saved
 * document from the version it was created with, each line taking the id of the saved line at its
 * position: unchanged, the answer is UNCHANGED with its number; edited, the edit is applied; changed
 * on the server since, STALE_VERSION. Returns the input so rewritten and the indexes (1-based) found.
 */
async function resolveDocumentIds<I extends DocumentInput, D extends SavedDocument, V, P, N extends SavedDocument>(
  em: EntityManager,
  spec: DocumentSpec<I, D, V, P, N>,
  input: I[],
): Promise<{ input: I[]; found: Set<number> }> {
  const idOf = (doc: I) => (doc.number?.trim() ? undefined : doc.documentId?.trim() || undefined);
  const ids = [...new Set(input.map(idOf).filter((id): id is string => !!id && id.length <= MAX_DOCUMENT_ID))];
  if (ids.length === 0 || !hasDocumentIds(spec.prefix)) return { input, found: new Set() };
  await lockDocumentIds(em, spec.prefix, ids);
  const saved = await savedByDocumentIds(em, spec.prefix, ids);
  const found = new Set<number>();
  const rewritten = input.map((doc, i) => {
    const match = saved.get(idOf(doc) ?? '');
    if (!match) return doc;
    found.add(i + 1);
    const lines = doc.lines.map((line, n) => {
      const id = match.lineIds[n];
      return id !== undefined && line && typeof line === 'object' && !('id' in line && (line as { id?: unknown }).id != null) && spec.lineIds
        ? { ...line, id }
        : line;
    });
    return { ...doc, number: match.number, version: CREATED_VERSION, lines };
  });
  return { input: rewritten, found };
}

type Saved<D> = Array<{ index: number; document: D; changed: boolean; created: boolean }>;

function createInUnitOfWork<I extends DocumentInput, D extends SavedDocument, V, P, N extends SavedDocument>(
  em: EntityManager,
  spec: DocumentSpec<I, D, V, P, N>,
  valid: Array<{ index: number; document?: D; values: V }>,
  newNumbers: string[],
  documentIds: ReadonlyMap<number, string>,
): Saved<D> {
  const create = spec.create;
  if (!create) throw new Error(`${spec.operation}: its DocumentSpec has neither create nor insertNew`);
  return valid.map(({ index, document, values }) => {
    if (document) return { index, document, changed: spec.update(em, document, values), created: false };
    return { index, document: create(em, newNumbers.shift()!, values, documentIds.get(index) ?? null), changed: true, created: true };
  });
}

/** Updates go through the unit of work; new documents are inserted set-based (DocumentSpec.insertNew). */
async function insertNewDocuments<I extends DocumentInput, D extends SavedDocument, V, P, N extends SavedDocument>(
  em: EntityManager,
  spec: DocumentSpec<I, D, V, P, N>,
  insertNew: NonNullable<DocumentSpec<I, D, V, P, N>['insertNew']>,
  valid: Array<{ index: number; document?: D; values: V }>,
  newNumbers: string[],
  documentIds: ReadonlyMap<number, string>,
): Promise<Saved<D | N>> {
  const updated = new Map(
    valid.flatMap(({ index, document, values }) =>
      document ? [[index, { index, document, changed: spec.update(em, document, values), created: false }] as const] : [],
    ),
  );
  // The updates, flushed so their versions are known; with none, a flush would compare every loaded reference for nothing.
  if (updated.size > 0) await em.flush();
  const fresh = valid
    .filter((d) => !d.document)
    .map(({ index, values }) => ({ index, number: newNumbers.shift()!, values, documentId: documentIds.get(index) ?? null }));
  const inserted = fresh.length ? await insertNew(em, fresh) : [];
  const created = new Map(fresh.map(({ index }, i) => [index, inserted[i]]));
  return valid.map(({ index }) => updated.get(index) ?? { index, document: created.get(index)!, changed: true, created: true });
}
