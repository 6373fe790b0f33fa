// The write gate (write-gate.ts) across a thread boundary: a worker thread that writes to the database on
// its own connection asks the request thread's gate for its turn over its message port and hands it back
// when its transaction is over. If the worker dies holding the gate (or waiting for it), the request
// thread takes the gate back, so a crashed import cannot stop every other write.
import type { MessagePort } from 'node:worker_threads';
import type { WriteGate, WriteLock } from './write-gate.ts';

/** Gate messages between the threads; other messages on the same port are left alone. */
export type GateMessage =
  { gate: 'lock'; n: number } | { gate: 'locked'; n: number } | { gate: 'unlock'; n: number };

export const isGateMessage = (m: unknown): m is GateMessage =>
  typeof m === 'object' && m !== null && 'gate' in m && typeof (m as { n?: unknown }).n === 'number';

/** What the request thread needs of a worker (a Worker): send to it, hear from it. */
export interface GatePeer {
  postMessage(m: GateMessage): void;
  on(event: 'message', listener: (m: unknown) => void): unknown;
}

/**
 * Lends `gate` to the worker behind `peer`: each `lock` it sends waits its turn like any writer here.
 * Returns what to call when the worker has gone: its turns held or waited for are handed on.
 */
export function lendGate(gate: WriteGate, peer: GatePeer): () => void {
  const held = new Map<number, () => void>();
  let gone = false;
  peer.on('message', (m) => {
    if (!isGateMessage(m)) return;
    if (m.gate === 'lock') {
      void gate.acquire().then((release) => {
        if (gone) return release();
        held.set(m.n, release);
        peer.postMessage({ gate: 'locked', n: m.n });
      });
    } else if (m.gate === 'unlock') {
      held.get(m.n)?.();
      held.delete(m.n);
    }
  });
  return () => {
    gone = true;
    for (const release of held.values()) release();
    held.clear();
  };
}

/** The worker's side: its writes run when the request thread's gate gives it the turn. */
export class PortWriteLock implements WriteLock {
  private next = 1;
  private readonly granted = new Map<number, () => void>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (m: unknown) => {
      if (!isGateMessage(m) || m.gate !== 'locked') return;
      this.granted.get(m.n)?.();
      this.granted.delete(m.n);
    });
  }

  async run<T>(write: () => T): Promise<T> {
    const n = this.next++;
    await new Promise<void>((resolve) => {
      this.granted.set(n, resolve);
      this.port.postMessage({ gate: 'lock', n } satisfies GateMessage);
    });
    try {
      return write();
    } finally {
      this.port.postMessage({ gate: 'unlock', n } satisfies GateMessage);
    }
  }
}
