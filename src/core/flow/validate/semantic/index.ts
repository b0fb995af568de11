/**
 * Semantic rules: routing model, terminal screens and Footers, names and ids,
 * references and their types, expressions, navigate payloads, update_data,
 * pickers, Form placement (spec §1.3–§1.10, §1.12).
 * @module
 */
import type { Rule } from '../context.js';

/** Run in this order after the structural rules. */
export const semanticRules: readonly Rule[] = [];
