// Photos and PDFs on credits: uploaded as multipart/form-data under /documents/, kept in PostgreSQL with
// the credit (so a backup carries them), served as downloads to whoever may see the credit.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../../../server/src/db/backup';
import { createDatabaseIfMissing } from '../../../../server/src/db/embedded-postgres';
import { MAX_ATTACHMENT_BYTES, MAX_UPLOAD_BODY_BYTES } from '../../../../server/src/modules/credit-attachment/credit-attachment-rules';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0bruised roses')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR dehydrated')]);
const PDF = Buffer.from('%PDF-1.4\n% a QC report\n');
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.from('....')]);
const ATTACHMENTS = `query($n: String!) { credit(number: $n) { attachments { id fileName contentType size url uploadedBy uploadedAt } } }`;

interface Part {
  name?: string;
  filename?: string;
  type?: string;
  body: Buffer | string;
}

function form(...parts: Part[]): FormData {
  const data = new FormData();
  for (const part of parts) {
    if (part.filename === undefined) data.append(part.name ?? 'note', String(part.body));
    else
      data.append(
        part.name ?? 'file',
        new Blob([typeof part.body === 'string' ? part.body : new Uint8Array(part.body)], { type: part.type ?? 'image/jpeg' }),
        part.filename,
      );
  }
  return data;
}

