/**
 * fast-check arbitraries of FormModels: any mix of field types, up to 500
 * options, conditions up to depth 4 over earlier fields (show/hide and
 * conditional required), relative date bounds and word limits, jumps
 * between pages (forward, backward and to the end).
 * @module
 */
import fc from 'fast-check';
import type { Condition } from '../../src/core/form/condition.js';
import { FIELD_TYPES, type FieldType } from '../../src/core/form/field.js';
import { formModelSchema, type FormModel, type FormModelInput } from '../../src/core/form/form-model.js';

type FieldInput = FormModelInput['pages'][number]['fields'][number];

interface Known {
  id: string;
  type: FieldType;
  options: number;
}

/** A random condition over known fields, at most `depth` deep. */
function condition(known: readonly Known[], depth: number, pick: (n: number) => number): Condition {
  const k = known[pick(known.length)];
  if (!k || (depth > 1 && pick(3) === 0)) {
    if (!k) return { op: 'answered', field: 'missing' };
    const parts = Array.from({ length: 1 + pick(3) }, () => condition(known, depth - 1, pick));
    const r = pick(3);
    return r === 0 ? { op: 'and', conditions: parts } : r === 1 ? { op: 'or', conditions: parts } : { op: 'not', condition: parts[0] ?? { op: 'answered', field: k.id } };
  }
  const opt = `o${pick(Math.max(k.options, 1))}`;
  if (k.type === 'single_choice' || k.type === 'dropdown') return { op: pick(2) === 0 ? 'equals' : 'not_equals', field: k.id, value: opt };
  if (k.type === 'multiple_choice') return { op: pick(2) === 0 ? 'includes' : 'excludes', field: k.id, value: opt };
  if (k.type === 'number' || k.type === 'nps' || k.type === 'rating' || k.type === 'scale') {
    return { op: (['lt', 'lte', 'gt', 'gte', 'equals'] as const)[pick(5)] ?? 'gt', field: k.id, value: pick(11) };
  }
  if (k.type === 'yes_no' || k.type === 'consent') return { op: 'equals', field: k.id, value: pick(2) === 0 };
  return pick(2) === 0 ? { op: 'answered', field: k.id } : { op: 'equals', field: k.id, value: 'Sample text' };
}

/** The arbitrary. */
export function formModelArbitrary(maxFields = 200): fc.Arbitrary<FormModel> {
  return fc.record({
    pageSizes: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 6 }),
    types: fc.array(fc.constantFrom(...FIELD_TYPES), { minLength: maxFields, maxLength: maxFields }),
    seeds: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
    required: fc.array(fc.boolean(), { minLength: maxFields, maxLength: maxFields }),
  }).map(({ pageSizes, types, seeds, required }) => {
    let s = 0;
    const pick = (n: number): number => (n <= 0 ? 0 : ((seeds[s++ % seeds.length] ?? 0) + s * 7919) % n);
    const known: Known[] = [];
    let f = 0;
    const pages: FormModelInput['pages'] = pageSizes.map((size, pi) => {
      const fields: FieldInput[] = [];
      for (let i = 0; i < size && f < maxFields; i++, f++) {
        const type = types[f] ?? 'short_text';
        const id = `f${f}`;
        const count = pick(6) === 0 ? 1 + pick(500) : 1 + pick(8);
        const field: FieldInput = { id, key: `key_${f}`, type, label: `Question ${f} ${'x'.repeat(pick(60))}`, required: required[f] ?? false };
        if (type === 'single_choice' || type === 'dropdown' || type === 'multiple_choice' || type === 'grid') {
          field.options = Array.from({ length: count }, (_, o) => ({ id: `o${o}`, value: `V${o}`, label: `Option ${o}` }));
        }
        if (type === 'grid') field.rows = [{ id: 'r1', key: 'row1', label: 'Row 1' }, { id: 'r2', key: 'row2', label: 'Row 2' }];
        if (type === 'hidden') field.default = `d${f}`;
        if (type === 'file') field.file = { kind: pick(2) === 0 ? 'image' : 'document', maxFiles: 1 + pick(2) };
        if (type === 'scale') field.scale = { min: 0, max: 1 + pick(30) };
        if (known.length > 0 && pick(4) === 0) field.visibleWhen = condition(known, 1 + pick(4), pick);
        if (known.length > 0 && type !== 'statement' && type !== 'hidden' && pick(6) === 0) field.requiredWhen = condition(known, 1 + pick(3), pick);
        if ((type === 'date' || type === 'datetime') && pick(4) === 0) field.validation = { minDateOffset: pick(3) - 1, maxDateOffset: 30 + pick(400) };
        if ((type === 'long_text' || type === 'short_text') && pick(5) === 0) field.validation = { maxWords: 1 + pick(50) };
        fields.push(field);
        known.push({ id, type, options: field.options?.length ?? 0 });
      }
      return { id: `page${pi}`, title: `Page ${pi}`, fields };
    });
    pages.forEach((p, pi) => {
      if (known.length > 0 && pick(3) === 0) {
        const to = pick(pages.length + 1);
        p.jumps = [{ when: condition(known, 1 + pick(4), pick), to: to === pages.length ? 'end' : `page${to}` }];
        if (pick(2) === 0) p.jumps.push({ to: `page${Math.min(pi + 1, pages.length - 1)}` });
      }
    });
    return formModelSchema.parse({ id: 'random', title: 'Random form', pages });
  });
}

/** A target version for a random run. */
export const versionArbitrary = fc.constantFrom('7.3', '6.3', '6.0', '5.0', '4.0');
