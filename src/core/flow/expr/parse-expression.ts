/**
 * Recursive-descent parser for nested expressions (Flow JSON ≥ 6.0) and, with
 * juxtaposition disabled, If conditions (≥ 4.0). Meta does not publish
 * operator precedence; we use the conventional one, with concatenation by
 * juxtaposition placed like awk's (below `+ -`, above comparisons):
 *
 *   `||` < `&&` < `== !=` < `< <= > >=` < juxtaposition < `+ -` < `* / %` < unary `! -`
 *
 * All binary operators are left-associative. Meta's own examples (and pywa's
 * generator) parenthesise every operation, so they parse the same under any
 * precedence.
 * @module
 */
import type { BinaryOp, Expr, ParseResult } from './expr.js';
import { tokenize, type Token } from './lexer.js';

/** Parser options. */
export interface ParseOptions {
  /** Allow string concatenation by juxtaposition (backtick expressions only). */
  readonly concat: boolean;
  /** Offset added to every `start` and column (e.g. 1 for the opening backtick). */
  readonly offset: number;
  /** Message when the text holds no operand at all. */
  readonly emptyMessage: string;
}

const levels: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['||']),
  new Set(['&&']),
  new Set(['==', '!=']),
  new Set(['<', '<=', '>', '>=']),
];
const additive = new Set(['+', '-']);
const multiplicative = new Set(['*', '/', '%']);
const maxDepth = 200;

/** Internal control flow of the parser; always caught in `parseWith`, never escapes. */
class Failure extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Parse `text` with explicit options; the exported entry points fix them. */
export function parseWith(text: string, options: ParseOptions): ParseResult {
  const lexed = tokenize(text, options.offset);
  if (!lexed.ok) return lexed;
  if (lexed.tokens.length === 0) return { ok: false, message: options.emptyMessage, column: options.offset + 1 };
  const parser = new Parser(lexed.tokens, options, options.offset + text.length + 1);
  try {
    const expr = parser.or();
    const rest = parser.peek();
    if (rest !== undefined) {
      const column = rest.start + 1;
      if (rest.kind === 'rparen') return { ok: false, message: `Unexpected closing parenthesis at column ${column}`, column };
      return { ok: false, message: `Missing operator between operands at column ${column}`, column };
    }
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, message: e.message, column: e.column };
    throw e;
  }
}

/** One parse: methods on a prototype, so no closures are allocated per call. */
class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly options: ParseOptions,
    private readonly endColumn: number,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  or(): Expr {
    return this.level(0);
  }

  private column(t: Token | undefined): number {
    return t ? t.start + 1 : this.endColumn;
  }

  private level(n: number): Expr {
    const ops = levels[n];
    if (ops === undefined) return this.concat();
    let left = this.level(n + 1);
    for (let t = this.peek(); t?.kind === 'op' && ops.has(t.op); t = this.peek()) {
      this.pos++;
      const right = this.level(n + 1);
      left = { kind: 'binary', op: t.op as BinaryOp, left, right, start: left.start };
    }
    return left;
  }

  private concat(): Expr {
    const first = this.additive();
    if (!startsOperand(this.peek())) return first;
    if (!this.options.concat) {
      const column = this.column(this.peek());
      throw new Failure(`Missing operator between operands at column ${column}`, column);
    }
    const parts = [first];
    while (startsOperand(this.peek())) parts.push(this.additive());
    return { kind: 'concat', parts, start: first.start };
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (let t = this.peek(); t?.kind === 'op' && additive.has(t.op); t = this.peek()) {
      this.pos++;
      const right = this.multiplicative();
      left = { kind: 'binary', op: t.op as BinaryOp, left, right, start: left.start };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (let t = this.peek(); t?.kind === 'op' && multiplicative.has(t.op); t = this.peek()) {
      this.pos++;
      const right = this.unary();
      left = { kind: 'binary', op: t.op as BinaryOp, left, right, start: left.start };
    }
    return left;
  }

  private enter(): void {
    if (++this.depth > maxDepth) {
      const column = this.column(this.peek());
      throw new Failure(`Expression is nested more than ${maxDepth} levels deep`, column);
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t?.kind === 'op' && (t.op === '!' || t.op === '-')) {
      this.pos++;
      this.enter();
      const operand = this.unary();
      this.depth--;
      return { kind: 'unary', op: t.op, operand, start: t.start };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (t === undefined) {
      const prev = this.tokens[this.pos - 1];
      const after = prev?.kind === 'op' ? ` after operator '${prev.op}'` : '';
      throw new Failure(`Missing operand${after} at column ${this.endColumn}`, this.endColumn);
    }
    this.pos++;
    switch (t.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        return { kind: 'literal', value: t.value, start: t.start };
      case 'ref':
        return { kind: 'ref', ref: t.ref, start: t.start };
      case 'lparen': {
        if (this.peek()?.kind === 'rparen') throw new Failure(`Found invalid empty parentheses at column ${t.start + 1}`, t.start + 1);
        this.enter();
        const inner = this.or();
        this.depth--;
        if (this.peek()?.kind !== 'rparen') {
          throw new Failure(`Missing closing parenthesis for the parenthesis at column ${t.start + 1}`, t.start + 1);
        }
        this.pos++;
        return inner;
      }
      case 'rparen':
        throw new Failure(`Unexpected closing parenthesis at column ${t.start + 1}`, t.start + 1);
      case 'op':
        throw new Failure(`Missing operand before operator '${t.op}' at column ${t.start + 1}`, t.start + 1);
    }
  }
}

function startsOperand(t: Token | undefined): boolean {
  if (t === undefined) return false;
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'ref':
    case 'lparen':
      return true;
    case 'op':
      return t.op === '!';
    case 'rparen':
      return false;
  }
}

/**
 * Parse the text between the backticks of a nested expression (Flow JSON ≥ 6.0).
 * `offset` shifts starts and columns, e.g. 1 when `text` came from inside a
 * backtick-wrapped value so columns count from the value's first character.
 */
export function parseExpression(text: string, offset = 0): ParseResult {
  return parseWith(text, { concat: true, offset, emptyMessage: 'Expected the expression to contain at least one operand' });
}
