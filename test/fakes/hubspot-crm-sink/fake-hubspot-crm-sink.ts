/**
 * Contract fake of HubSpot's CRM, Files and Associations v4 APIs as the KYC
 * sink uses them: bearer token exactly, JSON content type, contacts (batch
 * upsert by email, search, create with 409 on a duplicate email, patch),
 * custom-object records (search, create with inline associations whose
 * types must exist), files (multipart, `options.access` required, duplicate
 * validation per folder), notes (attachment ids must exist), association
 * labels and note lookups. Ids start at the fixtures' so bodies compare.
 * The ledger holds every object created, to count duplicates.
 * @module
 */
import { createHash } from 'node:crypto';
import { loadFixture } from '../shared/fixture-loader.js';
import { startFakeHttpServer, type FakeRequest, type FakeResponse, type FakeServer } from '../webhook-sink/fake-http-server.js';
import { CONTACT_PROPERTIES, kycProperties, propertyErrors } from './crm-property-rules.js';

const fixture = (name: string): Record<string, unknown> => loadFixture(`/work/shared/fixtures/sinks/hubspot/${name}`) as Record<string, unknown>;

/** Options of the fake. */
export interface HubspotCrmSinkFakeOptions {
  readonly token: string;
  /** The custom object type id (the KYC application's by default). */
  readonly objectType?: string;
  /** Answer record creation with 403 MISSING_SCOPES (crm.objects.custom.write not granted). */
  readonly missingCustomScope?: boolean;
}

type Obj = Record<string, unknown>;
/** An object the fake holds. */
export interface StoredObject {
  readonly id: string;
  properties: Record<string, string>;
  readonly associations: Array<{ toId: string; typeId: number }>;
}
/** A stored file. */
export interface StoredFile {
  readonly id: string;
  readonly folderPath: string;
  readonly name: string;
  readonly access: string;
  readonly hash: string;
  readonly size: number;
}

/** A running fake: objects by kind, and every request body received. */
export interface HubspotCrmSinkFake extends FakeServer {
  readonly contacts: Map<string, StoredObject>;
  readonly records: Map<string, StoredObject>;
  readonly notes: Map<string, StoredObject>;
  readonly files: Map<string, StoredFile>;
  readonly bodies: Array<{ method: string; path: string; body: unknown }>;
}

const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const props = (v: unknown): Record<string, string> => obj(v) as Record<string, string>;
const filterOf = (body: Obj): { propertyName: string; value: string } => {
  const f = obj((obj((body.filterGroups as unknown[] | undefined)?.[0]).filters as unknown[] | undefined)?.[0]);
  return { propertyName: String(f.propertyName), value: String(f.value) };
};
const simple = (o: StoredObject): Obj => ({ id: o.id, properties: { ...o.properties, hs_object_id: o.id }, createdAt: '2024-10-01T10:00:00.000Z', updatedAt: '2024-10-01T10:00:00.000Z', archived: false });

