/**
 * Start-up use cases around the flow catalogue: find and load the project
 * file, give every compiled form that talks to the endpoint the generic
 * compiled-form handler, and publish the catalogue (with its FLOW-button
 * templates) to a Graph API — the sandbox emulator, which starts empty on
 * every run. Dependencies come in as arguments; `main.ts` calls these.
 * @module
 */
import { existsSync } from 'node:fs';
import type { PublishedFlowRepo } from '../store/repos/published-flow-repo.js';
import type { GraphClient } from '../whatsapp/graph/index.js';
import type { LogSink } from './client-error-recorder.js';
import { createCompiledFormHandler } from './compiled-form-handler.js';
import { createFlowCatalogue, type FlowCatalogue } from './flow-catalogue.js';
import type { HandlerRegistry } from './flow-handlers.js';
import type { PickerMediaDeps } from './media-answers.js';
import { loadProject } from './project/load-project.js';
import { createPublishService } from './publish.js';

/** Where the flows come from: the configured file, else `./flowbridge.yaml`, else the fallback (the sandbox demo), else none. */
export async function loadCatalogue(options: { projectFile: string | undefined; fallback: string | undefined; log: LogSink }): Promise<FlowCatalogue> {
  const path = options.projectFile ?? (existsSync('flowbridge.yaml') ? 'flowbridge.yaml' : options.fallback);
  if (path === undefined) {
    options.log.warn({}, 'no project file (FLOWBRIDGE_PROJECT_FILE or ./flowbridge.yaml): serving no flows');
    return createFlowCatalogue([]);
  }
  const { catalogue, warnings } = await loadProject(path);
  for (const warning of warnings) options.log.info({ project: path }, warning);
  options.log.info({ project: path, flows: catalogue.list().map((f) => f.id) }, 'project loaded');
  return catalogue;
}

/** The generic compiled-form handler for every catalogue flow that talks to the endpoint and has no developer handler. */
export function registerCatalogueHandlers(registry: HandlerRegistry, catalogue: FlowCatalogue, media: PickerMediaDeps): void {
  const taken = new Set(registry.flowIds());
  for (const flow of catalogue.list()) {
    if (taken.has(flow.id) || !flow.usesEndpoint || flow.form === undefined || flow.fieldMap === undefined) continue;
    registry.register(flow.id, createCompiledFormHandler({ fieldMap: flow.fieldMap, model: flow.form, media }));
  }
}

/** What {@link publishCatalogue} needs. */
export interface PublishCatalogueOptions {
  readonly catalogue: FlowCatalogue;
  readonly graph: GraphClient;
  readonly records: PublishedFlowRepo;
  readonly wabaId: string;
  /** The endpoint URI registered for flows that use it. */
  readonly endpointUri: string;
  readonly log: LogSink;
}

/** Publish every flow (unchanged content is a no-op) and create each flow's FLOW-button template. */
export async function publishCatalogue(options: PublishCatalogueOptions): Promise<void> {
  const { graph, log } = options;
  const publisher = createPublishService({ graph, records: options.records });
  for (const flow of options.catalogue.list()) {
    const outcome = await publisher.publish({
      text: JSON.stringify(flow.flowJson, null, 2), flowId: flow.id, name: flow.name,
      categories: flow.categories, endpointUri: flow.usesEndpoint ? options.endpointUri : undefined, publish: true, wabaId: options.wabaId,
    });
    log.info({ flow: flow.id, outcome: outcome.status }, 'flow published');
    const live = outcome.status === 'invalid_local' ? undefined : outcome.record.liveMetaFlowId;
    const template = flow.message.templateName;
    if (live === undefined || template === undefined) continue;
    await graph.createTemplate({
      name: template, language: flow.message.templateLanguage ?? 'en_US', category: 'MARKETING', body: flow.message.body,
      flowButton: flow.usesEndpoint ? { text: flow.message.cta, flow: { id: live }, action: 'data_exchange' } : { text: flow.message.cta, flow: { id: live }, navigateScreen: flow.firstScreen },
    });
  }
}
