/**
 * Publishing a Flow JSON file to Meta (issue 7 part 2; spec §7): validate
 * locally first, create or update the flow, upload `flow.json`, map Meta's
 * `validation_errors` onto the local file's lines, and publish on request.
 *
 * - Unchanged content (hash of the text and the metadata) with nothing left
 *   to do is reported `unchanged` without any Graph call.
 * - Published flows are immutable at Meta. Newer flows go back to DRAFT
 *   when edited (the published version stays live until the next publish);
 *   older ones refuse the edit (139001), and then a new draft flow is
 *   created beside the published one, which stays live until the new one
 *   is published. Deprecated flows are replaced the same way.
 * @module
 */
import { createHash } from 'node:crypto';
import type { LocatedFinding, SourceSpan } from '../core/flow/finding.js';
import { parseJsonWithSource } from '../core/flow/source/parse-json-with-source.js';
import { validateFlowText } from '../core/flow/validate/validate-text.js';
import type { PublishedFlow, PublishedFlowRepo } from '../store/repos/published-flow-repo.js';
import { isGraphError, type FlowCategory, type GraphClient, type LocatedValidationError } from '../whatsapp/graph/index.js';

/** What to publish. */
export interface PublishInput {
  /** The Flow JSON text exactly as in the file (uploaded as is, so Meta's lines are the file's). */
  readonly text: string;
  /** Catalogue flow id the result is stored under (sends look the live Meta flow up by it). */
  readonly flowId: string;
  readonly name: string;
  readonly categories: readonly FlowCategory[];
  readonly endpointUri?: string | undefined;
  /** Publish after a clean upload. */
  readonly publish: boolean;
  readonly wabaId: string;
}

/** One of Meta's validation errors, placed in the local file. */
export interface MappedValidationError {
  readonly code: string;
  readonly message: string;
  /** JSON pointer into the file, when Meta named a path. */
  readonly pointer: string | undefined;
  /** Span in the local file: from the pointer when it resolves, else Meta's own line/column. */
  readonly span: SourceSpan | undefined;
}

/** What happened at Meta. */
export type PublishStep = 'created' | 'metadata_updated' | 'uploaded' | 'new_draft' | 'published';

/** The outcome of {@link PublishService.publish}. */
export type PublishOutcome =
  | { readonly status: 'invalid_local'; readonly findings: readonly LocatedFinding[] }
  | { readonly status: 'unchanged'; readonly record: PublishedFlow }
  | {
      readonly status: 'saved' | 'published' | 'validation_errors' | 'publish_refused';
      readonly record: PublishedFlow;
      readonly steps: readonly PublishStep[];
      /** Meta's validation errors (status `validation_errors`). */
      readonly errors: readonly MappedValidationError[];
      /** Set when a published flow could not be edited and a new draft flow was created instead. */
      readonly replacedFlowId?: string | undefined;
      /** Why publishing was refused (status `publish_refused`). */
      readonly message?: string | undefined;
    };

/** Graph calls publishing needs. */
export type PublishGraph = Pick<GraphClient, 'createFlow' | 'updateFlowMetadata' | 'uploadFlowJson' | 'getFlow' | 'listFlows' | 'publishFlow'>;

/** Publishing; see the module comment. */
export interface PublishService {
  publish(input: PublishInput): Promise<PublishOutcome>;
}

