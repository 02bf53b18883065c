/** Runs the functions handed to it one after another, each after the previous one settled. */
export interface OneAtATime {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function oneAtATime(): OneAtATime {
  let turn: Promise<unknown> = Promise.resolve();
  return {
    run(fn) {
      const result = turn.then(fn);
      turn = result.catch(() => {});
      return result;
    },
  };
}
