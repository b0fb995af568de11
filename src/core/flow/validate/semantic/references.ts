/**
 * Reference rules (Meta, "Flow JSON" → "Dynamic properties", "Global dynamic
 * referencing"; "Flow JSON error codes"; spec §1.4, §1.6, §1.12):
 *
 * - `${data.k}` (and nested `${data.k.p}`) is declared in the screen's `data`;
 * - `${form.x}` names an input component of the same screen;
 * - `${screen.X.data|form.y}` only from 4.0, and X and y exist;
 * - a whole-value binding has a type the property accepts (TextHeading.text
 *   cannot bind an array, `visible` needs a boolean, `data-source` an array…).
 *
 * Codes: in an action payload Meta reports INVALID_ON_CLICK_ACTION_PAYLOAD;
 * elsewhere a missing data field is INVALID_SCREEN_DYNAMIC_DATA, a missing
 * form field or a version problem INVALID_PROPERTY_VALUE. Global references
 * that do not exist are INVALID_SCREEN_DYNAMIC_DATA everywhere. A Form's own
 * name used in a payload is left to the payload rule (it has its own message).
 * @module
 */
import type { Rule } from '../context.js';
import { formatRef, type Ref } from '../../expr/ref.js';
import type { ValueType } from '../../expr/infer-type.js';
import { refsOfReading } from './expressions-reading.js';
import { analysisOf } from './references-analysis.js';
import { resolveRef, type RefProblem, type ScreenScope } from './references-scope.js';
import type { ValueSite } from './references-sites.js';

function codeFor(problem: RefProblem, inPayload: boolean): string {
  if (problem === 'global') return 'INVALID_SCREEN_DYNAMIC_DATA';
  if (inPayload) return 'INVALID_ON_CLICK_ACTION_PAYLOAD';
  return problem === 'data' ? 'INVALID_SCREEN_DYNAMIC_DATA' : 'INVALID_PROPERTY_VALUE';
}

/**
 * Whether a bound value of type `type` fits a position accepting `accepts`.
 * A number may be shown where text is expected (our reading: the client
 * prints it); nothing else converts.
 */
export function bindingFits(type: ValueType, accepts: readonly ValueType[]): boolean {
  return type === 'unknown' || accepts.includes(type) || (type === 'number' && accepts.includes('string'));
}

function describe(site: ValueSite): string {
  const owner = site.component ? site.component.type : 'screen';
  return `property '${site.property}' of ${owner}`;
}

/** Check every reference of the document. */
export const checkReferences: Rule = (ctx) => {
  const { version, findings } = ctx;
  const { scope, sites, readings } = analysisOf(ctx);
  sites.forEach((site, i) => {
    const reading = readings[i];
    if (reading === undefined) return;
    const refs = refsOfReading(reading);
    const here: ScreenScope | undefined = refs.length === 0 ? undefined : scope.get(site.screen.id ?? '');
    if (!here) return;
    for (const ref of refs) {
      const r = resolveRef(scope, here, ref, version);
      if (r.ok) {
        if (reading.kind === 'binding' && site.accepts) checkBindingType(site, ref, r.type, findings);
      } else if (!(r.problem === 'form-name' && site.inPayload)) {
        findings.error(codeFor(r.problem, site.inPayload), site.pointer, r.message);
      }
    }
  });
};

function checkBindingType(
  site: ValueSite,
  ref: Ref,
  type: ValueType,
  findings: { error(code: string, pointer: string, message: string): void },
): void {
  if (!site.accepts || bindingFits(type, site.accepts)) return;
  const text = formatRef(ref);
  const want = site.accepts.join(' or ');
  if (ref.kind === 'form' || (ref.kind === 'screen' && ref.source === 'form')) {
    findings.error('INVALID_PROPERTY_TYPE', site.pointer, `Expected property ${site.pointer} to be of type ${want}, but found ${type} (${text}).`);
  } else {
    findings.error(
      'INVALID_SCREEN_DYNAMIC_DATA',
      site.pointer,
      `Dynamic data '${text}' of type ${type} cannot be used for ${describe(site)}, which expects ${want}.`,
    );
  }
}
