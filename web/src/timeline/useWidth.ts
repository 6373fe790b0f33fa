// The pixel width of an element, kept current as the panel resizes. A callback ref, so it follows the
// element even when the component renders a different one.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useWidth(fallback = 600): [(el: HTMLElement | null) => void, number] {
  const [w, setW] = useState(fallback);
  const ro = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: HTMLElement | null) => {
    ro.current?.disconnect();
    ro.current = null;
    if (!el) return;
    const measure = (): void => setW(Math.max(50, Math.floor(el.clientWidth)));
    ro.current = new ResizeObserver(measure);
    ro.current.observe(el);
    measure();
  }, []);
  useEffect(() => () => ro.current?.disconnect(), []);
  return [ref, w];
}
