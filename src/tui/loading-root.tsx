// Draws at once, before the investigation ends: the loading screen follows its stages, and
// the App takes over with the report when it is ready. q (and Ctrl-C) quit at any time; the
// investigation then stops at its next stage.
import { useApp, useInput, useStdin } from 'ink';
import { useEffect, useState } from 'react';
import { App, type AppProps } from './app.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { Loading } from './panels/loading.js';

export interface LoadingRootProps {
  /** Runs the investigation, telling each stage as it begins; resolves with what the App shows. */
  load: (onStage: (stage: string) => void) => Promise<AppProps>;
  /** The investigation failed: the TUI closes and the caller reports the error. */
  onError: (error: unknown) => void;
  color: boolean;
  size?: TerminalSize | undefined;
}

export function LoadingRoot({ load, onError, color, size: fixedSize }: LoadingRootProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize(fixedSize);
  const [ready, setReady] = useState<AppProps | null>(null);
  const [stages, setStages] = useState<readonly string[]>([]);
  useEffect(() => {
    let mounted = true;
    load((stage) => {
      // Quit before the end: the investigation stops at its next stage instead of running on unseen.
      if (!mounted) throw new Error('the TUI was closed');
      setStages((seen) => (seen[seen.length - 1] === stage ? seen : [...seen, stage]));
    }).then(
      (props) => {
        if (mounted) setReady(props);
      },
      (error: unknown) => {
        if (!mounted) return;
        onError(error);
        exit();
      },
    );
    return () => {
      mounted = false;
    };
  }, []);
  useInput((input) => {
    if (input === 'q') exit();
  }, { isActive: ready === null && isRawModeSupported === true });
  if (ready) return <App {...ready} {...(fixedSize ? { size: fixedSize } : {})} />;
  return <Loading stages={stages} width={Math.max(20, size.columns)} rows={size.rows} color={color} />;
}
