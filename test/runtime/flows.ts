/**
 * Small Flow JSON builders and a runtime starter for runtime tests.
 */
import { createFlowRuntime, type FlowRuntime, type RuntimeOptions } from '../../src/core/runtime/index.js';

/** A complete Footer whose payload reads `fields` from the form. */
export function completeFooter(fields: string[] = [], label = 'Submit'): Record<string, unknown> {
  return { type: 'Footer', label, 'on-click-action': { name: 'complete', payload: Object.fromEntries(fields.map((f) => [f, `\${form.${f}}`])) } };
}

/** A one-screen terminal flow; below 4.0 the children are wrapped in a Form. */
export function oneScreen(version: string, children: unknown[], screen: Record<string, unknown> = {}): Record<string, unknown> {
  const inForm = Number(version.split('.')[0]) < 4;
  return {
    version,
    screens: [
      {
        id: 'ONLY',
        title: 'Only screen',
        terminal: true,
        ...screen,
        layout: { type: 'SingleColumnLayout', children: inForm ? [{ type: 'Form', name: 'f', children }] : children },
      },
    ],
  };
}

/** Create and start a runtime; throws when the document cannot run. */
export async function run(flow: unknown, options: Partial<RuntimeOptions> = {}): Promise<FlowRuntime> {
  const rt = createFlowRuntime(flow, { flowToken: 'tok', ...options });
  if (typeof rt === 'string') throw new Error(rt);
  await rt.start();
  return rt;
}

/** The view of the component called `name`. */
export function component(rt: FlowRuntime, name: string) {
  return rt.view().components.find((c) => c.name === name);
}

/** Texts of the visible text components, in order. */
export function texts(rt: FlowRuntime): unknown[] {
  return rt.view().components.filter((c) => c.text !== undefined).map((c) => c.text);
}
