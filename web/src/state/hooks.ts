// React access to the application store.
import { appStore, type AppState } from './app.ts';
import { useStore } from './store.ts';

export { appStore };

export function useApp<T>(select: (s: AppState) => T): T {
  return useStore(appStore, select);
}