describe('credit attachments', () => {
  let t: TestServer;
  let blooms: string;
  let freshmart: string;
  let warehouse: string;
  let accounting: string;
  let sales: string;
  let claim: string;
  let other: string;

  async function upload(number: string, body: FormData | string, token: string | null = t.adminToken, headers: Record<string, string> = {}) {
    const response = await fetch(`${t.url}/documents/credits/${number}/attachments`, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text) };
  }

  async function download(url: string, token: string | null = t.adminToken) {
    const response = await fetch(`${t.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  async function attachments(number: string, token = t.adminToken) {
    return (await t.ok(ATTACHMENTS, { n: number }, token)).credit?.attachments ?? null;
  }

  async function token(role: string, customer?: string): Promise<string> {
    const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, {
      input: { name: `${role.toLowerCase()} ${customer ?? ''}`.trim(), role, customer: customer ?? null },
    });
    return data.createApiToken.secret;
  }

  async function credit(customer: string, label: string, as = t.adminToken): Promise<string> {
    const invoice = await t.ok(
      `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } errors { message } } }`,
      {
        input: { customer, truckDate: '2027-02-10', lines: [{ labels: [label], unitPrice: '0.80' }] },
      },
    );
    const lineId = invoice.createInvoice.invoice.lines[0].id;
    const data = await t.ok(
      `mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code message } } }`,
      { input: { reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: lineId, units: 10 }] } },
      as,
    );
    expect(data.requestCredit.errors).toEqual([]);
    return data.requestCredit.credit.number;
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    [blooms, freshmart, warehouse, accounting, sales] = await Promise.all([
      token('CUSTOMER', 'BLOOMS'),
      token('CUSTOMER', 'FRESHMART'),
      token('WAREHOUSE'),
      token('ACCOUNTING'),
      token('SALES'),
    ]);
    claim = await credit('BLOOMS', roses[0], blooms);
    other = await credit('FRESHMART', roses[1]);
  });
  afterAll(() => t.close());

  it('stores JPEG, PNG, HEIC and PDF files told by their bytes, and serves each back as a download with nosniff', async () => {
    const stored = await upload(
      other,
      form(
        { filename: 'box 12.jpg', body: JPEG },
        { filename: 'crate.PNG', type: 'image/png', body: PNG },
        { filename: 'IMG_0042.HEIC', type: 'application/octet-stream', body: HEIC },
        // Named as a photo, typed as a photo by the client: its bytes make it a PDF.
        { filename: 'qc-report.jpg', type: 'image/jpeg', body: PDF },
      ),
      sales,
    );
    expect(stored.status).toBe(201);
    expect(stored.json.attachments.map((a: { fileName: string; contentType: string; size: number }) => [a.fileName, a.contentType, a.size])).toEqual([
      ['box 12.jpg', 'image/jpeg', JPEG.length],
      ['crate.PNG', 'image/png', PNG.length],
      ['IMG_0042.HEIC', 'image/heic', HEIC.length],
      ['qc-report.jpg.pdf', 'application/pdf', PDF.length],
    ]);
    const listed = await attachments(other);
    expect(listed).toEqual(stored.json.attachments);
    expect(listed[0]).toMatchObject({ uploadedBy: expect.stringContaining('sales'), url: `/documents/credits/${other}/attachments/${listed[0].id}` });

    for (const [attachment, bytes] of [
      [listed[0], JPEG],
      [listed[3], PDF],
    ] as const) {
      const file = await download(attachment.url, accounting);
      expect(file.status).toBe(200);
      expect(file.body.equals(bytes)).toBe(true);
      expect(file.headers.get('content-type')).toBe(attachment.contentType);
      expect(file.headers.get('content-disposition')).toBe(
        `attachment; filename="${attachment.fileName}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      );
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toContain('sandbox');
    }
    const audit = await t.ok(`{ auditEvents(filter: { action: "attachCreditFiles" }) { nodes { entity payload } } }`);
    expect(audit.auditEvents.nodes[0]).toMatchObject({ entity: 'Credit', payload: { number: other, files: expect.any(Array) } });
  });

  it('refuses a file that is not what it claims (HTML named .jpg), all or nothing: the good file beside it is not stored', async () => {
    const before = await attachments(other);
    const refused = await upload(
      other,
      form({ filename: 'fine.png', type: 'image/png', body: PNG }, { filename: 'photo.jpg', body: '<html><script>alert(1)</script></html>' }),
    );
    expect(refused).toEqual({
      status: 415,
      json: {
        code: 'UNSUPPORTED_FILE_TYPE',
        error: 'File 2 (photo.jpg) is not a JPEG, PNG, HEIC or PDF file (its content says so, whatever its name); nothing was stored.',
      },
    });
    expect(await attachments(other)).toEqual(before);
  });

  it('refuses a file over 10 MB (413) and an empty one (400), storing nothing', async () => {
    const before = await countRows(t.orm, 'credit_attachment');
    const big = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1);
    JPEG.copy(big);
    const tooBig = await upload(other, form({ filename: 'huge.jpg', body: big }));
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toEqual({ code: 'FILE_TOO_LARGE', error: 'File 1 (huge.jpg) has 10 MB; a file may have at most 10 MB. Nothing was stored.' });
    const empty = await upload(other, form({ filename: 'empty.jpg', body: Buffer.alloc(0) }));
    expect(empty).toMatchObject({ status: 400, json: { code: 'EMPTY_FILE' } });
    // A body past the upload's limit is refused without being kept.
    const huge = Buffer.alloc(MAX_UPLOAD_BODY_BYTES + 1024);
    const body = await upload(other, form({ filename: 'a.jpg', body: huge }));
    expect(body).toMatchObject({ status: 413, json: { code: 'BODY_TOO_LARGE' } });
    expect(await countRows(t.orm, 'credit_attachment')).toBe(before);
  });

  it('takes at most 10 files per credit: the 11th is refused 409, also when two uploads race for the last place', async () => {
    const fresh = await credit('FRESHMART', (await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' }))[0]);
    const eight = Array.from({ length: 8 }, (_, i) => ({ filename: `p${i}.jpg`, body: JPEG }));
    expect((await upload(fresh, form(...eight.slice(0, 2)))).status).toBe(201);
    expect((await upload(fresh, form(...eight.slice(2, 4)))).status).toBe(201);
    expect((await upload(fresh, form(...eight.slice(4, 6)))).status).toBe(201);
    expect((await upload(fresh, form(...eight.slice(6, 8)))).status).toBe(201);
    expect((await upload(fresh, form({ filename: 'ninth.png', type: 'image/png', body: PNG }))).status).toBe(201);
    const race = await Promise.all([upload(fresh, form({ filename: 'a.jpg', body: JPEG })), upload(fresh, form({ filename: 'b.jpg', body: JPEG }))]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    const eleventh = await upload(fresh, form({ filename: 'eleventh.jpg', body: JPEG }));
    expect(eleventh).toEqual({
      status: 409,
      json: { code: 'TOO_MANY_ATTACHMENTS', error: `${fresh} has 10 of at most 10 files; 1 more would be too many. Nothing was stored.` },
    });
    expect(await attachments(fresh)).toHaveLength(10);
  });

  it("lets a CUSTOMER attach to and read its own PENDING claim only: another customer's credit is unknown, an approved one closed", async () => {
    const own = await upload(claim, form({ filename: 'my roses.jpg', body: JPEG }), blooms);
    expect(own.status).toBe(201);
    const [mine] = await attachments(claim, blooms);
    expect(mine.fileName).toBe('my roses.jpg');
    expect((await download(mine.url, blooms)).status).toBe(200);
    // FreshMart cannot see, read or add to BLOOMS's claim, nor BLOOMS to FreshMart's credit.
    expect(await attachments(claim, freshmart)).toBeNull();
    expect(await download(mine.url, freshmart)).toMatchObject({ status: 404 });
    expect((await download(mine.url, freshmart)).body.toString()).toContain('UNKNOWN_ATTACHMENT');
    expect(await upload(claim, form({ filename: 'x.jpg', body: JPEG }), freshmart)).toEqual({
      status: 404,
      json: { code: 'UNKNOWN_CREDIT', error: `No credit ${claim}.` },
    });
    const [theirs] = await attachments(other);
    expect((await download(theirs.url, blooms)).status).toBe(404);
    // Approved: the customer's claim is closed to it; staff may still add evidence.
    await t.ok(`mutation { approveCredit(number: "${claim}") { errors { code } } }`);
    expect(await upload(claim, form({ filename: 'late.jpg', body: JPEG }), blooms)).toMatchObject({ status: 409, json: { code: 'CREDIT_CLOSED' } });
    expect((await upload(claim, form({ filename: 'qc.pdf', type: 'application/pdf', body: PDF }), sales)).status).toBe(201);
    expect(await attachments(claim, blooms)).toHaveLength(2);
  });

  it('takes no file on a rejected or void credit, from staff either', async () => {
    const rejected = await credit('FRESHMART', (await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' }))[0]);
    await t.ok(`mutation { rejectCredit(number: "${rejected}", reason: "not our fault") { errors { code } } }`);
    expect(await upload(rejected, form({ filename: 'a.jpg', body: JPEG }))).toEqual({
      status: 409,
      json: { code: 'CREDIT_CLOSED', error: `${rejected} is REJECTED: files are attached to a PENDING or APPROVED credit only. Nothing was stored.` },
    });
    expect(await attachments(rejected)).toEqual([]);
  });

  it('answers a missing or bad token 401, a role that files no credit 403, an unknown credit or file 404, before storing anything', async () => {
    const before = await countRows(t.orm, 'credit_attachment');
    expect(await upload(other, form({ filename: 'a.jpg', body: JPEG }), null)).toMatchObject({ status: 401 });
    expect(await upload(other, form({ filename: 'a.jpg', body: JPEG }), 'not-a-token')).toMatchObject({ status: 401 });
    expect(await upload(other, form({ filename: 'a.jpg', body: JPEG }), warehouse)).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    expect(await upload('CR-999999', form({ filename: 'a.jpg', body: JPEG }))).toMatchObject({ status: 404, json: { code: 'UNKNOWN_CREDIT' } });
    expect(await download(`/documents/credits/${other}/attachments/1`, null)).toMatchObject({ status: 401 });
    for (const id of ['999999', 'abc', '1e3', '-1', '99999999999']) {
      expect((await download(`/documents/credits/${other}/attachments/${id}`)).status, id).toBe(404);
    }
    expect((await download(`/documents/credits/${other}/attachments`)).status).toBe(405);
    expect(await countRows(t.orm, 'credit_attachment')).toBe(before);
  });

  it('answers a body that is not multipart, broken multipart, text fields or no file with a 4xx naming what to send', async () => {
    const before = await countRows(t.orm, 'credit_attachment');
    expect(await upload(other, JSON.stringify({ file: 'x' }), t.adminToken, { 'content-type': 'application/json' })).toMatchObject({
      status: 415,
      json: { code: 'NOT_MULTIPART' },
    });
    const broken = await upload(other, '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\xff\xd8\xff trailing', t.adminToken, {
      'content-type': 'multipart/form-data; boundary=xyz',
    });
    expect(broken).toMatchObject({ status: 400, json: { code: 'BAD_MULTIPART' } });
    expect(await upload(other, form({ name: 'note', body: 'hello' }, { filename: 'a.jpg', body: JPEG }))).toMatchObject({
      status: 400,
      json: { code: 'UNKNOWN_PARAMETER' },
    });
    expect(await upload(other, '--xyz--\r\n', t.adminToken, { 'content-type': 'multipart/form-data; boundary=xyz' })).toMatchObject({
      status: 400,
      json: { code: 'NO_FILE' },
    });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ filename: `${i}.jpg`, body: JPEG }));
    expect(await upload(other, form(...eleven))).toMatchObject({ status: 409, json: { code: 'TOO_MANY_ATTACHMENTS' } });
    expect(await countRows(t.orm, 'credit_attachment')).toBe(before);
  });

  it('goes into a backup with its credit and comes back byte for byte', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-attachments-'));
    const name = `restore_${crypto.randomBytes(4).toString('hex')}`;
    await createDatabaseIfMissing(inject('pgAdminUrl'), name);
    const target = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
    let restored: TestServer | undefined;
    try {
      const file = path.join(dir, 'backup.jsonl.gz');
      const counts = await backupDatabase(t.databaseUrl, file);
      expect(counts.credit_attachment).toBe(await countRows(t.orm, 'credit_attachment'));
      await restoreDatabase(file, target);
      restored = await startTestServer({ databaseUrl: target, adminToken: 'restore-admin' });
      const [first] = await attachments(other);
      const back = await fetch(`${restored.url}${first.url}`, { headers: { authorization: 'Bearer restore-admin' } });
      expect(Buffer.from(await back.arrayBuffer()).equals(JPEG)).toBe(true);
      expect((await restored.ok(ATTACHMENTS, { n: other }, 'restore-admin')).credit.attachments).toEqual(await attachments(other));
    } finally {
      await restored?.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
