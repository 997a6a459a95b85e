import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";

/** A value that settles `delay` ms after its last change (search boxes). */
export function useDebounced<T>(value: T, delay = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Load data for a page; a newer load always wins over an older one still in flight, so typing
 * fast in a search box never shows stale results.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `load` depends on.
  useEffect(() => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => ticket === latest.current && setState({ data, error: null, loading: false }),
      (error: unknown) => ticket === latest.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

export interface Selection<K> {
  /** What is selected now. */
  selected: ReadonlySet<K>;
  /** Selects `id` if `on` is true, deselects it if false, flips it if left out. */
  toggle: (id: K, on?: boolean) => void;
  /** Selects exactly `ids` (all on the page), dropping anything else. */
  setAll: (ids: Iterable<K>) => void;
  clear: () => void;
  /** Whether every one of `ids` is selected (false when there are none). */
  allSelected: (ids: readonly K[]) => boolean;
}

/** The rows ticked in a list, for acting on several at once. */
export function useSelection<K = number>(): Selection<K> {
  const [selected, setSelected] = useState<ReadonlySet<K>>(() => new Set());
  const toggle = useCallback(
    (id: K, on?: boolean) =>
      setSelected((s) => {
        const next = new Set(s);
        if (on ?? !next.has(id)) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const setAll = useCallback((ids: Iterable<K>) => setSelected(new Set(ids)), []);
  const clear = useCallback(() => setSelected(new Set()), []);
  const allSelected = (ids: readonly K[]) => ids.length > 0 && ids.every((id) => selected.has(id));
  return { selected, toggle, setAll, clear, allSelected };
}

/**
 * Filters kept in the address (?year=2025&status=…), set in place of the current history entry.
 * The page sees a change at once: the router applies a navigation asynchronously (and may wrap
 * it in a transition), and a controlled checkbox or select bound to the address would show its
 * old value until then (on a busy phone, or a busy CI machine, the click looks ignored). So the
 * new parameters are held locally until the address has caught up with them.
 */
export function useFilterParams(): [
  URLSearchParams,
  (change: Record<string, string | null | undefined>, options?: { push?: boolean }) => void,
] {
  const [params, setParams] = useSearchParams();
  const [pending, setPending] = useState<URLSearchParams | null>(null);
  const address = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address changing is the signal.
  useEffect(() => setPending(null), [address]);
  const current = pending ?? params;
  const latest = useRef(current);
  latest.current = current;
  const set = useCallback(
    (change: Record<string, string | null | undefined>, options?: { push?: boolean }) => {
      const next = new URLSearchParams(latest.current);
      for (const [name, value] of Object.entries(change)) {
        if (value === null || value === undefined || value === "") next.delete(name);
        else next.set(name, value);
      }
      latest.current = next;
      setPending(next);
      setParams(next, { replace: !options?.push });
    },
    [setParams],
  );
  return [current, set];
}
