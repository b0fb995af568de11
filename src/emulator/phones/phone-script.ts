/**
 * How virtual phones behave: a script per phone number, or population rules
 * ("10% abandon at screen 2, 10% enter invalid answers first"), resolved to
 * one {@link PhoneBehaviour} per phone. The population share a phone falls
 * into is a hash of the seed and its number, so a run is reproducible and
 * the same phone behaves the same way in every message. Script files
 * (`flowbridge emulator --script phones.json`) are read with a zod schema,
 * so a typo is reported with where it is instead of being ignored.
 * @module
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Answers per screen id: input name → value (dates `YYYY-MM-DD`). Unlisted inputs are filled automatically. */
export type ScreenAnswers = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What one phone does with the flows it receives. */
export interface PhoneBehaviour {
  /** Open flows it receives (default true); false: the message is read and ignored. */
  readonly open?: boolean;
  /** Post the `read` status (default true). */
  readonly read?: boolean;
  /** Scripted answers; every other input is auto-filled with a valid value. */
  readonly answers?: ScreenAnswers;
  /**
   * Close the flow without finishing when reaching this screen: a screen id,
   * or the 1-based number of the screen reached (1 = the first screen).
   */
  readonly abandonAt?: string | number;
  /**
   * Submit invalid answers once before the valid ones: on `screen` (default
   * the first screen), press forward with `answers` (e.g. a value the server
   * refuses), or, without them, with the inputs left empty (blocked by the
   * client's own checks when any is required).
   */
  readonly invalidFirst?: { readonly screen?: string; readonly answers?: Readonly<Record<string, unknown>> };
  /** WhatsApp profile name in webhooks (default "Virtual phone <last 4 digits>"). */
  readonly profileName?: string;
  /**
   * On the first screen with a PhotoPicker/DocumentPicker, upload one file
   * whose 10-byte MAC is broken (`hmac`) and press forward; the server must
   * answer with a per-file error, after which the phone uploads good files.
   * Recorded as the outcome's `invalidAttempt`.
   */
  readonly badUpload?: 'hmac';
  /** What the phone picks per picker input name: `jpeg` or `pdf` (default JPEG for PhotoPicker, PDF for DocumentPicker). */
  readonly files?: Readonly<Record<string, 'jpeg' | 'pdf'>>;
}

/** A share of the population with one behaviour. */
export interface PopulationRule {
  /** Fraction of phones, 0–1; rules are taken in order and their shares add up (the rest get `default`). */
  readonly share: number;
  readonly behaviour: PhoneBehaviour;
  /** A label for reports ("abandon-2"); default the rule's index. */
  readonly name?: string;
}

/** Behaviour scripts of all phones. */
export interface PhoneScripts {
  /** Exact behaviour per phone number (WhatsApp id, digits); wins over the population rules. */
  readonly phones?: Readonly<Record<string, PhoneBehaviour>>;
  readonly population?: readonly PopulationRule[];
  /** Everyone else (default: open, fill automatically, complete). */
  readonly default?: PhoneBehaviour;
  /** Seed of the population draw (default "flowbridge"). */
  readonly seed?: string;
}

/** The behaviour chosen for one phone and why. */
export interface ResolvedBehaviour {
  readonly behaviour: PhoneBehaviour;
  /** `phone` (own script), the population rule's name, or `default`. */
  readonly rule: string;
}

/** A number in [0, 1) fixed by seed and phone number. */
export function phoneDraw(seed: string, waId: string): number {
  const digest = createHash('sha256').update(`${seed}:${waId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** Check scripts before a run: shares in range and not above 1 together, screens named sensibly. */
export function checkScripts(scripts: PhoneScripts): string[] {
  const problems: string[] = [];
  let total = 0;
  (scripts.population ?? []).forEach((rule, i) => {
    if (!Number.isFinite(rule.share) || rule.share < 0 || rule.share > 1) problems.push(`population[${i}].share must be a number between 0 and 1 (got ${String(rule.share)})`);
    else total += rule.share;
  });
  if (total > 1 + 1e-9) problems.push(`population shares add up to ${total.toFixed(3)}; they must not exceed 1`);
  for (const [waId, b] of Object.entries(scripts.phones ?? {})) {
    if (!/^\d{8,15}$/.test(waId)) problems.push(`phones["${waId}"]: a phone is named by its WhatsApp id, 8–15 digits`);
    if (typeof b.abandonAt === 'number' && (!Number.isInteger(b.abandonAt) || b.abandonAt < 1)) problems.push(`phones["${waId}"].abandonAt must be a screen id or a screen number from 1`);
  }
  return problems;
}

/** The behaviour of phone `waId`. */
export function behaviourOf(scripts: PhoneScripts, waId: string): ResolvedBehaviour {
  const own = scripts.phones?.[waId];
  if (own) return { behaviour: own, rule: 'phone' };
  const draw = phoneDraw(scripts.seed ?? 'flowbridge', waId);
  let upTo = 0;
  const rules = scripts.population ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    upTo += rule.share;
    if (draw < upTo) return { behaviour: rule.behaviour, rule: rule.name ?? `population[${i}]` };
  }
  return { behaviour: scripts.default ?? {}, rule: 'default' };
}

const answers = z.record(z.string(), z.unknown());

const behaviour = z.strictObject({
  open: z.boolean().optional(),
  read: z.boolean().optional(),
  answers: z.record(z.string(), answers).optional(),
  abandonAt: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
  invalidFirst: z.strictObject({ screen: z.string().min(1).optional(), answers: answers.optional() }).optional(),
  profileName: z.string().min(1).max(100).optional(),
  badUpload: z.literal('hmac').optional(),
  files: z.record(z.string(), z.enum(['jpeg', 'pdf'])).optional(),
});

const scriptsSchema = z.strictObject({
  phones: z.record(z.string(), behaviour).optional(),
  population: z.array(z.strictObject({ share: z.number().min(0).max(1), behaviour, name: z.string().min(1).optional() })).optional(),
  default: behaviour.optional(),
  seed: z.string().optional(),
});

/** Result of {@link parsePhoneScripts}. */
export type ParsedScripts = { readonly ok: true; readonly scripts: PhoneScripts } | { readonly ok: false; readonly problems: string[] };

/** Parse and check a script file's text; never throws. */
export function parsePhoneScripts(text: string): ParsedScripts {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const parsed = scriptsSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`) };
  }
  const scripts = parsed.data as PhoneScripts;
  const problems = checkScripts(scripts);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, scripts };
}
