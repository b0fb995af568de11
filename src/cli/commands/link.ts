/**
 * `flowbridge link <flow-id> --phone <business number> [--png out.png] [--svg out.svg]`:
 * print the wa.me link that opens a chat with the business with the flow's
 * keyword pre-filled, and write its QR code as PNG and/or SVG. The keyword
 * comes from the project file (`--project`, else FLOWBRIDGE_PROJECT_FILE,
 * else ./flowbridge.yaml); only each flow's `id` and `keyword` are read.
 *
 * Exit codes: 0 printed (and written); 1 the flow is not in the project file
 * or has no keyword (the message says what to add); 2 usage or I/O problem
 * (bad number, unreadable project file, file not writable).
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseYamlText } from '../../services/yaml-text.js';
import { z } from 'zod';
import { isAppError } from '../../core/errors.js';
import { flowLink, qrPng, qrSvg } from '../../services/links.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

interface LinkOptions {
  phone: string;
  png?: string;
  svg?: string;
  width?: string;
  project?: string;
}

/** What the command needs to know of a flow. */
export interface LinkedFlow {
  readonly id: string;
  readonly entry: { readonly keyword?: string; readonly adIds: readonly string[] };
}

/** Finds a flow by id; the default reads the project file. Throws on an unreadable file. */
export type FindFlow = (flowId: string, projectFile: string) => LinkedFlow | undefined;

const projectFlows = z.object({
  flows: z.array(z.looseObject({ id: z.string(), keyword: z.string().optional() })).default([]),
});

/** Read `flows[].id` / `keyword` from a YAML or JSON project file, ignoring everything else. */
export const findFlowInProjectFile: FindFlow = (flowId, projectFile) => {
  const parsed = projectFlows.safeParse(parseYamlText(readFileSync(projectFile, 'utf8')) ?? {});
  if (!parsed.success) throw new Error(`${projectFile} does not list flows as "flows: [{ id: ..., keyword: ... }]".`);
  const entry = parsed.data.flows.find((f) => f.id === flowId);
  return entry === undefined ? undefined : { id: entry.id, entry: { keyword: entry.keyword, adIds: [] } };
};

class LinkError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

async function link(flowId: string, options: LinkOptions, findFlow: FindFlow): Promise<number> {
  const projectFile = options.project ?? process.env['FLOWBRIDGE_PROJECT_FILE'] ?? 'flowbridge.yaml';
  if (options.width !== undefined && !/^\d{1,5}$/.test(options.width)) {
    throw new LinkError(`--width "${options.width.slice(0, 20)}" is not a number of pixels. Fix: give a whole number such as 512.`, EXIT_USAGE);
  }
  const width = options.width === undefined ? undefined : Number(options.width);
  let flow: LinkedFlow | undefined;
  try {
    flow = findFlow(flowId, projectFile);
  } catch (err) {
    throw new LinkError(`cannot read the project file ${projectFile}: ${err instanceof Error ? err.message : String(err)} Fix: pass --project <file> or set FLOWBRIDGE_PROJECT_FILE.`, EXIT_USAGE);
  }
  if (flow === undefined) throw new LinkError(`flow "${flowId}" is not in ${projectFile}. Fix: use one of the ids under "flows:" there.`, EXIT_FAILURE);
  let url: string;
  try {
    url = flowLink(flow, options.phone).url;
  } catch (err) {
    if (isAppError(err, 'CONFLICT')) throw new LinkError(err.message, EXIT_FAILURE);
    throw err;
  }
  const qr = { ...(width === undefined ? {} : { width }) };
  if (options.png !== undefined) {
    writeFileSync(options.png, await qrPng(url, qr));
    process.stderr.write(`QR code (PNG) written to ${options.png}\n`);
  }
  if (options.svg !== undefined) {
    writeFileSync(options.svg, await qrSvg(url, qr));
    process.stderr.write(`QR code (SVG) written to ${options.svg}\n`);
  }
  process.stdout.write(`${url}\n`);
  return EXIT_OK;
}

/** Register `link`; `findFlow` replaces the project-file reader (tests, a loaded catalogue). */
export function registerLinkCommand(program: Command, findFlow: FindFlow = findFlowInProjectFile): void {
  program
    .command('link')
    .description("Print a flow's wa.me link (keyword pre-filled) and write its QR code as PNG/SVG.")
    .argument('<flow-id>', 'flow id from the project file')
    .requiredOption('--phone <number>', 'the WhatsApp Business phone number, with country code (e.g. +15550001111)')
    .option('--png <file>', 'write the QR code as a PNG image')
    .option('--svg <file>', 'write the QR code as an SVG image')
    .option('--width <pixels>', 'QR image width (PNG default 512)')
    .option('--project <file>', 'project file (default: FLOWBRIDGE_PROJECT_FILE or ./flowbridge.yaml)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 unknown flow or no keyword configured, 2 usage or I/O error.')
    .action(async (flowId: string, options: LinkOptions) => {
      try {
        process.exitCode = await link(flowId, options, findFlow);
      } catch (err) {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = err instanceof LinkError ? err.exitCode : EXIT_USAGE;
      }
    });
}
