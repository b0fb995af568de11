/**
 * Strings that match a TextInput `pattern` (≥6.2), for auto-fill. Handles
 * the regex subset forms use: literals, escapes (\d \w \s and escaped
 * punctuation), classes with ranges and negation, `.`, groups, alternation,
 * anchors and the quantifiers `* + ? {n} {n,} {n,m}`. Candidates are checked
 * against the real RegExp, so an unsupported construct only means fewer hits.
 * @module
 */

type Node =
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; options: Node[] }
  | { k: 'set'; chars: string[] }
  | { k: 'rep'; node: Node; min: number; max: number };

const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const digits = [...'0123456789'];
const word = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'];
const lit = (c: string): Node => ({ k: 'set', chars: [c] });

function escapeSet(c: string): string[] | undefined {
  switch (c) {
    case 'd': return digits;
    case 'w': return word;
    case 's': return [' '];
    case 'D': return printable.filter((x) => !digits.includes(x));
    case 'W': return printable.filter((x) => !word.includes(x));
    case 'S': return printable.filter((x) => x !== ' ');
    case 'n': return ['\n'];
    case 't': return ['\t'];
    default: return undefined;
  }
}

class Parser {
  i = 0;
  constructor(readonly src: string) {}
  parseAlt(): Node {
    const options = [this.parseSeq()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.parseSeq());
    }
    return options.length === 1 ? (options[0] as Node) : { k: 'alt', options };
  }
  parseSeq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.parseAtom();
      if (atom) items.push(this.parseQuantifier(atom));
    }
    return { k: 'seq', items };
  }
  parseAtom(): Node | undefined {
    const c = this.src.charAt(this.i++);
    if (c === '^' || c === '$') return undefined;
    if (c === '.') return { k: 'set', chars: word };
    if (c === '(') {
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (this.src.startsWith('?<', this.i) && !this.src.startsWith('?<=', this.i) && !this.src.startsWith('?<!', this.i)) this.i = this.src.indexOf('>', this.i) + 1;
      const inner = this.parseAlt();
      this.i++; // ')'
      return inner;
    }
    if (c === '[') return this.parseClass();
    if (c === '\\') {
      const e = this.src.charAt(this.i++);
      if (e === 'b' || e === 'B') return undefined;
      const set = escapeSet(e);
      return set ? { k: 'set', chars: set } : lit(e);
    }
    return lit(c);
  }
  parseClass(): Node {
    const negate = this.src[this.i] === '^';
    if (negate) this.i++;
    const chars: string[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      let c = this.src.charAt(this.i++);
      if (c === '\\') {
        const e = this.src.charAt(this.i++);
        const set = escapeSet(e);
        if (set) {
          chars.push(...set);
          continue;
        }
        c = e;
      }
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        const to = this.src.charAt(this.i + 1);
        this.i += 2;
        for (let x = c.charCodeAt(0); x <= to.charCodeAt(0) && chars.length < 2000; x++) chars.push(String.fromCharCode(x));
      } else chars.push(c);
    }
    this.i++; // ']'
    return { k: 'set', chars: negate ? printable.filter((x) => !chars.includes(x)) : chars };
  }
  parseQuantifier(node: Node): Node {
    const c = this.src[this.i];
    let min = 1;
    let max = 1;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return node;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      this.i += m[0].length - 1;
    } else return node;
    this.i++;
    if (this.src[this.i] === '?' || this.src[this.i] === '+') this.i++;
    return { k: 'rep', node, min, max };
  }
}

function generate(node: Node, pick: (n: number) => number): string {
  switch (node.k) {
    case 'seq': return node.items.map((n) => generate(n, pick)).join('');
    case 'alt': return generate(node.options[pick(node.options.length)] ?? { k: 'seq', items: [] }, pick);
    case 'set': return node.chars[pick(node.chars.length)] ?? '';
    case 'rep': {
      const span = Math.min(node.max, node.min + 4) - node.min + 1;
      const count = node.min + pick(span);
      return Array.from({ length: count }, () => generate(node.node, pick)).join('');
    }
  }
}

/**
 * Up to `limit` distinct strings the pattern accepts (search semantics, as
 * the client's check). The first candidate is the "smallest" one.
 */
export function regexSamples(pattern: string, limit = 20): string[] {
  let re: RegExp;
  let ast: Node;
  try {
    re = new RegExp(pattern, 'u');
    ast = new Parser(pattern).parseAlt();
  } catch {
    return [];
  }
  const out = new Set<string>();
  let seed = 1;
  for (let variant = 0; variant < limit * 10 && out.size < limit; variant++) {
    const pick = (n: number): number => {
      if (variant === 0 || n <= 1) return 0;
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const s = generate(ast, pick);
    if (re.test(s)) out.add(s);
  }
  return [...out];
}
