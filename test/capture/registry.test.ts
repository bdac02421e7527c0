import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runFormat } from '../../src/capture/parse-capture-text.js';
import { CAPTURE_FORMATS, captureFormatHelp, detectCaptureFormat } from '../../src/capture/registry.js';
import { usage } from '../../src/commands/parse.js';

const PARSER_DIR = fileURLToPath(new URL('../../src/capture/parsers/', import.meta.url));

describe('capture format registry', () => {
  it('registers every module in src/capture/parsers exactly once', () => {
    const files = readdirSync(PARSER_DIR).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, '')).sort();
    expect(CAPTURE_FORMATS.map((format) => format.name).sort()).toEqual(files);
  });

  for (const format of CAPTURE_FORMATS) {
    it(`${format.name}: its sample is detected as itself and parses cleanly`, () => {
      expect(detectCaptureFormat(format.sample)?.format.name).toBe(format.name);
      const parsed = runFormat(format, format.sample, 'sample');
      expect(parsed.diagnostics).toEqual([]);
      // A status page's scoreboard without clients (server-status?auto) gives worker counts, not connections.
      expect(parsed.connections.length > 0 || (parsed.meta.workers?.slots ?? 0) > 0).toBe(true);
      expect(format.commands.length).toBeGreaterThan(0);
    });
  }

  it('parse --help lists exactly the registered formats', () => {
    expect(usage).toContain(captureFormatHelp());
  });
});