/** Hash of what Meta holds for a flow: its JSON text and metadata. */
export function publishHash(input: Pick<PublishInput, 'text' | 'name' | 'categories' | 'endpointUri'>): string {
  const canonical = JSON.stringify([input.text, input.name, [...input.categories].sort(), input.endpointUri ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Meta's errors placed in the local text (pointer first: exact even if Meta reformatted the JSON). */
export function mapValidationErrors(text: string, errors: readonly LocatedValidationError[]): MappedValidationError[] {
  let locate: ((pointer: string) => { exact: boolean; span: SourceSpan }) | undefined;
  try {
    const { map } = parseJsonWithSource(text);
    locate = (pointer) => map.locate(pointer);
  } catch {
    locate = undefined;
  }
  return errors.map((e) => {
    const pointer = e.jsonPointers[0];
    const located = pointer === undefined ? undefined : locate?.(pointer);
    const meta = e.line_start === undefined ? undefined : { line_start: e.line_start, line_end: e.line_end ?? e.line_start, column_start: e.column_start ?? 1, column_end: e.column_end ?? e.column_start ?? 1 };
    const span = located?.exact === true ? located.span : (meta ?? located?.span);
    return { code: e.error, message: e.message, pointer, span };
  });
}

/** Build the service. */
export function createPublishService(deps: { graph: PublishGraph; records: PublishedFlowRepo; now?: () => Date }): PublishService {
  const { graph, records } = deps;
  const now = deps.now ?? (() => new Date());

  async function findByName(name: string): Promise<string | undefined> {
    let after: string | undefined;
    for (let page = 0; page < 50; page++) {
      const list = await graph.listFlows({ limit: 100, ...(after !== undefined && { after }) });
      const hit = list.data.find((f) => f.name === name);
      if (hit) return hit.id;
      if (list.after === undefined) return undefined;
      after = list.after;
    }
    return undefined;
  }

  async function remoteFlow(id: string | undefined) {
    if (id === undefined) return undefined;
    try {
      return await graph.getFlow(id, ['id', 'name', 'status', 'categories', 'endpoint_uri']);
    } catch (error) {
      if (isGraphError(error, 100)) return undefined; // deleted at Meta
      throw error;
    }
  }

  return {
    async publish(input) {
      const local = validateFlowText(input.text);
      if (!local.valid) return { status: 'invalid_local', findings: local.findings };
      const hash = publishHash(input);
      const stored = await records.get(input.flowId);
      const record = stored?.wabaId === input.wabaId ? stored : undefined;
      const sameContent = record?.contentHash === hash;
      if (record && sameContent && (!input.publish || record.status === 'PUBLISHED')) return { status: 'unchanged', record };

      const steps: PublishStep[] = [];
      const remote = await remoteFlow(record?.metaFlowId ?? (await findByName(input.name)));
      let id = remote?.id;
      let replacedFlowId: string | undefined;
      // A flow deleted at Meta leaves nothing live; otherwise the stored live flow, or the remote one if it is published.
      let live = remote === undefined ? undefined : (record?.liveMetaFlowId ?? (remote.status === 'PUBLISHED' ? remote.id : undefined));
      const create = async (name: string): Promise<string> => {
        const created = await graph.createFlow({ name, categories: input.categories, ...(input.endpointUri !== undefined && { endpointUri: input.endpointUri }) });
        steps.push('created');
        return created.id;
      };
      const draftName = `${input.name}-${hash.slice(0, 8)}`;
      if (id === undefined) id = await create(input.name);
      else if (remote?.status === 'DEPRECATED') {
        replacedFlowId = id;
        id = await create(draftName);
        steps.push('new_draft');
      }
      let errors: LocatedValidationError[] = [];
      if (!sameContent || steps.includes('created')) {
        try {
          const metadataChanged = remote !== undefined && replacedFlowId === undefined && (remote.name !== input.name || [...(remote.categories ?? [])].sort().join() !== [...input.categories].sort().join() || (input.endpointUri !== undefined && remote.endpoint_uri !== input.endpointUri));
          if (metadataChanged) {
            await graph.updateFlowMetadata(id, { name: input.name, categories: input.categories, ...(input.endpointUri !== undefined && { endpointUri: input.endpointUri }) });
            steps.push('metadata_updated');
          }
          errors = (await graph.uploadFlowJson(id, input.text)).validationErrors;
        } catch (error) {
          // Published and immutable at Meta: a new draft flow beside it; the published one stays live.
          if (!isGraphError(error, 139001)) throw error;
          replacedFlowId = id;
          id = await create(draftName);
          steps.push('new_draft');
          errors = (await graph.uploadFlowJson(id, input.text)).validationErrors;
        }
        steps.push('uploaded');
      }
      const save = async (status: string, publishedAt?: Date): Promise<PublishedFlow> => {
        const next = { flowId: input.flowId, name: input.name, wabaId: input.wabaId, metaFlowId: id, liveMetaFlowId: live, contentHash: errors.length > 0 ? undefined : hash, status, publishedAt: publishedAt ?? record?.publishedAt };
        await records.save(next);
        return next;
      };
      if (errors.length > 0) {
        return { status: 'validation_errors', record: await save('DRAFT'), steps, errors: mapValidationErrors(input.text, errors), replacedFlowId };
      }
      if (input.publish) {
        try {
          await graph.publishFlow(id);
        } catch (error) {
          if (!isGraphError(error, 139002)) throw error;
          return { status: 'publish_refused', record: await save('DRAFT'), steps, errors: [], replacedFlowId, message: error.graphDetails ?? error.message };
        }
        steps.push('published');
        live = id;
        return { status: 'published', record: await save('PUBLISHED', now()), steps, errors: [], replacedFlowId };
      }
      const status = (await graph.getFlow(id, ['id', 'status'])).status ?? 'DRAFT';
      return { status: 'saved', record: await save(status), steps, errors: [], replacedFlowId };
    },
  };
}
