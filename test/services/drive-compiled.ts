/**
 * Test helper: load a fixture form through its connector, compile it, and
 * drive the compiled flow in the runtime against the real endpoint (the
 * server harness: real encryption, signatures, sessions) answered by the
 * compiled-form handler.
 * @module
 */
import { readFileSync } from 'node:fs';
import { compileForm, type CompileResult } from '../../src/core/compile/compile-form.js';
import type { FormModel } from '../../src/core/form/form-model.js';
import { autoFill, type AutoFillResult } from '../../src/core/runtime/auto-fill.js';
import type { EndpointClient, EndpointReply, EndpointRequest } from '../../src/core/runtime/endpoint/endpoint-client.js';
import { endpointFailure, interpretReply } from '../../src/core/runtime/endpoint/endpoint-reply.js';
import { createFlowRuntime, type FlowRuntime } from '../../src/core/runtime/flow-runtime.js';
import { findSource } from '../../src/sources/registry.js';
import { sealRequest, type Harness } from '../server/server-harness.js';

/** A fixture form, its FormModel and its compiled flow. */
export interface CompiledFixture {
  name: string;
  model: FormModel;
  compiled: CompileResult;
}

/** Load `/work/shared/fixtures/sources/<system>/<file>.json` through the system's connector and compile it. */
export function compiledFixture(system: string, file: string): CompiledFixture {
  const connector = findSource(system);
  if (!connector) throw new Error(`no connector ${system}`);
  const raw: unknown = JSON.parse(readFileSync(`/work/shared/fixtures/sources/${system}/${file}.json`, 'utf8'));
  const { model } = connector.mapDefinition(raw);
  return { name: `${system}/${file}`, model, compiled: compileForm(model) };
}

/** Send one plaintext request through the real endpoint and read the decrypted reply (or the HTTP status). */
export async function post(h: Harness, plaintext: Record<string, unknown>): Promise<{ status: number; reply: unknown }> {
  const req = sealRequest(plaintext);
  const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
  return { status: res.statusCode, reply: res.statusCode === 200 ? req.open(res.body) : undefined };
}

/** An endpoint client that goes through the harness and records every answer sent with data_exchange. */
export function harnessEndpoint(h: Harness, seen: Record<string, unknown>): EndpointClient {
  return {
    async send(request: EndpointRequest): Promise<EndpointReply> {
      if (request.action === 'data_exchange') Object.assign(seen, request.data ?? {});
      const { status, reply } = await post(h, { ...request });
      if (status !== 200) return endpointFailure('http-status', `endpoint answered ${status}`, { status });
      return interpretReply(request, reply);
    },
  };
}

/** Scripted answers per screen id: input name → value. */
export type Script = Record<string, Record<string, unknown>>;

/** What a run produced. */
export interface DriveOutcome {
  status: string;
  response?: Record<string, unknown>;
  endpointAnswers: Record<string, unknown>;
  screens: string[];
  stuck?: AutoFillResult['stuck'];
}

async function answerScreen(rt: FlowRuntime, answers: Record<string, unknown>): Promise<void> {
  for (const [name, value] of Object.entries(answers)) {
    if (!rt.view().components.some((c) => c.name === name)) continue;
    if (value === true) await rt.select(name);
    else if (Array.isArray(value)) for (const id of value) await rt.select(name, String(id));
    else await rt.answer(name, value);
  }
}

/** Open the flow with INIT through the endpoint when it has one, apply the script, let autoFill do the rest. */
export async function drive(h: Harness, compiled: CompileResult, flowToken: string, script: Script = {}): Promise<DriveOutcome> {
  const endpointAnswers: Record<string, unknown> = {};
  const rt = createFlowRuntime(compiled.flow, {
    flowToken, ...(compiled.fieldMap.endpoint ? { endpoint: harnessEndpoint(h, endpointAnswers), openWith: 'data_exchange' as const } : { openWith: 'navigate' as const }),
  });
  if (typeof rt === 'string') throw new Error(rt);
  await rt.start();
  const screens: string[] = [];
  for (let i = 0; i < 400 && rt.status === 'active'; i++) {
    const screen = rt.view().screen;
    screens.push(screen);
    const scripted = script[screen];
    if (scripted) await answerScreen(rt, scripted);
    const r = await autoFill(rt, 1);
    if (rt.status === 'active' && rt.view().screen === screen) return { status: rt.status, endpointAnswers, screens, stuck: r.stuck ?? { screen, reason: 'did not move' } };
  }
  return { status: rt.status, ...(rt.response ? { response: rt.response } : {}), endpointAnswers, screens };
}