/** Start the fake on 127.0.0.1:0. */
export async function startHubspotCrmSinkFake(options: HubspotCrmSinkFakeOptions): Promise<HubspotCrmSinkFake> {
  const objectType = options.objectType ?? '2-3508123';
  const contacts = new Map<string, StoredObject>();
  const records = new Map<string, StoredObject>();
  const notes = new Map<string, StoredObject>();
  const files = new Map<string, StoredFile>();
  const bodies: Array<{ method: string; path: string; body: unknown }> = [];
  const next = { contact: 51234567801n, record: 21876543210n, note: 60123456789n, file: 176543210987n };
  const newId = (k: keyof typeof next): string => String(next[k]++);
  const labels: Record<string, unknown[]> = {
    [`${objectType}/contacts`]: (fixture('associations-v4-labels-list.json').results as unknown[]),
    'notes/contacts': [{ category: 'HUBSPOT_DEFINED', typeId: 202, label: null }],
    [`notes/${objectType}`]: [{ category: 'USER_DEFINED', typeId: 119, label: null }],
  };
  const validType = (pair: string, t: Obj): boolean => (labels[pair] ?? []).some((l) => obj(l).typeId === t.associationTypeId && obj(l).category === t.associationCategory);
  const contactByEmail = (email: string) => [...contacts.values()].find((c) => c.properties.email === email);
  const invalid = (message: string): FakeResponse => ({ status: 400, body: { status: 'error', message, correlationId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', category: 'VALIDATION_ERROR' } });

  function associate(pair: string, list: unknown, exists: (id: string) => boolean): Array<{ toId: string; typeId: number }> | string {
    const out: Array<{ toId: string; typeId: number }> = [];
    for (const a of Array.isArray(list) ? list : []) {
      const toId = String(obj(obj(a).to).id);
      const t = obj((obj(a).types as unknown[] | undefined)?.[0]);
      if (!exists(toId)) return `Association target ${toId} does not exist`;
      if (!validType(pair, t)) return `${String(t.associationCategory)} ${String(t.associationTypeId)} is not a valid association type for ${pair}`;
      out.push({ toId, typeId: t.associationTypeId as number });
    }
    return out;
  }

  async function uploadFile(req: FakeRequest): Promise<FakeResponse> {
    const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: new Uint8Array(req.raw) }).formData();
    const file = form.get('file');
    const text = (k: string): string | undefined => {
      const v = form.get(k);
      return typeof v === 'string' ? v : undefined;
    };
    const opts = obj(JSON.parse(text('options') ?? '{}'));
    const folderPath = text('folderPath') ?? '';
    bodies.push({ method: req.method, path: req.path, body: { folderPath, fileName: form.get('fileName'), options: form.get('options'), file: file instanceof File ? { name: file.name, type: file.type, size: file.size } : null } });
    if (!(file instanceof File)) return invalid('File upload failed: file is required');
    if (typeof opts.access !== 'string') return { status: 400, body: fixture('files-upload-error-400.json') };
    if (folderPath === '' && form.get('folderId') === null) return invalid('File upload failed: folderPath or folderId is required');
    const name = text('fileName') ?? file.name;
    const hash = createHash('sha256').update(new Uint8Array(await file.arrayBuffer())).digest('hex');
    const dup = [...files.values()].find((f) => f.folderPath === folderPath && f.name === name && f.hash === hash);
    if (dup && opts.duplicateValidationStrategy === 'RETURN_EXISTING') return { status: 200, body: { ...fixture('files-upload-response.json'), id: dup.id, name: dup.name, access: dup.access } };
    if (dup && opts.duplicateValidationStrategy === 'REJECT') return invalid(`File upload failed: duplicate of ${dup.id}`);
    const stored: StoredFile = { id: newId('file'), folderPath, name, access: opts.access, hash, size: file.size };
    files.set(stored.id, stored);
    return { status: 201, body: { ...fixture('files-upload-response.json'), id: stored.id, name, size: file.size, access: opts.access, path: `${folderPath}/${name}` } };
  }

  const server = await startFakeHttpServer(async (req) => {
    if (req.headers.authorization !== `Bearer ${options.token}`) return { status: 401, body: fixture('crm-error-401.json') };
    if (req.method === 'POST' && req.path === '/files/v3/files') return uploadFile(req);
    const m = (re: RegExp) => re.exec(req.path);
    if (req.method === 'GET') {
      const lab = m(/^\/crm\/v4\/associations\/([^/]+)\/([^/]+)\/labels$/);
      if (lab) return { status: 200, body: { results: labels[`${lab[1]}/${lab[2]}`] ?? [] } };
      const an = m(/^\/crm\/v4\/objects\/([^/]+)\/([^/]+)\/associations\/notes$/);
      if (an) return { status: 200, body: { results: [...notes.values()].filter((n) => n.associations.some((a) => a.toId === an[2])).map((n) => ({ toObjectId: Number(n.id), associationTypes: [{ category: 'USER_DEFINED', typeId: 119, label: null }] })) } };
      return { status: 404, body: fixture('crm-contact-get-404.json') };
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return { status: 415, body: { status: 'error', message: 'Unsupported content type' } };
    const body = obj(JSON.parse(req.body || '{}'));
    bodies.push({ method: req.method, path: req.path, body });
    const fileExists = (id: string) => files.has(id);
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts/batch/upsert') {
      const input = obj((body.inputs as unknown[] | undefined)?.[0]);
      if (input.idProperty !== 'email') return invalid('idProperty must be a unique property');
      const bad = propertyErrors(CONTACT_PROPERTIES, { ...props(input.properties), email: String(input.id) }, fileExists);
      if (bad) return { status: 400, body: bad };
      let c = contactByEmail(String(input.id));
      const isNew = c === undefined;
      if (!c) contacts.set((c = { id: newId('contact'), properties: { email: String(input.id) }, associations: [] }).id, c);
      c.properties = { ...c.properties, ...props(input.properties) };
      return { status: 200, body: { status: 'COMPLETE', results: [{ ...simple(c), new: isNew }], startedAt: '2024-10-01T10:00:00.401Z', completedAt: '2024-10-01T10:00:00.633Z' } };
    }
    const search = m(/^\/crm\/v3\/objects\/([^/]+)\/search$/);
    if (req.method === 'POST' && search) {
      const { propertyName, value } = filterOf(body);
      const pool = search[1] === 'contacts' ? contacts : search[1] === objectType ? records : new Map<string, StoredObject>();
      const hits = [...pool.values()].filter((o) => o.properties[propertyName] === value);
      return { status: 200, body: { total: hits.length, results: hits.slice(0, 1).map(simple) } };
    }
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts') {
      const p = props(body.properties);
      const bad = propertyErrors(CONTACT_PROPERTIES, p, fileExists);
      if (bad) return { status: 400, body: bad };
      const existing = p.email === undefined ? undefined : contactByEmail(p.email);
      if (existing) return { status: 409, body: { ...fixture('crm-contact-create-409-conflict.json'), message: `Contact already exists. Existing ID: ${existing.id}` } };
      const c: StoredObject = { id: newId('contact'), properties: p, associations: [] };
      contacts.set(c.id, c);
      return { status: 201, body: simple(c) };
    }
    const patch = m(/^\/crm\/v3\/objects\/contacts\/([^/]+)$/);
    if (req.method === 'PATCH' && patch) {
      const c = contacts.get(patch[1] ?? '');
      if (!c) return { status: 404, body: fixture('crm-contact-get-404.json') };
      const bad = propertyErrors(CONTACT_PROPERTIES, props(body.properties), fileExists);
      if (bad) return { status: 400, body: bad };
      c.properties = { ...c.properties, ...props(body.properties) };
      return { status: 200, body: simple(c) };
    }
    if (req.method === 'POST' && req.path === `/crm/v3/objects/${objectType}`) {
      if (options.missingCustomScope) return { status: 403, body: fixture('crm-error-403-scopes.json') };
      const bad = propertyErrors(kycProperties(), props(body.properties), fileExists);
      if (bad) return { status: 400, body: bad };
      const assoc = associate(`${objectType}/contacts`, body.associations, (id) => contacts.has(id));
      if (typeof assoc === 'string') return invalid(assoc);
      const r: StoredObject = { id: newId('record'), properties: props(body.properties), associations: assoc };
      records.set(r.id, r);
      return { status: 201, body: simple(r) };
    }
    if (req.method === 'POST' && req.path === '/crm/v3/objects/notes') {
      const p = props(body.properties);
      if (p.hs_timestamp === undefined) return invalid('Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required","error":"REQUIRED","name":"hs_timestamp"}]');
      if (!(p.hs_attachment_ids ?? '').split(';').every(fileExists)) return invalid(`Property values were not valid: [{"isValid":false,"message":"unknown file id","error":"INVALID_PROPERTY_VALUE","name":"hs_attachment_ids"}]`);
      const list = Array.isArray(body.associations) ? body.associations : [];
      const toContact = associate('notes/contacts', list.filter((a) => contacts.has(String(obj(obj(a).to).id))), () => true);
      const toRecord = associate(`notes/${objectType}`, list.filter((a) => records.has(String(obj(obj(a).to).id))), () => true);
      if (typeof toContact === 'string' || typeof toRecord === 'string' || toContact.length + toRecord.length !== list.length) return invalid('Invalid note associations');
      const n: StoredObject = { id: newId('note'), properties: p, associations: [...toContact, ...toRecord] };
      notes.set(n.id, n);
      return { status: 201, body: simple(n) };
    }
    return { status: 404, body: fixture('crm-contact-get-404.json') };
  });
  return { ...server, contacts, records, notes, files, bodies };
}
