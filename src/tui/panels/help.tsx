// The '?' overlay: every binding, built from the same table the keymap documents.
import { Box, Text } from 'ink';
import { KEY_HELP } from '../keymap.js';
import { cell, fit } from '../text.js';
import { tone } from './style.js';

export function Help({ width, height, color }: { width: number; height: number; color: boolean }) {
  const keyWidth = Math.max(...KEY_HELP.map((entry) => entry.keys.length)) + 2;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold {...tone(color, 'accent')}>{fit('Keys (? or Esc closes)', width)}</Text>
      {KEY_HELP.map((entry) => (
        <Text key={entry.keys} wrap="truncate-end">
          {fit(`  ${cell(entry.keys, keyWidth)}${entry.what}${entry.screens.length ? `  [${entry.screens.join(', ')}]` : ''}`, width)}
        </Text>
      ))}
      <Text {...tone(color, 'dim')} wrap="truncate-end">{fit('  Filter: 147.46. (prefix), 147.46.0.0/16 (CIDR), kr, as9488, seoul, snu.ac.kr', width)}</Text>
    </Box>
  );
}
