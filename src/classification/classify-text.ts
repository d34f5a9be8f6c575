/**
 * `deskflow classify-text --jsonl FILE` (S-03 without a server): reads one ticket per line,
 * `{id, summary, description, reporter}`, and returns one JSON line per ticket,
 * `{id, route, requestType, confidence, reasons}`. Blank lines are skipped; a line that is not a JSON
 * object with string fields is refused with an error naming its line number.
 */
import { readFileSync } from 'node:fs';
import type { DeskflowConfig } from '../config/schema';
import { classify } from './classify';

export class ClassifyTextError extends Error {
  constructor(
    message: string,
    /** 1-based line number, when the error is about one line. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ClassifyTextError';
  }
}

export interface ClassifyTextResult {
  id: string | number | null;
  route: string;
  requestType: string;
  confidence: number;
  reasons: string[];
}

/** Validates one parsed line; returns the classifier's input or throws naming the line. */
function ticketOf(value: unknown, line: number, source: string) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ClassifyTextError(`${source}:${line}: expected a JSON object {id, summary, description, reporter}`, line);
  }
  const v = value as Record<string, unknown>;
  const str = (key: string, required: boolean): string | null => {
    const x = v[key];
    if (x === undefined || x === null) {
      if (required) throw new ClassifyTextError(`${source}:${line}: "${key}" is missing`, line);
      return null;
    }
    if (typeof x !== 'string') throw new ClassifyTextError(`${source}:${line}: "${key}" must be a string`, line);
    return x;
  };
  const id = v.id;
  if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') {
    throw new ClassifyTextError(`${source}:${line}: "id" must be a string or a number`, line);
  }
  const summary = str('summary', true) ?? '';
  const description = str('description', false) ?? '';
  if (!summary.trim() && !description.trim()) {
    throw new ClassifyTextError(`${source}:${line}: "summary" and "description" are both empty`, line);
  }
  return { id: (id ?? null) as string | number | null, summary, description, reporter: str('reporter', false) };
}

/** Classifies JSONL text; `source` names it in errors. Throws ClassifyTextError on the first bad line. */
export function classifyJsonl(text: string, config: DeskflowConfig, source = 'input'): ClassifyTextResult[] {
  const out: ClassifyTextResult[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new ClassifyTextError(`${source}:${line}: not valid JSON (${(err as Error).message})`, line);
    }
    const { id, ...input } = ticketOf(parsed, line, source);
    const c = classify(input, config);
    out.push({ id, route: c.route, requestType: c.requestType, confidence: c.confidence, reasons: c.reasons });
  });
  return out;
}

/**
 * Reads a JSONL file and returns one JSON line (string) per ticket, in input order.
 * Throws ClassifyTextError when the file cannot be read or a line is bad.
 */
export function classifyTextCommand(file: string, config: DeskflowConfig): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClassifyTextError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return classifyJsonl(text, config, file).map((r) => JSON.stringify(r));
}
