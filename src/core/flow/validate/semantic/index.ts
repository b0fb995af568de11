/**
 * Semantic rules: routing model, terminal screens and Footers, names and ids,
 * references and their types, expressions, navigate payloads, update_data,
 * pickers, Form placement (spec §1.3–§1.10, §1.12).
 * @module
 */
import type { Rule } from '../context.js';
import { coreSemanticRules } from './core-rules.js';
import { checkExpressions } from './expressions.js';
import { checkReferences } from './references.js';

/** Run in this order after the structural rules. */
export const semanticRules: readonly Rule[] = [...coreSemanticRules, checkReferences, checkExpressions];
