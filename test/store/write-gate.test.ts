// The write gate (server/store/sqlite/write-gate.ts): writers take turns first come, first served; a write
// that throws hands the gate on; a free gate runs a write at once; and the gate lent over a message port
// (write-gate-port.ts) queues the other thread's writer with this thread's and takes its turns back when
// that thread is gone.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WriteGate } from '../../server/store/sqlite/write-gate.ts';
import { lendGate, PortWriteLock } from '../../server/store/sqlite/write-gate-port.ts';

const turn = () => new Promise((r) => setImmediate(r));

describe('WriteGate', () => {
  it('runs a write at once when the gate is free, and is free after it', async () => {
    const gate = new WriteGate();
    let ran = false;
    const p = gate.run(() => {
      ran = true;
      return 7;
    });
    expect(ran).toBe(true);
    expect(gate.busy).toBe(false);
    expect(await p).toBe(7);
  });

  it('gives turns in the order asked while it is held', async () => {
    const gate = new WriteGate();
    const release = await gate.acquire();
    const order: number[] = [];
    const runs = [1, 2, 3, 4, 5].map((i) => gate.run(() => order.push(i)));
    // A holder that asks again after the others waits behind them.
    const late = gate.acquire().then((r) => {
      order.push(6);
      r();
    });
    await turn();
    expect(order).toEqual([]);
    expect(gate.queued).toBe(6);
    release();
    await Promise.all([...runs, late]);
    expect(order).toEqual([1, 2, 3, 4, 5, 6]);
    expect(gate.busy).toBe(false);
  });

  it('a new writer does not overtake those waiting, even when it asks just as the gate is handed on', async () => {
    const gate = new WriteGate();
    const release = await gate.acquire();
    const order: string[] = [];
    const waiting = gate.run(() => order.push('waiting'));
    release();
    const newcomer = gate.run(() => order.push('newcomer'));
    await Promise.all([waiting, newcomer]);
    expect(order).toEqual(['waiting', 'newcomer']);
  });

  it('hands the gate on when a write throws, at once or after waiting', async () => {
    const gate = new WriteGate();
    await expect(
      gate.run(() => {
        throw new Error('first');
      }),
    ).rejects.toThrow('first');
    expect(gate.busy).toBe(false);

    const release = await gate.acquire();
    const failing = gate.run(() => {
      throw new Error('second');
    });
    const after = gate.run(() => 'after');
    release();
    await expect(failing).rejects.toThrow('second');
    await expect(after).resolves.toBe('after');
    expect(gate.busy).toBe(false);
  });

  it('a release called twice hands the gate on once', async () => {
    const gate = new WriteGate();
    const release = await gate.acquire();
    const second = gate.acquire();
    const third = gate.acquire();
    release();
    release();
    const r2 = await second;
    let thirdIn = false;
    void third.then(() => (thirdIn = true));
    await turn();
    expect(thirdIn).toBe(false);
    r2();
    (await third)();
    expect(gate.busy).toBe(false);
  });
});

describe('the gate lent over a message port', () => {
  function lent() {
    const gate = new WriteGate();
    const { port1, port2 } = new MessageChannel();
    const forget = lendGate(gate, port1);
    const remote = new PortWriteLock(port2);
    return {
      gate,
      remote,
      close: () => {
        port1.close();
        port2.close();
      },
      forget,
    };
  }

  it("the other side's write waits for this side's holder, and this side's writers wait for it", async () => {
    const { gate, remote, close } = lent();
    try {
      const order: string[] = [];
      const release = await gate.acquire();
      const far = remote.run(() => order.push('remote'));
      // Let the lock request arrive and queue before the local writer asks.
      for (let i = 0; i < 5 && gate.queued === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(gate.queued).toBe(1);
      const near = gate.run(() => order.push('local'));
      await turn();
      expect(order).toEqual([]);
      release();
      await Promise.all([far, near]);
      expect(order).toEqual(['remote', 'local']);
      expect(gate.busy).toBe(false);
    } finally {
      close();
    }
  });

  it('a write that throws on the other side hands the gate back', async () => {
    const { gate, remote, close } = lent();
    try {
      await expect(
        remote.run(() => {
          throw new Error('remote failed');
        }),
      ).rejects.toThrow('remote failed');
      await expect(gate.run(() => 'next')).resolves.toBe('next');
    } finally {
      close();
    }
  });

  it('when the other side is gone its turn, held or awaited, is handed on', async () => {
    const { gate, forget, close } = lent();
    const { port1, port2 } = new MessageChannel();
    const forget2 = lendGate(gate, port1);
    try {
      // The first peer asks for a turn and never gives it back (its thread died inside its transaction).
      port2.postMessage({ gate: 'lock', n: 1 });
      for (let i = 0; i < 50 && !gate.busy; i++) await new Promise((r) => setTimeout(r, 5));
      expect(gate.busy).toBe(true);
      const local = gate.run(() => 'local');
      forget2();
      await expect(local).resolves.toBe('local');
      expect(gate.busy).toBe(false);
      forget();
    } finally {
      port1.close();
      port2.close();
      close();
    }
  });
});
