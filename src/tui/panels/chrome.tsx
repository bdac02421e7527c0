// Header (screen tabs, enrichment progress) and footer (keys for this screen, messages).
import { Box, Text } from 'ink';
import { footerKeys } from '../keymap.js';
import type { Screen } from '../state.js';
import { fit, safeText } from '../text.js';
import { tone } from './style.js';

const TITLES: Record<Screen, string> = { overview: 'Overview', remotes: 'Remotes', clusters: 'Clusters', timeline: 'Timeline', map: 'Map', host: 'Host' };

export function Header({ screen, screens, status, width, color }: { screen: Screen; screens: readonly Screen[]; status: string; width: number; color: boolean }) {
  const tabs = [...screens, ...(screen === 'host' ? (['host'] as const) : [])];
  const tabText = tabs.map((name, index) => (name === 'host' ? ` ${TITLES[name]} ` : ` ${index + 1} ${TITLES[name]} `));
  const used = tabText.reduce((sum, text) => sum + text.length, 0) + 10;
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold {...tone(color, 'accent')}>netsleuth </Text>
        {tabs.map((name, index) => (
          <Text key={name} {...(name === screen ? tone(color, 'selected') : tone(color, 'dim'))}>{tabText[index]}</Text>
        ))}
        <Text {...tone(color, 'warn')}>{status ? ' ' + fit(status, Math.max(0, width - used - 1)) : ''}</Text>
      </Text>
    </Box>
  );
}

export function Footer({ screen, message, width, color }: { screen: Screen; message: string | null; width: number; color: boolean }) {
  const keys = footerKeys(screen).map((entry) => `${entry.keys} ${entry.what.split(' ')[0]}`).join(' · ');
  return (
    <Box width={width} height={1} overflow="hidden">
      {message ? <Text wrap="truncate-end" {...tone(color, 'good')}>{fit(safeText(message), width)}</Text> : <Text wrap="truncate-end" {...tone(color, 'dim')}>{fit(keys, width)}</Text>}
    </Box>
  );
}
