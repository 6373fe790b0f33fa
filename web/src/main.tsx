import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { appStore } from './state/app.ts';
import './styles.css';

// Errors outside React's render (event handlers, promises) are shown in the page too.
window.addEventListener('error', (e) => appStore.set((s) => ({ ...s, error: e.message })));
window.addEventListener('unhandledrejection', (e) =>
  appStore.set((s) => ({ ...s, error: e.reason instanceof Error ? e.reason.message : String(e.reason) })),
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
