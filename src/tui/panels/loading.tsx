// The first frame, drawn before the captures are read: the screens' tabs and what the
// investigation is doing, so a big capture never leaves a blank terminal.
import { Box, Text } from 'ink';
import { stageLabel } from '../../output/stage-labels.js';
import { TAB_SCREENS } from '../state.js';
import { fit } from '../text.js';
import { Footer, Header } from './chrome.js';
import { tone } from './style.js';

export interface LoadingProps {
  /** Stages begun so far, in order (pipeline stage names); the last is under way. */
  stages: readonly string[];
  width: number;
  rows: number;
  color: boolean;
}

export function Loading({ stages, width, rows, color }: LoadingProps) {
  const bodyHeight = Math.max(1, rows - 2);
  const lines = stages.map((stage, index) => (index === stages.length - 1 ? `  ${stageLabel(stage)}…` : `  ${stageLabel(stage)} ✓`));
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Header screen="overview" screens={TAB_SCREENS} status="" width={width} color={color} />
      <Box flexDirection="column" height={bodyHeight} width={width} overflow="hidden">
        {[
          <Text key="title" bold {...tone(color, 'accent')}>{fit('Investigating…', width)}</Text>,
          ...lines.map((line, index) => (
            <Text key={`s${index}`} wrap="truncate-end" {...(index === lines.length - 1 ? {} : tone(color, 'dim'))}>{fit(line, width)}</Text>
          )),
        ].slice(0, bodyHeight)}
      </Box>
      <Footer screen="overview" message="q quit · the screens open when the evidence is read" width={width} color={color} />
    </Box>
  );
}
