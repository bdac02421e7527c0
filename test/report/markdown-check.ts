// Parse rendered markdown back with marked and check every table's shape.
import { marked, type Tokens } from 'marked';

export interface TableShape {
  header: string[];
  rows: string[][];
}

/** Every GFM table in the document; throws when a row's cell count differs from its header's. */
export function markdownTables(markdown: string): TableShape[] {
  const tables: TableShape[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type !== 'table') return;
    const table = token as Tokens.Table;
    const columns = table.header.length;
    // marked (like GFM) silently drops extra cells, so count the unescaped pipes in the raw lines too.
    for (const line of table.raw.split('\n').filter((text) => text.trim() !== '')) {
      const pipes = line.replace(/\\\\/g, '').match(/(?<!\\)\|/g)?.length ?? 0;
      if (pipes !== columns + 1) throw new Error(`table row has ${pipes - 1} cells, header has ${columns}: ${line}`);
    }
    for (const row of table.rows) {
      if (row.length !== columns) throw new Error(`row with ${row.length} cells under a ${columns}-column header`);
    }
    tables.push({ header: table.header.map((cell) => cell.text), rows: table.rows.map((row) => row.map((cell) => cell.text)) });
  });
  return tables;
}

/** Markdown -> HTML the way GitHub-like viewers would show it. */
export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}
