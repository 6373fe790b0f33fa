// Never a blank screen: a render error shows what happened and a way back.
import { Component, type ErrorInfo, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Linkchart crashed:', error, info.componentStack);
  }
  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-screen" role="alert" data-testid="crash">
        <h2>Something went wrong in the workbench</h2>
        <p>
          Your data is safe in the store. Reload to continue; if this keeps happening, send this message to
          support:
        </p>
        <pre>{String(this.state.error.stack ?? this.state.error.message)}</pre>
        <button className="primary" onClick={() => location.reload()}>
          Reload
        </button>{' '}
        <button onClick={() => this.setState({ error: null })}>Try to continue</button>
      </div>
    );
  }
}
