// A minimal external store: state lives outside React, producers are pure functions (state) => state,
// and React components subscribe to slices with useSyncExternalStore. The graph itself is not here: it is a
// graphology instance owned by the chart controller (see web/src/graph/controller.ts).
import { useSyncExternalStore } from 'react';

export interface Store<S> {
  get(): S;
  set(producer: (s: S) => S): void;
  subscribe(fn: () => void): () => void;
}

export function createStore<S>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(producer) {
      const next = producer(state);
      if (next === state) return;
      state = next;
      for (const fn of listeners) fn();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

export function useStore<S, T>(store: Store<S>, select: (s: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
