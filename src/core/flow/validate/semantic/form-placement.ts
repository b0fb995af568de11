/**
 * Where input components may sit relative to a Form, and name uniqueness
 * (Meta, "Components" → "Form"; "Error codes" → "Optional Form",
 * "Naming errors", `KEYWORD_ONE_OF`; spec §1.5, §1.7).
 * @module
 */
import type { Rule } from '../context.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import type { ComponentVisit } from '../../walk.js';
import { flowIndex } from './flow-index.js';
import { INPUT_COMPONENT_TYPES } from './inputs.js';

/** Version gates, parsed once (not per call). */
const V_4_0 = versionLiteral('4.0');

const perComponentFormProps = ['init-value', 'error-message'] as const;

function label(c: ComponentVisit): string {
  return typeof c.node.name === 'string' ? c.node.name : c.type;
}

/**
 * Before 4.0 every input sits in a Form. From 4.0 Form is optional, but a
 * screen with a Form keeps all inputs in it, and inputs inside a Form take
 * their initial value / error from the Form's `init-values` /
 * `error-messages`, not their own `init-value` / `error-message`.
 *
 * Names are unique per Form across all If/Switch branches
 * (`DUPLICATE_FORM_COMPONENT_NAMES`). Decision: names are unique per
 * screen, Form or not (from 4.0 components outside a Form count too, as in
 * Meta's 4.0 example for this code), because `${form.name}` must resolve to
 * one component of the screen.
 */
export const checkFormPlacement: Rule = (ctx) => {
  const { findings } = ctx;
  const optionalForm = isAtLeast(ctx.version, V_4_0);
  for (const { components } of flowIndex(ctx).screens) {
    const inputs: ComponentVisit[] = [];
    const named: ComponentVisit[] = [];
    let hasForm = false;
    for (const c of components) {
      if (c.type === 'Form') hasForm = true;
      else if (typeof c.node.name === 'string') named.push(c);
      if (INPUT_COMPONENT_TYPES.has(c.type)) inputs.push(c);
    }
    for (const c of inputs) {
      if (c.form) {
        if (!optionalForm) continue;
        for (const prop of perComponentFormProps) {
          if (c.node[prop] !== undefined) {
            findings.error(
              'INVALID_PROPERTY_KEY',
              `${c.pointer}/${prop}`,
              `Property ${prop} cannot be specified at ${c.type} on ${c.pointer} inside a Form: use the Form's '${prop}s'.`,
            );
          }
        }
      } else if (!optionalForm) {
        findings.error('KEYWORD_ONE_OF', c.pointer, `Property '${c.type}' must be defined inside parent property 'Form'.`);
      } else if (hasForm) {
        findings.error('COMPONENTS_OUTSIDE_FORM', c.pointer, `Component '${label(c)}' is not allowed outside Form when Form component is present.`);
      }
    }
    const seen = new Set<unknown>();
    for (const c of named) {
      if (!c.form && !optionalForm) continue;
      if (seen.has(c.node.name)) {
        findings.error('DUPLICATE_FORM_COMPONENT_NAMES', `${c.pointer}/name`, `Duplicate name found for Form components: ${String(c.node.name)}.`);
      }
      seen.add(c.node.name);
    }
  }
};
