/**
 * A small JQL: clauses `field op value` joined by AND / OR / NOT and parentheses; ORDER BY is
 * accepted and ignored. Operators: = != ~ !~ in, not in, is, is not (EMPTY / NULL). The caller
 * supplies each field's values per issue; an unknown field is an error, as in Jira.
 */

export class JqlError extends Error {}

type Token = {
  kind: 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma';
  text: string;
};

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < jql.length && jql.charAt(j) !== c) {
        if (jql.charAt(j) === '\\' && j + 1 < jql.length) j++;
        text += jql.charAt(j);
        j++;
      }
      if (j >= jql.length)
        throw new JqlError(`Error in the JQL Query: The quoted string '${text}' has not been completed.`);
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', text: c });
      i++;
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', text: c });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma', text: c });
      i++;
    } else if ('=!~<>'.includes(c)) {
      const two = jql.slice(i, i + 2);
      if (['!=', '!~', '>=', '<='].includes(two)) {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else if (c === '!') {
        throw new JqlError("Error in the JQL Query: The character '!' is a reserved JQL character.");
      } else {
        tokens.push({ kind: 'op', text: c });
        i++;
      }
    } else {
      let j = i;
      while (j < jql.length && !/[\s"'(),=!~<>]/.test(jql.charAt(j))) j++;
      // issue.property[key].path and cf[10010] carry brackets inside the word.
      tokens.push({ kind: 'word', text: jql.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

export type Operand =
  | { kind: 'value'; value: string }
  | { kind: 'empty' }
  | { kind: 'list'; values: string[] }
  | { kind: 'fn'; name: string };

export interface Clause {
  field: string;
  op: string;
  operand: Operand;
}

type Node = { and: Node[] } | { or: Node[] } | { not: Node } | { clause: Clause };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.tokens[this.pos + offset];
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  parse(): Node | null {
    if (this.tokens.length === 0 || this.isWord('order')) return null;
    const node = this.or();
    if (this.isWord('order') && this.isWord('by', 1)) {
      this.pos = this.tokens.length;
    }
    const rest = this.peek();
    if (rest) throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest.text}'.`);
    return node;
  }

  private or(): Node {
    const parts = [this.and()];
    while (this.isWord('or')) {
      this.pos++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  }

  private and(): Node {
    const parts = [this.not()];
    while (this.isWord('and')) {
      this.pos++;
      parts.push(this.not());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  }

  private not(): Node {
    if (this.isWord('not')) {
      this.pos++;
      return { not: this.not() };
    }
    const t = this.peek();
    if (t?.kind === 'lparen') {
      this.pos++;
      const inner = this.or();
      if (this.peek()?.kind !== 'rparen')
        throw new JqlError("Error in the JQL Query: Expecting ')' before the end of the query.");
      this.pos++;
      return inner;
    }
    return { clause: this.clause() };
  }

  private clause(): Clause {
    const f = this.peek();
    if (!f || (f.kind !== 'word' && f.kind !== 'string')) {
      throw new JqlError('Error in the JQL Query: Expecting a field name.');
    }
    this.pos++;
    let op: string;
    const o = this.peek();
    if (o?.kind === 'op') {
      op = o.text;
      this.pos++;
    } else if (this.isWord('in')) {
      op = 'in';
      this.pos++;
    } else if (this.isWord('not') && this.isWord('in', 1)) {
      op = 'not in';
      this.pos += 2;
    } else if (this.isWord('is') && this.isWord('not', 1)) {
      op = 'is not';
      this.pos += 2;
    } else if (this.isWord('is')) {
      op = 'is';
      this.pos++;
    } else {
      throw new JqlError(`Error in the JQL Query: Expecting operator but got '${o?.text ?? 'end of query'}'.`);
    }
    return { field: f.text, op, operand: this.operand() };
  }

  private operand(): Operand {
    const t = this.peek();
    if (!t) throw new JqlError('Error in the JQL Query: Expecting an operand.');
    if (t.kind === 'lparen') {
      this.pos++;
      const values: string[] = [];
      while (this.peek() && this.peek()?.kind !== 'rparen') {
        const v = this.peek()!;
        if (v.kind !== 'word' && v.kind !== 'string')
          throw new JqlError(`Error in the JQL Query: unexpected '${v.text}'.`);
        values.push(v.text);
        this.pos++;
        if (this.peek()?.kind === 'comma') this.pos++;
      }
      if (this.peek()?.kind !== 'rparen') throw new JqlError("Error in the JQL Query: Expecting ')'.");
      this.pos++;
      return { kind: 'list', values };
    }
    if (t.kind === 'word' && this.tokens[this.pos + 1]?.kind === 'lparen') {
      this.pos += 2;
      while (this.peek() && this.peek()?.kind !== 'rparen') this.pos++;
      this.pos++;
      return { kind: 'fn', name: t.text.toLowerCase() };
    }
    if (t.kind === 'word' && ['empty', 'null'].includes(t.text.toLowerCase())) {
      this.pos++;
      return { kind: 'empty' };
    }
    if (t.kind === 'word' || t.kind === 'string') {
      this.pos++;
      return { kind: 'value', value: t.text };
    }
    throw new JqlError(`Error in the JQL Query: unexpected '${t.text}'.`);
  }
}

/**
 * Values of a field for one issue, compared case-insensitively; `undefined` = the field does not
 * exist. `fn` resolves JQL functions such as currentUser().
 */
export interface JqlFields<T> {
  values(item: T, field: string): string[] | undefined;
  fn(name: string): string;
  /** Checks the field exists (so an unknown field fails even when no issue is searched). */
  known(field: string): boolean;
}

function textMatch(haystack: string, needle: string): boolean {
  const h = haystack.toLowerCase();
  return needle
    .toLowerCase()
    .replace(/[*?]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => h.includes(word));
}

function evalClause<T>(item: T, c: Clause, fields: JqlFields<T>): boolean {
  const values = (fields.values(item, c.field) ?? []).map((v) => v.toLowerCase());
  const operandValues = (): string[] => {
    switch (c.operand.kind) {
      case 'value':
        return [c.operand.value.toLowerCase()];
      case 'list':
        return c.operand.values.map((v) => v.toLowerCase());
      case 'fn':
        return [fields.fn(c.operand.name).toLowerCase()];
      case 'empty':
        return [];
    }
  };
  switch (c.op) {
    case 'is':
    case '=':
      if (c.operand.kind === 'empty') return values.length === 0;
      return operandValues().some((v) => values.includes(v));
    case 'is not':
    case '!=':
      if (c.operand.kind === 'empty') return values.length > 0;
      return values.length > 0 && !operandValues().some((v) => values.includes(v));
    case 'in':
      return operandValues().some((v) => values.includes(v));
    case 'not in':
      return values.length > 0 && !operandValues().some((v) => values.includes(v));
    case '~':
      return operandValues().some((v) => values.some((h) => textMatch(h, v)));
    case '!~':
      return !operandValues().some((v) => values.some((h) => textMatch(h, v)));
    default:
      throw new JqlError(
        `Error in the JQL Query: The operator '${c.op}' is not supported by the sandbox for field '${c.field}'.`,
      );
  }
}

function evalNode<T>(item: T, node: Node, fields: JqlFields<T>): boolean {
  if ('and' in node) return node.and.every((n) => evalNode(item, n, fields));
  if ('or' in node) return node.or.some((n) => evalNode(item, n, fields));
  if ('not' in node) return !evalNode(item, node.not, fields);
  return evalClause(item, node.clause, fields);
}

function checkFields<T>(node: Node | null, fields: JqlFields<T>): void {
  if (!node) return;
  if ('and' in node) node.and.forEach((n) => checkFields(n, fields));
  else if ('or' in node) node.or.forEach((n) => checkFields(n, fields));
  else if ('not' in node) checkFields(node.not, fields);
  else if (!fields.known(node.clause.field)) {
    throw new JqlError(`Field '${node.clause.field}' does not exist or you do not have permission to view it.`);
  }
}

/** Compiles a JQL query into a predicate; throws JqlError on a syntax error or unknown field. */
export function compileJql<T>(jql: string, fields: JqlFields<T>): (item: T) => boolean {
  const node = new Parser(tokenize(jql)).parse();
  checkFields(node, fields);
  return (item) => (node ? evalNode(item, node, fields) : true);
}
